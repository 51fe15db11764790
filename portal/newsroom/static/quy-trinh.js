// Edit lock (issue 14): renewed every 30 s while the article is open, released when the page is left.
// When someone with a higher role takes the article over, what was typed is autosaved at once and the
// editor is told; nothing is lost.
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var csrf = document.body.dataset.csrf || "";

  function held() {
    var box = document.getElementById("quy-trinh");
    return box && box.dataset.held === "1" ? box.dataset.tep : "";
  }

  function lockData(tep) {
    var data = new FormData();
    data.append("csrf", csrf);
    data.append("tep", tep);
    return data;
  }

  function warn(text) {
    var form = document.getElementById("article-form");
    var box = document.getElementById("lock-lost");
    if (!box) {
      box = document.createElement("p");
      box.id = "lock-lost";
      box.className = "alert";
      box.setAttribute("role", "alert");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = text;
  }

  function keepTyping(form) {
    return fetch(root + "/bai/tu-luu", {method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-CSRF-Token": csrf, "Accept": "application/json"}});
  }

  document.addEventListener("DOMContentLoaded", function () {
    var tep = held();
    var form = document.getElementById("article-form");
    if (!tep || !form) { return; }
    var lost = false;
    var timer = setInterval(function () {
      fetch(root + "/bai/khoa/giu", {method: "POST", body: lockData(tep), credentials: "same-origin",
        headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          if (answer.ok) { return; }
          lost = true;
          clearInterval(timer);
          keepTyping(form);
          warn(answer.message);
        })
        .catch(function () { /* offline for a moment: the next beat renews */ });
    }, Number(document.getElementById("quy-trinh").dataset.beat || 30000));
    window.addEventListener("pagehide", function () {
      if (!lost) { navigator.sendBeacon(root + "/bai/khoa/nha", lockData(tep)); }
    });
  });
})();
