/* Tìm kiếm: the /tim-kiem/ page queries the Pagefind bundle in the browser.
 *
 * Vietnamese typed without diacritics: Pagefind already ignores tone and vowel
 * marks; the index also holds a folded spelling of every word with đ ("dang"
 * for "Đảng", see plugins/search), and this script turns the Telex habit "dd"
 * into "đ". The indexed words are kept compact, not readable (plugins/search/
 * records.py); the readable title and lead follow a mark in Pagefind's stored
 * text. The excerpt is that lead, highlighted here, so "dang" marks "Đảng".
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  if (!root) return;

  var PAGE_SIZE = 10;
  var EXCERPT_WORDS = 32;
  var WEEKDAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  var MESSAGES = {
    idle: "Nhập từ khóa để tìm tin bài.",
    busy: "Đang tìm…",
    failed: "Chưa tải được bộ tìm kiếm. Vui lòng tải lại trang hoặc thử lại sau.",
    empty: "Trang chưa đăng bài viết nào để tìm.",
  };

  var form = root.querySelector("form");
  var input = form.elements.q;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var foldMark = root.getAttribute("data-fold-mark");

  var INDEXED = root.getAttribute("data-indexed") === "1";  // no article published yet: no index
  var PARTS = 0;  // how many parts the index has: the bundle says (see loadPagefind)
  var PART_FILTER = "phan";

  var pagefind = null;
  var searchId = 0;
  var matches = [];
  var shown = 0;
  var terms = [];
  var timer = null;

  function partOptions(part) {
    // The day is metadata for display only: it must not rank anything.
    var options = { ranking: { metaWeights: { ngay: 0 } } };
    if (PARTS > 1) {
      options.mergeFilter = {};
      options.mergeFilter[PART_FILTER] = String(part);
    }
    return options;
  }

  function loadPagefind() {
    if (!pagefind) {
      var bundle = root.getAttribute("data-bundle");
      // A large site's index comes in parts (bundle/1/, bundle/2/ …), merged into the
      // first; each part's results carry its number as a filter (see partsWithEveryWord).
      // Their count is in the bundle, not in this page: a rebuild puts its pages live
      // before the index that goes with them.
      var count = fetch(bundle + "parts.json", { cache: "no-cache" }).then(function (answer) {
        if (!answer.ok) throw new Error("parts.json: " + answer.status);
        return answer.json();
      });
      pagefind = Promise.all([import(bundle + "pagefind.js"), count]).then(function (loaded) {
        var pf = loaded[0];
        PARTS = loaded[1].parts;
        var merged = [pf.options(partOptions(0))];
        for (var part = 1; part < PARTS; part++) {
          merged.push(pf.mergeIndex(bundle + part + "/", partOptions(part)));
        }
        return Promise.all(merged).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  /* --- Vietnamese text ------------------------------------------------- */

  function withoutMarks(text) {  // what Pagefind compares: đ stays đ
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  }

  function fold(text) {  // what a reader without a Vietnamese keyboard types
    return withoutMarks(text).replace(/đ/g, "d");
  }

  function normaliseQuery(raw) {
    // Telex: "dd" at the start of a word is how "đ" is typed.
    return raw.normalize("NFC").replace(/(^|\s)dd/giu, "$1đ").replace(/\s+/g, " ").trim();
  }

  function toTerms(query) {
    return query.split(" ").map(function (term) {
      var bare = withoutMarks(term).replace(/[^\p{L}\p{N}]/gu, "");
      // A reader who typed đ meant đ; otherwise "d" stands for both.
      return bare.indexOf("đ") >= 0 ? { key: bare, strict: true } : { key: fold(bare), strict: false };
    }).filter(function (term) { return term.key; });
  }

  function isHit(word) {
    var bare = word.replace(/[^\p{L}\p{N}]/gu, "");
    if (!bare) return false;
    return terms.some(function (term, i) {
      var key = term.strict ? withoutMarks(bare) : fold(bare);
      return i === terms.length - 1 ? key.indexOf(term.key) === 0 : key === term.key;
    });
  }

  function vnNumber(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  /* --- Rendering ------------------------------------------------------- */

  function articleText(data) {  // the lead as written, after the mark and the title
    var text = data.content;
    var cut = foldMark ? text.indexOf(foldMark) : -1;
    if (cut >= 0) text = text.slice(cut + foldMark.length).replace(/^[.\s]+/, "");
    var title = data.meta.title || "";
    if (title && text.indexOf(title) === 0) text = text.slice(title.length).replace(/^[.\s]+/, "");
    return text;
  }

  function excerpt(data) {
    var words = articleText(data).split(/\s+/).filter(Boolean);
    var hits = words.map(isHit);
    var best = 0, bestCount = -1, count = 0;
    for (var i = 0; i < words.length; i++) {  // window with the most hits
      count += hits[i] ? 1 : 0;
      if (i >= EXCERPT_WORDS) count -= hits[i - EXCERPT_WORDS] ? 1 : 0;
      var start = Math.max(0, i - EXCERPT_WORDS + 1);
      if (count > bestCount) { bestCount = count; best = start; }
    }
    var end = Math.min(words.length, best + EXCERPT_WORDS);
    var p = document.createElement("p");
    p.className = "search-result-excerpt";
    if (best > 0) p.append("… ");
    for (var j = best; j < end; j++) {
      if (j > best) p.append(" ");
      if (hits[j]) {
        var mark = document.createElement("mark");
        mark.textContent = words[j];
        p.append(mark);
      } else {
        p.append(words[j]);
      }
    }
    if (end < words.length) p.append(" …");
    return p;
  }

  function dayElement(day) {  // "20231229" -> <time datetime="2023-12-29">Thứ Sáu, 29/12/2023</time>
    var time = document.createElement("time");
    var m = /^(\d{4})(\d{2})(\d{2})$/.exec(day || "");
    if (!m) return time;
    var weekday = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
    time.dateTime = m[1] + "-" + m[2] + "-" + m[3];
    time.textContent = WEEKDAYS[weekday] + ", " + m[3] + "/" + m[2] + "/" + m[1];
    return time;
  }

  function renderResult(data) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.append(link);
    var meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.append(dayElement(data.meta.ngay));
    var category = (data.filters.chuyen_muc || [])[0];
    if (category) {
      var label = document.createElement("span");
      label.className = "search-result-category";
      label.textContent = category;
      meta.append(" · ", label);
    }
    item.append(heading, meta, excerpt(data));
    return item;
  }

  /* --- Searching ------------------------------------------------------- */

  function selectedFilters() {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.getAttribute("data-filter")] = select.value;
    });
    return filters;
  }

  function rememberInUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    selects.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  async function showMore(id) {
    var batch = matches.slice(shown, shown + PAGE_SIZE);
    var data = await Promise.all(batch.map(function (result) { return result.data(); }));
    if (id !== searchId) return null;
    var first = null;
    data.forEach(function (item) {
      var element = renderResult(item);
      first = first || element;
      list.append(element);
    });
    shown += batch.length;
    more.hidden = shown >= matches.length;
    return first;
  }

  /* A part of the index knows its own words only. Where a part has no word starting
   * with a query word, Pagefind falls back to its longest word that begins the query
   * word ("đa" for "đang") and matches other articles than one index would (one index
   * falls back only when no article of the site has such a word). So each word is first
   * looked up as typed and as a whole word ("…"): where some part holds it whole, only
   * those parts can hold a match; where none does, every part that matched it (by a
   * longer word, or by the fallback one index would take too). The query then runs only
   * in the parts holding every word. Returns those parts, or null when no word narrows
   * them. */
  async function partsWithEveryWord(pf, query) {
    // All words at once: on a slow network their chunks load side by side, not one after
    // another; a word and its whole-word lookup read the same chunk.
    var lookups = await Promise.all(query.split(" ").map(function (word) {
      var whole = word.replace(/"/g, "");
      return Promise.all([pf.search(word), whole ? pf.search('"' + whole + '"') : null]);
    }));
    var allowed = null;
    lookups.forEach(function (pair) {
      var having = pair[1] ? partsMatching(pair[1]) : [];
      if (!having.length) having = partsMatching(pair[0]);
      if (!having.length) return;  // no part knows it: ignored everywhere, as one index would
      allowed = allowed === null ? having : allowed.filter(function (part) { return having.indexOf(part) >= 0; });
    });
    return allowed;
  }

  function partsMatching(lookup) {
    var counts = lookup.filters[PART_FILTER] || {};
    return Object.keys(counts).filter(function (part) { return counts[part] > 0; });
  }

  async function search() {
    var id = ++searchId;
    var typed = input.value.trim();
    var query = normaliseQuery(typed);
    var filters = selectedFilters();
    rememberInUrl();
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = MESSAGES.idle;
      return;
    }
    if (!INDEXED) {
      status.textContent = MESSAGES.empty;
      return;
    }
    status.textContent = MESSAGES.busy;
    var response;
    try {
      var pf = await loadPagefind();
      var parts = PARTS > 1 ? await partsWithEveryWord(pf, query) : null;
      var narrowed = Object.assign({}, filters);
      if (parts !== null) narrowed[PART_FILTER] = { any: parts };
      response = parts !== null && !parts.length ? { results: [] } : await pf.search(query, { filters: narrowed });
    } catch (error) {
      if (id === searchId) status.textContent = MESSAGES.failed;
      return;
    }
    if (id !== searchId) return;  // a newer search started meanwhile
    // Score 0: the words matched nothing but the day metadata.
    matches = response.results.filter(function (result) { return result.score > 0; });
    terms = toTerms(query);
    shown = 0;
    if (!matches.length) {
      status.textContent = "Không tìm thấy kết quả nào cho “" + typed + "”" +
        (Object.keys(filters).length ? " với chuyên mục, năm đã chọn" : "") +
        ". Hãy thử từ khóa khác, bớt từ hoặc bỏ bộ lọc.";
      return;
    }
    // Results first, then the announcement: the status is what tests and
    // screen readers wait for.
    if (await showMore(id)) {
      status.textContent = "Tìm thấy " + vnNumber(matches.length) + " kết quả cho “" + typed + "”.";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  selects.forEach(function (select) { select.addEventListener("change", search); });
  more.addEventListener("click", async function () {
    var first = await showMore(searchId);
    var link = first && first.querySelector("a");
    if (link) link.focus();  // keyboard users continue where the new results start
  });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
      select.value = wanted;
    }
  });
  if (input.value.trim()) search();
  else status.textContent = MESSAGES.idle;
})();
