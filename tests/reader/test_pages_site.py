"""The built home and article pages (HTML): each article once, menu order, foot boxes, figures, preview."""
from __future__ import annotations

import re
from collections import Counter

import pytest

import pelicanconf
from tests.support.photos import jpeg
from tests.support.sites import article, build_site, write_site

MENU_CATEGORIES = [label for label, url in pelicanconf.MENU if url.startswith("/chuyen-muc/")]


def article_urls(site):
    """Article pages (/{year}/{month}/{slug}/), not the day archives (/{year}/{month}/{day}/)."""
    return sorted(p for p in site.output.glob("20*/*/*/index.html") if not p.parent.name.isdigit())


def test_home_cards_show_each_article_once_and_blocks_follow_the_menu(sample_site):
    home = sample_site.page("/")
    links = [a["href"] for a in home.select("main .card-title a")]
    assert len(links) >= 12
    assert [href for href, n in Counter(links).items() if n > 1] == []
    # Every card of the home page also appears once counting its image link.
    images = [a["href"] for a in home.select("main a.card-image")]
    assert len(images) == len(set(images))
    blocks = [h.get_text(strip=True) for h in home.select(".home-category h2")]
    assert blocks == [c for c in MENU_CATEGORIES if c in blocks]  # the menu's order, not the alphabet
    assert len(blocks) >= 4
    assert home.select_one(".home-top .home-lead + .home-latest")  # lead and latest side by side


def test_article_foot_lists_an_article_in_at_most_one_box(sample_site):
    checked = 0
    for path in article_urls(sample_site):
        page = sample_site.page("/" + str(path.parent.relative_to(sample_site.output)) + "/")
        boxes = {name: [a["href"] for a in page.select(f"main .{name} .card-title a, main .{name} li > a")]
                 for name in ("related", "same-category", "other-news")}
        listed = [href for hrefs in boxes.values() for href in hrefs]
        assert len(listed) == len(set(listed)), (path, boxes)
        own = "/" + str(path.parent.relative_to(sample_site.output)) + "/"
        assert own not in listed
        checked += bool(boxes["related"]) and bool(boxes["other-news"])
    assert checked >= 5  # the sample has articles with all the boxes


def test_header_date_is_written_in_vietnamese_at_build_time(sample_site):
    cell = sample_site.page("/").select_one("header [data-today]")
    assert re.fullmatch(r"(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d\d/\d\d/\d{4}", cell.get_text())
    day, month, year = cell.get_text().split(", ")[1].split("/")
    assert cell["datetime"] == f"{year}-{month}-{day}"


def test_print_link_address_and_print_stylesheet_are_on_every_article(sample_site):
    page = sample_site.page("/" + str(article_urls(sample_site)[0].parent.relative_to(sample_site.output)) + "/")
    assert page.select_one("a.print-link").get_text() == "In bài"
    # The print stylesheet is the @media print part of the one stylesheet (no extra request).
    assert [link["href"] for link in page.select("link[rel=stylesheet]")] == ["/theme/css/main.css"]
    assert "@media print" in (sample_site.output / "theme/css/main.css").read_text(encoding="utf-8")
    address = page.select_one(".print-address [data-print-address]").get_text()
    assert address == "/" + str(article_urls(sample_site)[0].parent.relative_to(sample_site.output)) + "/"


def test_phone_menu_is_a_checkbox_and_label_without_script(sample_site):
    header = sample_site.page("/").select_one("header.site-header")
    toggle = header.select_one("input.menu-toggle[type=checkbox]")
    assert header.select_one(f"label.menu-button[for={toggle['id']}]").get_text(strip=True) == "Chuyên mục"
    assert header.select_one(f"#{toggle['aria-controls']} nav.main-nav a")


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures")
    body = ('Mở đầu.\n\n![Toàn cảnh Hội nghị](/images/2026/doc.jpg "Ảnh: Thành Duy")\n\n'
            'Giữa bài có ảnh ![biểu tượng](/images/2026/nho.jpg) nhỏ.\n\nKết.')
    write_site(root, {
        "articles/anh.md": article("Hội nghị có ảnh dọc", "2026-03-02 08:00", "Đoàn thể", body=body),
        "images/2026/doc.jpg": jpeg((900, 1600)),
        "images/2026/nho.jpg": jpeg((120, 90)),
    })
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def test_figure_alt_does_not_repeat_the_visible_caption(photo_site):
    page = photo_site.page("/2026/03/hoi-nghi-co-anh-doc/")
    figure = page.select_one(".article-body figure.photo")
    caption = figure.select_one("figcaption .caption").get_text()
    assert caption == "Toàn cảnh Hội nghị"
    assert figure.select_one("figcaption .credit").get_text() == "Ảnh: Thành Duy"
    assert figure.select_one("img")["alt"] != caption and figure.select_one("img")["alt"] == ""
    inline = page.select_one(".article-body p picture img")
    assert inline["alt"] == "biểu tượng"  # an inline photo has no caption: its text stays


def preview_files() -> dict[str, str]:
    files = {}
    for n in range(1, 10):
        files[f"articles/dang-{n}.md"] = article(
            f"Hội nghị Đoàn thể số {n}", f"2026-03-0{n} 08:00", "Đoàn thể", Tags="hội nghị, đoàn thể",
            People="Nguyễn Văn An, Trần Thị Bình", body=f"Hội nghị đoàn thể lần {n} bàn công tác đoàn viên.")
    files["articles/khac.md"] = article("Tin hoạt động khác", "2026-03-09 09:00", "Tin hoạt động")
    files["articles/nhap.md"] = article(
        "Dự thảo hội nghị Đoàn thể", "2026-03-10 08:00", "Đoàn thể", Status="draft", Tags="hội nghị, đoàn thể",
        People="Nguyễn Văn An, Trần Thị Bình", body="Hội nghị đoàn thể bàn công tác đoàn viên năm tới.")
    return files


def test_draft_preview_has_the_boxes_and_separators_of_a_published_page(tmp_path):
    root = write_site(tmp_path, preview_files(),
                      settings=f"from previewconf import *\nPATH = {str(tmp_path / 'content')!r}\n")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    draft = built.page("/2026/03/du-thao-hoi-nghi-doan-the/")
    published = built.page("/2026/03/hoi-nghi-doan-the-so-9/")
    assert draft.select_one(".draft-flag") is not None

    def boxes(page):
        return [node["class"] for node in page.select("main > .more")]

    assert boxes(draft) == boxes(published)
    assert [c[-1] for c in boxes(draft)] == ["related", "same-category", "other-news"]
    assert draft.select("main .related .card-title a")  # "Tin liên quan" is shown
    listed = [a["href"] for a in draft.select("main .more .card-title a, main .more li > a")]
    assert len(listed) == len(set(listed))
    names = [li.get_text(strip=True) for li in draft.select(".people li")]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]  # one item each, never run together
    # No published page lists the draft.
    assert not [p for p in built.output.rglob("index.html") if "/2026/03/du-thao" in p.read_text(encoding="utf-8")
                and "du-thao-hoi-nghi-doan-the" not in str(p)]
