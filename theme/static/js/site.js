/* The site's own small script (no inline script anywhere):
   - the header date follows the reader's today in Vietnam's time zone
     (the page was written at build time and may be days old);
   - "In bài" opens the print dialog (print, or save as PDF);
   - the printed address is the page's full address. */
(function () {
  "use strict";
  var days = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function showToday() {
    var cell = document.querySelector("[data-today]");
    if (!cell) return;
    // Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving time).
    var now = new Date(Date.now() + 7 * 3600 * 1000);
    var y = now.getUTCFullYear(), m = two(now.getUTCMonth() + 1), d = two(now.getUTCDate());
    cell.dateTime = y + "-" + m + "-" + d;
    cell.textContent = days[now.getUTCDay()] + ", " + d + "/" + m + "/" + y;
  }

  function enablePrint() {
    var link = document.querySelector(".print-link");
    if (link && window.print) {
      link.hidden = false;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    }
    var address = document.querySelector("[data-print-address]");
    if (address) address.textContent = location.href.split("#")[0];
    // Photos further down load lazily: fetch them all before the page is printed.
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("img[loading=lazy]"), function (img) {
        img.loading = "eager";
      });
    });
  }

  showToday();
  enablePrint();
  // A page left open past midnight shows the new day.
  setInterval(showToday, 60000);
})();
