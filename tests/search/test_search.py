"""search plugin: what Pagefind indexes, and the /tim-kiem/ page in real Chromium."""
from __future__ import annotations

import gzip
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.support.sites import article, axe_serious, build_site, serve_directory, write_site
from portal.core.search import indexer
from portal.core.search.folding import fold, folded_d_words, without_marks
from portal.core.search.records import SearchRecord, index_words, record_html, word_ranks
from portal.core.search.settings import DEFAULTS

# Words that live only outside an article's title, lead and body: none may be indexed.
OUTSIDE_WORDS = {
    "menu": "menuchimuc",
    "sidebar": "lienketbien",
    "widget": "thongketruycap",
    "view_count": "luotxemtin",
    "footer": "diachichantrang",
    "tag": "thebaiviet",
    "author": "tacgiabai",
    "draft": "nhapbimat",
}

SETTINGS = f"""
MENU = [("Trang chủ", "/"), ("Chuyên mục {OUTSIDE_WORDS['menu']}", "/chuyen-muc/xay-dung-dang/")]
SIDEBAR_LINKS = [("Liên kết {OUTSIDE_WORDS['sidebar']}", "/favicon.ico", "https://example.gov.vn/")]
SITE_LOGO = ""
SITE_ADDRESS = "Số 1 {OUTSIDE_WORDS['footer']}"
STATIC_PATHS = ["images"]
EXTRA_PATH_METADATA = {{"images/lk.png": {{"path": "favicon.ico"}}}}  # Chromium asks for one
# Drafts get a preview page here, on a path the article glob matches: the
# template must still keep it out of the index.
DRAFT_URL = "nhap/{{date:%Y}}/{{slug}}/"
DRAFT_SAVE_AS = "nhap/{{date:%Y}}/{{slug}}/index.html"
"""

ARTICLES = {
    "khoi": article(
        "Đảng ủy Khối các cơ quan tỉnh tổng kết công tác năm 2024",
        "2024-12-20 08:30", "Xây dựng Đảng",
        "Hội nghị đánh giá kết quả lãnh đạo của Đảng ủy Khối trong năm.\n\n"
        "Các tổ chức cơ sở hoàn thành tốt nhiệm vụ chính trị.",
        Summary="Sáng 20/12, Đảng ủy Khối tổ chức hội nghị tổng kết.",
        Tags=f"Tổng kết {OUTSIDE_WORDS['tag']}",
        Author=f"Lê Hoa {OUTSIDE_WORDS['author']}",
    ),
    "xay-dung": article(
        "Nâng cao chất lượng xây dựng Đảng ở chi bộ cơ sở",
        "2025-03-04 09:00", "Xây dựng Đảng",
        "Các chi bộ tập trung xây dựng Đảng vững mạnh về chính trị, tư tưởng.",
    ),
    "thong": article(
        "Nguyễn Văn Thông thăm cơ sở sản xuất",
        "2025-05-06 10:00", "Tin hoạt động",
        "Trong chuyến thăm, ông Nguyễn Văn Thông ghi nhận kết quả của công nhân.",
    ),
    "dang-verb": article(
        "Chi bộ đang học tập nghị quyết mới",
        "2025-06-07 10:00", "Tin hoạt động",
        "Cán bộ đang nghiên cứu văn bản; học tập nghị quyết là việc thường xuyên.",
    ),
    "dang-party": article(
        "Đảng viên trẻ học tập nghị quyết",
        "2025-06-08 10:00", "Tin hoạt động",
        "Đoàn viên ưu tú được giới thiệu; học tập nghị quyết theo kế hoạch.",
    ),
    "da-dang": article(
        "Tuyên truyền bằng nhiều hình thức phong phú",
        "2026-01-09 10:00", "Tuyên giáo - Dân vận",
        "Hình thức tuyên truyền đa dạng, sinh động ở ủy ban khối phố.",
    ),
}
DRAFT = article(
    "Bản thảo kế hoạch chưa công bố", "2025-07-01 10:00", "Tin hoạt động",
    f"Nội dung {OUTSIDE_WORDS['draft']} chưa được duyệt.", Status="draft",
)
TITLE = {key: text.splitlines()[0].removeprefix("Title: ") for key, text in ARTICLES.items()}
FOLD_MARK = "⁂"


def tiny_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (3, 1), "red").save(buffer, "PNG")
    return buffer.getvalue()


