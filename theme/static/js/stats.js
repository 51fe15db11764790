/* Visitor statistics: sends this page view, then shows live figures.
   Configuration comes from this script tag's data-api and data-path.
   Without JavaScript, or when the service is down, the figures written
   into the page at build time simply stay. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var api = script.getAttribute("data-api") || "/api/";
  var path = script.getAttribute("data-path");
  var nav = navigator;
  var days = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function stamp(iso) { // "2026-01-07T10:05:00+07:00" is already local time
    var y = +iso.slice(0, 4), m = +iso.slice(5, 7), d = +iso.slice(8, 10);
    return days[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] + ", " +
      iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + y + " | " + iso.slice(11, 16);
  }

  function get(what) {
    return fetch(api + what, { credentials: "omit", cache: "no-store" }).then(function (r) {
      if (!r.ok) throw r.status;
      return r.json();
    });
  }

  function showSite() {
    var box = document.querySelector("[data-stats-site]");
    if (!box) return;
    get("site").then(function (data) {
      ["online", "today", "week", "month", "total"].forEach(function (key) {
        var cell = box.querySelector('[data-stat="' + key + '"]');
        if (cell && typeof data[key] === "number") cell.textContent = number(data[key]);
      });
      var note = box.querySelector("[data-stat-updated]"), time = document.createElement("time");
      time.dateTime = data.updated;
      time.textContent = stamp(data.updated);
      note.textContent = "cập nhật ";
      note.appendChild(time);
    }).catch(function () {});
  }

  function showViews() {
    var cell = document.querySelector("[data-stat-views]");
    if (!cell || !path) return;
    get("views?path=" + encodeURIComponent(path)).then(function (data) {
      var n = data.views[path];
      if (typeof n === "number") cell.textContent = number(n);
    }).catch(function () {});
  }

  // "Đọc nhiều": rebuilt from /api/popular with text nodes only (titles come from the build).
  function showPopular() {
    var box = document.querySelector("[data-stats-popular]");
    if (!box) return;
    get("popular?limit=" + (box.getAttribute("data-limit") || "5")).then(function (data) {
      var any = false;
      ["week", "month"].forEach(function (period) {
        var list = box.querySelector('[data-popular="' + period + '"]'), items = data[period];
        if (!list || !items || !items.length) return;
        any = true;
        while (list.firstChild) list.removeChild(list.firstChild);
        items.forEach(function (item) {
          var li = document.createElement("li"), a = document.createElement("a"), views = document.createElement("span");
          a.href = item.path;
          a.textContent = item.title || item.path;
          views.className = "most-read-views";
          views.textContent = number(item.views) + " lượt xem";
          li.appendChild(a);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(views);
          list.appendChild(li);
        });
      });
      if (any) box.hidden = false;
    }).catch(function () {});
  }

  function show() {
    showSite();
    showViews();
    showPopular();
    setInterval(showSite, 60000); // keeps "Đang online" current
  }

  // Automated browsers, prerendered pages nobody has looked at yet and
  // readers who asked not to be tracked are never counted.
  var optedOut = nav.doNotTrack === "1" || nav.globalPrivacyControl === true;
  function count() {
    if (!path || nav.webdriver || optedOut || !nav.sendBeacon) return show();
    var sent = nav.sendBeacon(api + "views", JSON.stringify({ path: path }));
    // A beacon has no completion event: read a moment later so the figures include it.
    setTimeout(show, sent ? 800 : 0);
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", count, { once: true });
  } else {
    count();
  }
})();
