// Phòng biên tập: toolbar, photo upload, related-article picker, autosave, build progress.
// A plain <textarea> is the editor: the browser's own text input handles IME composition
// (Telex/VNI), so nothing here listens to key presses or rewrites text while composing.
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var csrf = document.body.dataset.csrf || "";

  function post(url, data) {
    return fetch(root + url, {method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRF-Token": csrf, "Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (j) { j.status = r.status; return j; }); });
  }

  function insertAt(area, text, selectStart, selectEnd) {
    var start = area.selectionStart, end = area.selectionEnd;
    area.focus();
    area.setRangeText(text, start, end, "end");
    if (selectStart !== undefined) {
      area.setSelectionRange(start + selectStart, start + selectEnd);
    }
    area.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function lineStarts(area, prefixFor) {
    var value = area.value, start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = value.indexOf("\n", area.selectionEnd);
    if (end < 0) { end = value.length; }
    var lines = value.slice(start, end).split("\n").map(function (line, i) { return prefixFor(i) + line; });
    area.setSelectionRange(start, end);
    insertAt(area, lines.join("\n"));
  }

  function toolbar(area) {
    document.querySelectorAll("[data-md]").forEach(function (button) {
      button.addEventListener("click", function () {
        var kind = button.dataset.md;
        var chosen = area.value.slice(area.selectionStart, area.selectionEnd);
        if (kind === "bold" || kind === "italic") {
          var mark = kind === "bold" ? "**" : "*";
          var inner = chosen || (kind === "bold" ? "chữ đậm" : "chữ nghiêng");
          insertAt(area, mark + inner + mark, mark.length, mark.length + inner.length);
        } else if (kind === "heading") {
          lineStarts(area, function () { return "## "; });
        } else if (kind === "list") {
          lineStarts(area, function () { return "- "; });
        } else if (kind === "numbered") {
          lineStarts(area, function (i) { return (i + 1) + ". "; });
        } else if (kind === "quote") {
          lineStarts(area, function () { return "> "; });
        } else if (kind === "link") {
          var address = window.prompt("Địa chỉ liên kết (ví dụ /2025/07/ten-bai/ hoặc https://…)", "");
          if (!address) { return; }
          var label = chosen || "chữ liên kết";
          insertAt(area, "[" + label + "](" + address.trim() + ")", 1, 1 + label.length);
        }
      });
    });
  }

  function bodyPhotos(area) {
    var list = document.getElementById("body-photos");
    if (!list) { return; }
    var seen = {};
    list.textContent = "";
    (area.value.match(/!\[[^\]]*\]\(\s*([^)\s]+)/g) || []).forEach(function (m) {
      var src = m.replace(/^!\[[^\]]*\]\(\s*/, "");
      if (seen[src] || /\.(mp4|webm)$/i.test(src)) { return; }
      seen[src] = true;
      var option = document.createElement("option");
      option.value = src;
      list.appendChild(option);
    });
  }

  function uploads(area) {
    var input = document.getElementById("photo-file");
    var status = document.getElementById("upload-status");
    var drop = document.getElementById("drop-zone");
    if (!input) { return; }
    function send(files) {
      var queue = Array.prototype.slice.call(files);
      function next() {
        var file = queue.shift();
        if (!file) { input.value = ""; return; }
        var data = new FormData();
        data.append("tep", file);
        data.append("chu_thich", document.getElementById("photo-caption").value);
        data.append("tac_gia_anh", document.getElementById("photo-credit").value);
        data.append("nam", (document.getElementById("date").value || "").slice(0, 4));
        data.append("csrf", csrf);
        status.textContent = "Đang tải lên " + file.name + "…";
        post("/tai-len", data).then(function (answer) {
          if (!answer.ok) {
            status.textContent = "Không nhận ảnh: " + answer.message;
            status.className = "upload-status problem error";
            return;
          }
          // Photos on consecutive lines make a gallery; a blank line after keeps the next paragraph apart.
          var start = area.selectionStart, before = area.value.slice(0, start), glue;
          if (/!\[[^\]]*\]\([^)]*\)[ \t]*\n\n$/.test(before)) {
            area.setSelectionRange(start - 1, Math.max(start - 1, area.selectionEnd)); glue = "";
          } else if (before.trim() === "" || /\n\n$/.test(before)) { glue = ""; }
          else if (/\n$/.test(before)) { glue = "\n"; }
          else { glue = "\n\n"; }
          insertAt(area, glue + answer.markdown + "\n\n");
          status.textContent = "Đã chèn " + (answer.kind === "video" ? "video " : "ảnh ") + answer.src;
          status.className = "upload-status";
          document.getElementById("photo-caption").value = "";
          bodyPhotos(area);
          next();
        }).catch(function () {
          status.textContent = "Không tải lên được (mất kết nối?). Hãy thử lại.";
        });
      }
      next();
    }
    input.addEventListener("change", function () { send(input.files); });
    ["dragover", "dragenter"].forEach(function (name) {
      [drop, area].forEach(function (el) { el.addEventListener(name, function (e) {
        if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) { e.preventDefault(); }
      }); });
    });
    [drop, area].forEach(function (el) {
      el.addEventListener("drop", function (e) {
        if (e.dataTransfer && e.dataTransfer.files.length) { e.preventDefault(); send(e.dataTransfer.files); }
      });
    });
  }

  function relatedPicker() {
    var input = document.getElementById("related-search");
    var results = document.getElementById("related-results");
    var chosen = document.getElementById("related-chosen");
    if (!input) { return; }
    var timer = null;
    function choose(item) {
      var exists = chosen.querySelector("input[value='" + item.slug.replace(/'/g, "") + "']");
      if (exists) { return; }
      var li = document.createElement("li");
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "related"; hidden.value = item.slug;
      var span = document.createElement("span");
      span.textContent = item.title;
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "remove"; remove.textContent = "Bỏ";
      li.appendChild(hidden); li.appendChild(span); li.appendChild(document.createTextNode(" ")); li.appendChild(remove);
      chosen.appendChild(li);
      chosen.dispatchEvent(new Event("input", {bubbles: true}));
    }
    function search() {
      var q = input.value.trim();
      if (q.length < 2) { results.textContent = ""; return; }
      fetch(root + "/goi-y/tin?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (items) {
          results.textContent = "";
          items.forEach(function (item) {
            var li = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = item.title + (item.date ? " (" + item.date + ")" : "");
            button.addEventListener("click", function () { choose(item); results.textContent = ""; input.value = ""; });
            li.appendChild(button);
            results.appendChild(li);
          });
          if (!items.length) {
            var none = document.createElement("li");
            none.textContent = "Không thấy bài nào có tiêu đề như vậy.";
            results.appendChild(none);
          }
        });
    }
    input.addEventListener("input", function (e) {
      if (e.isComposing) { return; }  // wait for the IME to finish the syllable
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("compositionend", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); search(); } });
    chosen.addEventListener("click", function (e) {
      if (e.target.classList.contains("remove")) { e.target.parentNode.remove(); }
    });
  }

  function autosave(form) {
    var status = document.getElementById("autosave-status");
    var dirty = false, submitting = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function (e) {
      var target = e.submitter && e.submitter.getAttribute("formtarget");
      if (target !== "_blank") { submitting = true; }
    });
    setInterval(function () {
      if (!dirty || submitting) { return; }
      dirty = false;
      post("/bai/tu-luu", new FormData(form)).then(function (answer) {
        if (answer.ok) { status.textContent = "Đã lưu tạm lúc " + answer.saved + " (chưa lưu chính thức)."; }
      }).catch(function () { dirty = true; });
    }, 10000);
  }

  function tagSuggestions() {
    var input = document.getElementById("tags"), list = document.getElementById("tag-suggestions");
    if (!input || !list) { return; }
    var all = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.addEventListener("input", function (e) {
      if (e.isComposing) { return; }
      var parts = input.value.split(","), last = parts.pop().trim().toLowerCase();
      var before = parts.map(function (p) { return p.trim(); }).filter(Boolean);
      var head = before.length ? before.join(", ") + ", " : "";
      list.textContent = "";
      all.filter(function (t) { return !last || t.toLowerCase().indexOf(last) >= 0; }).slice(0, 30).forEach(function (t) {
        var o = document.createElement("option");
        o.value = head + t;
        list.appendChild(o);
      });
    });
  }

  function buildProgress() {
    var box = document.getElementById("build-state");
    if (!box) { return; }
    var wasRunning = null;
    function poll() {
      fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (state) {
          var running = !!(state.current || state.queued);
          if (wasRunning && !running) { window.location.reload(); return; }
          wasRunning = running;
          if (running) {
            var run = state.current || state.queued;
            document.getElementById("build-progress").textContent =
              "Đang xây dựng trang (lần " + run.number + ": " + run.stage + ")…";
          }
          setTimeout(poll, running ? 1000 : 5000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("article-form");
    if (form) {
      var area = document.getElementById("body");
      toolbar(area);
      uploads(area);
      relatedPicker();
      autosave(form);
      tagSuggestions();
      bodyPhotos(area);
      area.addEventListener("input", function () { bodyPhotos(area); });
    }
    buildProgress();
  });
})();