# One index, and the same articles split into parts of at most 2 (SEARCH_PART_SIZE):
# every reader-facing behaviour must hold when the browser merges the parts.
@pytest.fixture(scope="module", params=["one-index", "parts"])
def site(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    overrides = root / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "stats_widget.html").write_text(
        f'<section class="box"><h2>Thống kê</h2><p>{OUTSIDE_WORDS["widget"]} 15.527</p></section>', encoding="utf-8")
    (overrides / "view_count.html").write_text(f"<span>{OUTSIDE_WORDS['view_count']} 12</span>", encoding="utf-8")
    files = {f"articles/{key}.md": text for key, text in ARTICLES.items()}
    files["articles/nhap.md"] = DRAFT
    files["images/lk.png"] = tiny_png()
    overrides_setting = f"THEME_TEMPLATES_OVERRIDES = [{str(root / 'overrides')!r}]\n"
    if request.param == "parts":
        overrides_setting += "SEARCH_PART_SIZE = 2\n"
    write_site(root, files, SETTINGS + overrides_setting)
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def fragments(site) -> dict[str, dict]:
    """Pagefind's stored record of each indexed page, by URL."""
    records = {}
    for path in (site.output / "pagefind").glob("**/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    return records


def url_of(site, key: str) -> str:
    soup = site.page("/")
    link = soup.find("a", string=TITLE[key])
    assert link is not None, f"{TITLE[key]} not on the home page"
    return urlparse(link["href"]).path


# --- Folding (pure) --------------------------------------------------------

def test_fold_removes_every_mark_and_turns_d_stroke_into_d():
    assert fold("Đảng ủy Khối") == "dang uy khoi"
    assert fold("Nguyễn Văn Thông, ĐOÀN, ưu tú") == "nguyen van thong, doan, uu tu"


def test_only_words_with_d_stroke_are_folded_once_each():
    assert folded_d_words("Đảng ủy Khối, xây dựng Đảng; ĐOÀN đoàn") == "dang doan"
    assert folded_d_words("Nguyễn Văn Thông thăm cơ sở") == ""


def test_without_marks_keeps_d_stroke_as_pagefind_does():
    assert without_marks("Đảng ủy Khối") == "đang uy khoi"


def test_index_words_are_what_pagefind_compares():
    assert index_words("Sáng 20/12, “Đảng ủy Khối” (ĐOÀN) COVID-19.") == [
        "sang", "20/12", "đang", "uy", "khoi", "đoan", "covid-19"]


def make_record(body: str, title: str = "Tin", lead: str = "") -> SearchRecord:
    return SearchRecord("2024/01/tin/index.html", title, lead, body, "Tin hoạt động", 2024, "20240102")


def indexed_part(html: str) -> tuple[list[str], BeautifulSoup]:
    """(words before the mark, the page Pagefind reads)."""
    page = BeautifulSoup(html, "html5lib")
    return page.main.p.get_text(" ").split(), page


def test_each_word_is_indexed_a_bounded_number_of_times_common_words_first():
    records = [make_record("Đảng ủy Khối, Đảng ủy Khối. Đảng đảng ĐẢNG và dân."), make_record("Khối dân vận và Đảng.")]
    settings = dict(DEFAULTS, SEARCH_WORD_REPEATS=2)
    words, _ = indexed_part(record_html(records[0], word_ranks(records), settings))
    assert words.count("đang") == 2 and words.count("khoi") == 2 and words.count("va") == 1
    # "đang", "khoi", "dan", "va" are in both articles, "uy" in one: it comes after them.
    assert words.index("uy") > max(words.index(w) for w in ("đang", "khoi", "dan", "va"))


def test_d_words_get_a_lighter_folded_spelling_and_title_and_lead_stay_as_written():
    settings = dict(DEFAULTS)
    html = record_html(make_record("Đồng chí Định.", title="Đảng ủy Khối <họp>", lead="Lead về Đoàn."), {}, settings)
    words, page = indexed_part(html)
    # No ranks given: alphabetical, each đ-word followed by its folded spelling.
    assert words == ["chi", "lead", "ve", "đinh", "dinh", "đoan", "doan", "đong", "dong"]
    folded = page.main.find_all("span", attrs={"data-pagefind-weight": str(settings["SEARCH_FOLD_BODY_WEIGHT"])})
    assert {span.get_text() for span in folded} == {"dong", "dinh", "doan"}
    title_folds = page.main.find("p", attrs={"data-pagefind-weight": str(settings["SEARCH_FOLD_TITLE_WEIGHT"])})
    assert title_folds.get_text() == "dang"
    assert page.main.h1.get_text() == "Đảng ủy Khối <họp>"  # escaped, then read back as text
    assert page.main.h1.find_previous("p").get_text() == settings["SEARCH_FOLD_MARK"]
    assert page.main.find_all("p")[-1].get_text() == "Lead về Đoàn."


# --- The index ---------------------------------------------------------------

def test_one_record_per_published_article_and_nothing_else(site):
    records = fragments(site)
    assert set(records) == {url_of(site, key) for key in ARTICLES}
    assert site.exists("/nhap/2025/ban-thao-ke-hoach-chua-cong-bo/")  # previewable, yet not indexed
    assert all(OUTSIDE_WORDS["draft"] not in r["content"] for r in records.values())


def test_title_lead_and_body_are_indexed_but_not_the_page_around_them(site):
    record = fragments(site)[url_of(site, "khoi")]
    indexed, shown = record["content"].split(FOLD_MARK)
    assert shown.lstrip(". ").startswith(TITLE["khoi"])
    assert "Sáng 20/12, Đảng ủy Khối tổ chức hội nghị tổng kết." in shown
    body = "Hội nghị đánh giá kết quả lãnh đạo của Đảng ủy Khối trong năm. Các tổ chức cơ sở hoàn thành tốt nhiệm vụ chính trị."
    assert set(index_words(body)) <= set(index_words(indexed))
    for where, word in OUTSIDE_WORDS.items():
        assert word not in record["content"], f"{where} was indexed"
    assert "Xem tin theo ngày" not in record["content"] and "Tin cùng chuyên mục" not in record["content"]


def test_meta_and_filters_for_the_result_list(site):
    record = fragments(site)[url_of(site, "khoi")]
    assert record["meta"]["title"] == TITLE["khoi"]
    assert record["meta"]["ngay"] == "20241220"
    assert record["filters"] == {"chuyen_muc": ["Xây dựng Đảng"], "nam": ["2024"]}


def test_folded_spellings_only_for_d_words(site):
    records = fragments(site)
    khoi = index_words(records[url_of(site, "khoi")]["content"].split(FOLD_MARK)[0])
    last = len(khoi) - 1 - khoi[::-1].index("đang")
    assert khoi[last + 1] == "dang"  # the folded spelling follows the word
    assert khoi[-1] == "dang"  # the title's đ-word
    thong = records[url_of(site, "thong")]["content"].split(FOLD_MARK)[0]
    assert all(word == fold(word) for word in index_words(thong))  # no đ, nothing folded


def test_unused_pagefind_interfaces_are_not_published(site):
    bundle = site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not list(bundle.glob("pagefind-*ui*")) and not (bundle / "pagefind-highlight.js").exists()


def test_a_large_index_comes_in_parts_that_share_one_search_code(site, request):
    bundle = site.output / "pagefind"
    parts = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["parts"]
    assert site.page("/tim-kiem/").find(attrs={"data-search": True})["data-indexed"] == "1"
    assert (parts > 1) == (request.node.callspec.params["site"] == "parts")
    folders = sorted((p for p in bundle.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    assert [folder.name for folder in folders] == [str(part) for part in range(1, parts)]
    for folder in folders:  # the browser loads pagefind.js, its worker and the WASM once, from part 0
        assert (folder / "pagefind-entry.json").is_file() and list((folder / "fragment").iterdir())
        assert not list(folder.glob("pagefind*.js")) and not list(folder.glob("wasm.*"))


def test_parts_grow_one_at_a_time_by_splitting_one_part_and_none_is_empty():
    addresses = [f"2025/tin-{n}.html" for n in range(1000)]
    assert indexer.part_count(addresses, 1000) == 1
    assert indexer.part_count(addresses, 100) == 10
    assert indexer.part_count(addresses, 99) == 11
    assert indexer.part_count(addresses[:3], 1) in (1, 2, 3)  # never a part of three left empty
    records = [SearchRecord(a, "Tin", "", "", "Tin hoạt động", 2025, "20250101") for a in addresses]
    for size in (1, 3, 50, 100, 999):
        assert all(indexer.split(records, indexer.part_count(addresses, size)))
    for parts in range(1, 40):
        before = {a: indexer.part_of(a, parts) for a in addresses}
        after = {a: indexer.part_of(a, parts + 1) for a in addresses}
        moved = [a for a in addresses if after[a] != before[a]]
        # One more part: some articles of one part move into the new one, nothing else moves.
        assert moved and {after[a] for a in moved} == {parts} and len({before[a] for a in moved}) == 1
        shares = [indexer.part_share(part, parts + 1) for part in range(parts + 1)]
        assert sum(1 / share for share in shares) == 1  # the shares cover every address once
        assert [p for p in range(parts + 1) if shares[p] != indexer.part_share(p, parts) if p < parts] \
            == [before[moved[0]]]  # only the part split changes its share (and so its chunk size)


def test_search_page_and_header_form_work_without_javascript(site):
    article_page = site.page(url_of(site, "khoi"))
    form = article_page.select_one("header form[role=search]")
    assert form["action"] == "/tim-kiem/" and form["method"] == "get"
    field = form.find("input", attrs={"name": "q"})
    assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)

    page = site.page("/tim-kiem/")
    assert page.h1.get_text() == "Tìm kiếm"
    main_form = page.select_one("main form[role=search]")
    assert main_form["action"] == "/tim-kiem/"
    for select_id, expected in (("tim-chuyen-muc", ["Tin hoạt động", "Tuyên giáo - Dân vận", "Xây dựng Đảng"]),
                                ("tim-nam", ["2026", "2025", "2024"])):
        select = page.find("select", id=select_id)
        assert page.find("label", attrs={"for": select_id})
        assert [o["value"] for o in select.find_all("option")][1:] == expected
    assert "JavaScript" in page.find("noscript").get_text()
    scripts = page.find_all("script")
    assert "/theme/js/search.js" in [s["src"] for s in scripts]
    assert all(s.has_attr("defer") and not s.string for s in scripts)


# --- In the browser ------------------------------------------------------------

@pytest.fixture(scope="module")
def base_url(site):
    with serve_directory(site.output) as url:
        yield url


def search(page, base_url: str, query: str, **params) -> list[str]:
    """Result titles for a query typed into the search page, best first."""
    page.goto(base_url + "/tim-kiem/")
    for name, value in params.items():
        page.select_option(f"select[name={name}]", value)
    page.fill("#tim-tu-khoa", query)
    page.press("#tim-tu-khoa", "Enter")
    return finished_titles(page)


def finished_titles(page) -> list[str]:
    page.wait_for_function(
        "/^(Tìm thấy|Không tìm thấy)/.test(document.querySelector('.search-status').textContent)")
    return page.locator(".search-result-title a").all_inner_texts()


@pytest.mark.browser
@pytest.mark.parametrize("query, first", [
    ("dang uy khoi", "khoi"),
    ("Đảng ủy", "khoi"),
    ("DANG UY", "khoi"),
    ("Đang uy", "khoi"),       # partial diacritics
    ("xay dung dang", "xay-dung"),
    ("nguyen van thong", "thong"),
    ("Đảng viên", "dang-party"),
])
def test_queries_as_readers_type_them(phone, base_url, query, first):
    titles = search(phone, base_url, query)
    assert titles and titles[0] == TITLE[first], titles
    assert phone.console_errors == [] and phone.external_requests == [], phone.console_errors


@pytest.mark.browser
def test_exact_diacritics_rank_first_and_folded_query_finds_both(phone, base_url):
    assert search(phone, base_url, "Đảng học tập")[0] == TITLE["dang-party"]
    assert search(phone, base_url, "đang học tập")[0] == TITLE["dang-verb"]
    both = search(phone, base_url, "dang hoc tap")
    assert {TITLE["dang-party"], TITLE["dang-verb"]} <= set(both)


@pytest.mark.browser
def test_telex_dd_is_read_as_d_stroke(phone, base_url):
    # Pagefind drops a word it does not know, so "ddang" alone shows whether it was read as "đang".
    found = search(phone, base_url, "ddang")
    assert set(found) == {TITLE[key] for key in ("khoi", "xay-dung", "dang-verb", "dang-party")}


@pytest.mark.browser
def test_result_shows_date_category_and_highlighted_excerpt(phone, base_url):
    search(phone, base_url, "dang uy khoi")
    first = phone.locator(".search-result").first
    assert first.locator("time").inner_text() == "Thứ Sáu, 20/12/2024"
    assert first.locator("time").get_attribute("datetime") == "2024-12-20"
    assert first.locator(".search-result-category").inner_text() == "Xây dựng Đảng"
    marks = first.locator(".search-result-excerpt mark").all_inner_texts()
    assert {"Đảng", "ủy", "Khối"} <= set(marks)
    assert FOLD_MARK not in first.locator(".search-result-excerpt").inner_text()
    assert phone.locator(".search-status").inner_text().startswith("Tìm thấy")


@pytest.mark.browser
def test_filters_by_category_and_year(phone, base_url):
    in_category = search(phone, base_url, "hoc tap", **{"chuyen-muc": "Tin hoạt động"})
    assert set(in_category) == {TITLE["dang-verb"], TITLE["dang-party"]}
    assert search(phone, base_url, "dang", nam="2024") == [TITLE["khoi"]]
    query = parse_qs(urlparse(phone.url).query)
    assert query == {"q": ["dang"], "nam": ["2024"]}  # the address can be shared


@pytest.mark.browser
def test_no_match_says_so_in_vietnamese(phone, base_url):
    assert search(phone, base_url, "khongcobaivietnao") == []
    assert phone.locator(".search-status").inner_text().startswith("Không tìm thấy kết quả")
    assert axe_serious(phone) == []


@pytest.mark.browser
def test_header_form_without_javascript_reaches_the_search_page(browser, base_url, site):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(base_url + url_of(site, "thong"))
    page.fill("header input[name=q]", "dang uy khoi")
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    address = urlparse(page.url)
    assert address.path == "/tim-kiem/" and parse_qs(address.query) == {"q": ["dang uy khoi"]}
    assert page.locator("main h1").inner_text() == "Tìm kiếm"
    assert "JavaScript" in page.locator("main .search-notice").inner_text()
    context.close()


@pytest.mark.browser
def test_keyboard_only_from_header_to_article(phone, base_url, site):
    phone.goto(base_url + url_of(site, "thong"))
    for _ in range(10):  # skip link, logo link, then the search box
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.name") == "q":
            break
    else:
        pytest.fail("the header search box is not reachable with Tab")
    phone.keyboard.type("nguyen van thong")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    assert finished_titles(phone)[0] == TITLE["thong"]
    for _ in range(15):
        phone.keyboard.press("Tab")
        if phone.evaluate("!!document.activeElement.closest('.search-result')"):
            break
    else:
        pytest.fail("no result link reachable with Tab")
    assert phone.evaluate("document.activeElement.textContent") == TITLE["thong"]
    phone.keyboard.press("Enter")
    phone.wait_for_url(base_url + url_of(site, "thong"))
    assert axe_serious(phone) == []


@pytest.mark.browser
def test_search_page_with_results_passes_axe(phone, base_url):
    search(phone, base_url, "dang")
    assert phone.locator(".search-result").count() >= 4
    assert axe_serious(phone) == []


def test_without_marks_equals_removing_marks_from_the_decomposed_text():
    import random
    import sys
    import unicodedata

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.lower())
        return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    rng = random.Random(15)
    # Marks after precomposed letters, Hangul jamo that compose, Vietnamese as typed (NFD).
    mixed = "".join(rng.choice(every) for _ in range(50_000))
    samples = [every, mixed, "Đảng ủy Khối", unicodedata.normalize("NFD", "Nghệ An, Hà Tĩnh"),
               "\u1100\u1161\u11a8", "e\u0301\u0323", "\u1ec7\u0300"]
    for text in samples:
        assert without_marks(text) == reference(text)


@pytest.mark.browser
def test_a_site_without_articles_builds_and_its_search_page_says_so(tmp_path, phone):
    write_site(tmp_path, {"pages/gioi-thieu.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nVề Đảng ủy Khối.\n"})
    built = build_site(tmp_path)
    assert built.returncode == 0, built.stderr
    assert not (built.output / "pagefind").exists()
    with serve_directory(built.output) as base:
        phone.goto(base + "/tim-kiem/?q=dang+uy")
        status = phone.locator(".search-status")
        status.filter(has_text="Trang chưa đăng bài viết nào để tìm.").wait_for()
        assert phone.locator(".search-result").count() == 0
    assert phone.console_errors == [] and phone.failed_responses == []
