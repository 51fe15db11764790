"""Listing pages, archives, calendar and pagination on a purpose-made site."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.support.sites import article, build_site, write_site
from portal.core.listings.calendar import NewsCalendar
from portal.core.listings.grouping import ListingIndex


def doc(slug, day, category="A", tags=()):
    return SimpleNamespace(slug=slug, date=day, category=category, tags=list(tags), authors=[])


def test_index_groups_newest_first_and_links_neighbours():
    docs = [doc("b", date(2023, 1, 2)), doc("a", date(2023, 1, 2)), doc("c", date(2022, 5, 1), "B", ["t"])]
    index = ListingIndex(docs)
    index.link_neighbours()
    assert [d.slug for d in index.articles] == ["a", "b", "c"]  # same date: by slug
    assert [d.slug for d in index.by_year[2023]] == ["a", "b"]
    assert [d.slug for d in index.by_tag["t"]] == ["c"]
    assert index.articles[0].newer_article is None and index.articles[0].older_article.slug == "b"


def test_calendar_links_only_days_with_news_and_months_with_news():
    days = [date(2023, 10, 3), date(2023, 12, 29), date(2023, 12, 29), date(2024, 2, 1)]
    cal = NewsCalendar(days, lambda d: f"{d:%Y/%m/%d}/", lambda d: f"{d:%Y/%m}/")
    december = cal.month(2023, 12)
    linked = [day for week in december.weeks for day in week if day and day.url]
    assert [(d.day.day, d.url) for d in linked] == [(29, "2023/12/29/")]
    assert december.weeks[0][:4] == [None, None, None, None]  # 1/12/2023 is a Friday
    assert (december.previous_url, december.next_url) == ("2023/10/", "2024/02/")
    empty = cal.month(2023, 11)  # no news that month: still navigable
    assert empty.url is None and (empty.previous, empty.next) == ((2023, 10), (2023, 12))
    assert cal.latest().month == 2 and cal.for_page(period=(2023,)).month == 12


CATEGORY_WITH_DIGIT = "Hội nghị 2024"  # slug ends in a digit: hoi-nghi-2024


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {}
    for i in range(45):
        files[f"articles/n{i:02d}.md"] = article(
            f"Tin số {i:02d}", f"2024-03-{1 + i % 28:02d} {8 + i % 10:02d}:00", CATEGORY_WITH_DIGIT,
            Tags="đại hội", Author="Văn phòng Đảng ủy Khối",
        )
    files["articles/dec.md"] = article(
        "Đảng ủy Khối <script>alert(1)</script> tổng kết", "2023-12-29 19:17", "Xây dựng Đảng",
        body="Đoạn mở đầu.\n\nĐoạn thứ hai.", Author="Hồng Khanh",
        AuthorRole="Ủy viên BTV, Chủ nhiệm UBKT Đảng ủy Khối", Source="Báo Nghệ An",
        Tags="<b>thẻ</b>", Featured="true", Summary="Sapo <em>in đậm</em> & rõ ràng",
    )
    files["articles/jan.md"] = article("Tin tháng Một", "2024-01-05 07:30", "Xây dựng Đảng")
    # The home page's category blocks follow MENU unless set (issue 18); this site puts its
    # own category, which is not in the menu, first.
    root = write_site(tmp_path_factory.mktemp("listings"), files,
                      settings=f"LISTINGS_HOME_CATEGORIES = [{CATEGORY_WITH_DIGIT!r}]\n")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def titles(soup):
    return [a.get_text(strip=True) for a in soup.select("main .card-title a")]


def test_category_pagination_uses_trang_subpaths(site):
    first = site.page("/chuyen-muc/hoi-nghi-2024/")
    assert len(titles(first)) == 20
    assert site.exists("/chuyen-muc/hoi-nghi-2024/trang/2/")
    assert site.exists("/chuyen-muc/hoi-nghi-2024/trang/3/")
    assert not site.exists("/chuyen-muc/hoi-nghi-2024/trang/4/")
    assert not site.exists("/chuyen-muc/hoi-nghi-20242/")
    last = site.page("/chuyen-muc/hoi-nghi-2024/trang/3/")
    assert len(titles(last)) == 5
    links = {a.get_text(strip=True): a["href"] for a in last.select("nav.pagination a")}
    assert links["1"] == "/chuyen-muc/hoi-nghi-2024/"
    assert links["‹ Trang trước"] == "/chuyen-muc/hoi-nghi-2024/trang/2/"
    # Every article appears exactly once across the pages, newest first.
    pages = [site.page(u) for u in ("/chuyen-muc/hoi-nghi-2024/", "/chuyen-muc/hoi-nghi-2024/trang/2/",
                                    "/chuyen-muc/hoi-nghi-2024/trang/3/")]
    seen = [t for p in pages for t in titles(p)]
    assert sorted(seen) == sorted(f"Tin số {i:02d}" for i in range(45))


def test_tag_and_author_pages(site):
    tag = site.page("/the/dai-hoi/")
    assert tag.h1.get_text(strip=True) == "Thẻ: đại hội"
    assert site.exists("/the/dai-hoi/trang/3/")
    author = site.page("/tac-gia/hong-khanh/")
    assert titles(author) == ["Đảng ủy Khối <script>alert(1)</script> tổng kết"]


def test_year_month_day_archives(site):
    month = site.page("/2023/12/")
    assert month.h1.get_text(strip=True) == "Tháng 12/2023"
    assert site.page("/2023/").h1.get_text(strip=True) == "Năm 2023"
    day = site.page("/2023/12/29/")
    assert day.h1.get_text(strip=True) == "Tin ngày Thứ Sáu, 29/12/2023"
    crumbs = [li.get_text(strip=True) for li in day.select("nav.breadcrumb li")]
    assert crumbs == ["Trang chủ", "2023", "Tháng 12/2023", "29/12/2023"]
    assert site.exists("/2024/03/trang/3/")


def test_article_page(site):
    page = site.page("/2023/12/dang-uy-khoi-script-alert-1-script-tong-ket/")
    assert page.html["lang"] == "vi"
    assert page.h1.get_text() == "Đảng ủy Khối <script>alert(1)</script> tổng kết"
    assert not page.select("main script")
    time = page.select_one(".article-meta time")
    assert time["datetime"] == "2023-12-29T19:17:00+07:00"
    assert time.get_text() == "Thứ Sáu, 29/12/2023 | 19:17"
    assert page.select_one(".lead").get_text() == "Sapo <em>in đậm</em> & rõ ràng"
    assert page.select_one(".byline").get_text(" ", strip=True) == "Hồng Khanh (Ủy viên BTV, Chủ nhiệm UBKT Đảng ủy Khối)"
    assert page.select_one(".source").get_text() == "Nguồn: Báo Nghệ An"
    assert [a.get_text() for a in page.select(".tags a")] == ["<b>thẻ</b>"]
    assert [(a.get_text(strip=True), a["href"]) for a in page.select("nav.breadcrumb a")] == [
        ("Trang chủ", "/"), ("Xây dựng Đảng", "/chuyen-muc/xay-dung-dang/")]
    same = [a.get_text() for a in page.select(".same-category a")]
    assert same == ["Tin tháng Một"]
    # Issue 18: an article is in at most one box under an article. "Tin tháng Một" (same category
    # and the next article) used to be asserted in "Các tin khác" too (as rel=next); now the
    # nearest other articles not already listed fill that box.
    others = [a.get_text() for a in page.select(".other-news a")]
    assert "Tin tháng Một" not in others and len(others) == 5 and len(set(others)) == 5


def test_lead_defaults_to_first_paragraph_shown_once(site):
    page = site.page("/2024/01/tin-thang-mot/")
    assert page.select_one(".lead").get_text() == "Nội dung bài viết."
    assert "Nội dung bài viết." not in page.select_one(".article-body").get_text()


def test_calendar_on_article_page_links_days_and_months(site):
    page = site.page("/2023/12/dang-uy-khoi-script-alert-1-script-tong-ket/")
    calendar = page.select_one("aside .calendar")
    assert calendar.caption.get_text(strip=True) == "Tháng 12/2023"
    days = {a.get_text(): a["href"] for a in calendar.select("td a")}
    assert days == {"29": "/2023/12/29/"}
    # The day, not its count: a new article that day leaves every page showing the month as it was.
    assert calendar.select_one("td a")["aria-label"] == "Tin ngày Thứ Sáu, 29/12/2023"
    assert calendar.select_one("a.next")["href"] == "/2024/01/"
    assert calendar.select_one("a.prev") is None


def test_home_page_lead_latest_and_category_blocks(site):
    home = site.page("/")
    lead = home.select_one(".home-lead .card-title a")
    assert lead.get_text() == "Đảng ủy Khối <script>alert(1)</script> tổng kết"  # Featured
    blocks = [h.get_text(strip=True) for h in home.select(".home-category h2")]
    assert blocks == [CATEGORY_WITH_DIGIT, "Xây dựng Đảng"]
    assert len(home.select(".home-latest li")) == 8


def test_categories_list_and_404(site):
    listing = site.page("/chuyen-muc/")
    entries = [li.get_text(" ", strip=True) for li in listing.select("main .term-list li")]
    assert f"{CATEGORY_WITH_DIGIT} (45 tin)" in entries
    assert "Xây dựng Đảng (2 tin)" in entries
    assert site.page("/404.html").h1.get_text() == "Không tìm thấy trang"


def test_numbers_use_vietnamese_grouping():
    from portal.core.vntext import vn_number, vn_datetime
    from datetime import datetime
    assert vn_number(15527) == "15.527" and vn_number(93308) == "93.308" and vn_number(7) == "7"
    assert vn_datetime(datetime(2024, 3, 3, 9, 5)) == "Chủ Nhật, 03/03/2024 | 09:05"
