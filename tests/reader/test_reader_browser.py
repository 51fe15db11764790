"""The front page and an article in real headless Chromium at 1366×768 (office screen) and 390×844 (phone).

Screenshots are kept in pytest's temporary folder (``screens``: printed path) as artifacts.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.support.sites import PHONE, axe_serious, serve_directory

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve_directory(sample_site.output) as url:
        yield url


@pytest.fixture(scope="module")
def stats_site(tmp_path_factory, sample_site):
    """The sample content with statistics on and a saved snapshot of the service's export."""
    import json

    from tests.support.sites import ROOT, build_site

    root = tmp_path_factory.mktemp("reader-stats")
    articles = sorted("/" + str(p.parent.relative_to(sample_site.output)) + "/"
                      for p in sample_site.output.glob("20*/*/*/index.html") if not p.parent.name.isdigit())
    snapshot = {"generated": "2026-12-01T09:00:00+07:00",
                "site": {"online": 12, "today": 431, "week": 3120, "month": 12650, "total": 95210},
                "views": {p: 1000 + n for n, p in enumerate(articles)},
                "popular": {"week": [{"path": p, "views": 300 - n} for n, p in enumerate(articles[:5])],
                            "month": [{"path": p, "views": 900 - n} for n, p in enumerate(articles[5:10])]}}
    (root / "snapshot.json").write_text(json.dumps(snapshot), encoding="utf-8")
    site = build_site_with(root, f"STATS_SNAPSHOT_FILE = {str(root / 'snapshot.json')!r}\n", ROOT)
    with serve_directory(site.output) as url:
        yield url


def build_site_with(root, settings: str, content_root):
    from tests.support.sites import BuiltSite, run_portal

    (root / "conf.py").write_text(f"from pelicanconf import *\nPATH = {str(content_root / 'content')!r}\n"
                                  f"STATS_ENABLED = True\n{settings}", encoding="utf-8")
    result = run_portal("build", root, "-s", "conf.py", "-o", "output")
    assert result.returncode == 0, result.stderr
    return BuiltSite(root, root / "output", result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reader-screens")
    print(f"\nảnh chụp màn hình: {folder}")
    return folder


@pytest.fixture(scope="module")
def photo_article(sample_site) -> str:
    """An article of the sample with a captioned photo in its body."""
    for path in sorted(sample_site.output.glob("20*/*/*/index.html")):
        url = "/" + str(path.parent.relative_to(sample_site.output)) + "/"
        if not path.parent.name.isdigit() and sample_site.page(url).select(".article-body figure figcaption .credit"):
            return url
    raise AssertionError("the sample site has no article with a captioned photo")


def open_page(browser, viewport, url, **options):
    context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_desktop_home_lead_sapo_and_five_headlines_above_the_fold(browser, base_url, screens):
    page = open_page(browser, DESKTOP, base_url + "/")
    page.screenshot(path=str(screens / "home-1366x768.png"))
    page.screenshot(path=str(screens / "home-1366-full.png"), full_page=True)
    lead = box(page, ".home-lead .card-title")
    sapo = box(page, ".home-lead .card-summary")
    assert lead["y"] > 0 and lead["y"] + lead["height"] <= DESKTOP["height"]
    assert sapo["y"] >= lead["y"] + lead["height"] and sapo["y"] + sapo["height"] <= DESKTOP["height"]
    headlines = [b for b in (page.locator(".home-latest .card-title").nth(i).bounding_box()
                             for i in range(page.locator(".home-latest .card-title").count()))]
    visible = [b for b in headlines if b["y"] + b["height"] <= DESKTOP["height"]]
    assert len(visible) >= 5, headlines
    assert page.errors == []
    page.context.close()


def test_desktop_columns_are_balanced(browser, stats_site):
    """As published: the sidebar holds the statistics and "Đọc nhiều" boxes."""
    page = open_page(browser, DESKTOP, stats_site + "/")
    assert page.locator("aside .most-read li").count() >= 5
    main, aside = box(page, "main"), box(page, "aside.sidebar")
    assert aside["x"] > main["x"] + main["width"]  # a real second column
    main_end, aside_end = main["y"] + main["height"], aside["y"] + aside["height"]
    # Neither column runs on alone for more than a third of the page (was 1,100 of 5,852 px).
    assert abs(main_end - aside_end) <= max(main_end, aside_end) / 3, (main_end, aside_end)
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_header_is_compact_and_the_menu_button_works(browser, base_url, screens, javascript):
    page = open_page(browser, PHONE, base_url + "/", java_script_enabled=javascript, is_mobile=True,
                     has_touch=True, device_scale_factor=2)
    header = box(page, "header.site-header")
    assert header["height"] <= 160, header  # date, brand and menu button, search (was 308 px)
    lead = box(page, ".home-lead .card-title")
    assert lead["y"] + lead["height"] <= PHONE["height"]
    page.screenshot(path=str(screens / f"home-phone-js-{javascript}.png"))
    link = page.locator("nav.main-nav a", has_text="Xây dựng Đảng")
    assert not link.is_visible()
    page.locator("label.menu-button").click()
    assert link.is_visible()
    page.screenshot(path=str(screens / f"home-phone-menu-js-{javascript}.png"))
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/chuyen-muc/xay-dung-dang/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


def test_header_date_is_kept_current_by_the_site_script(browser, base_url):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    # 17:30 UTC on Monday 30 November is already Tuesday 1 December in Vietnam.
    page.clock.set_fixed_time(datetime(2026, 11, 30, 17, 30, tzinfo=timezone.utc))
    page.goto(base_url + "/")
    today = page.locator("header [data-today]")
    assert today.inner_text() == "Thứ Ba, 01/12/2026"
    assert today.get_attribute("datetime") == "2026-12-01"
    context.close()


def test_article_print_stylesheet_and_figures(browser, base_url, photo_article, screens):
    page = open_page(browser, DESKTOP, base_url + photo_article)
    page.screenshot(path=str(screens / "article-1366-full.png"), full_page=True)
    assert page.locator("a.print-link").is_visible()  # shown by site.js
    figure = page.locator(".article-body figure.photo").first
    image, caption, credit = (figure.locator(s).bounding_box() for s in ("img", ".caption", ".credit"))
    assert credit["y"] >= caption["y"] + caption["height"] - 1  # the credit has its own line
    assert image["height"] <= DESKTOP["height"]
    alt = figure.locator("img").get_attribute("alt")
    assert alt != figure.locator(".caption").inner_text()

    page.emulate_media(media="print")
    page.screenshot(path=str(screens / "article-print.png"), full_page=True)
    for hidden in ("nav.main-nav", "aside.sidebar", "a.print-link", ".site-footer", ".other-news", "input.menu-toggle"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("main h1", ".article-meta time", ".lead", ".article-body figure img", ".article-body figcaption .caption",
                  ".article-body figcaption .credit", ".print-address"):
        assert page.locator(shown).first.is_visible(), shown
    assert page.locator(".print-address").inner_text() == "Địa chỉ bài viết: " + base_url + photo_article
    assert page.errors == []
    page.context.close()


def test_portrait_photo_never_taller_than_the_screen(browser, tmp_path):
    from tests.support.photos import jpeg
    from tests.support.sites import article, build_site, write_site

    root = write_site(tmp_path, {
        "articles/doc.md": article("Ảnh dọc", "2026-03-02 08:00", "Đoàn thể",
                                   body='Mở đầu.\n\n![Chân dung](/images/2026/doc.jpg "Ảnh: Thành Duy")\n\nKết.'),
        "images/2026/doc.jpg": jpeg((900, 1800)),
    })
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    with serve_directory(built.output) as url:
        for viewport in (DESKTOP, PHONE):
            page = open_page(browser, viewport, url + "/2026/03/anh-doc/")
            image = box(page, ".article-body figure img")
            assert image["height"] <= viewport["height"] and image["width"] <= viewport["width"]
            page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
def test_home_and_article_have_no_serious_accessibility_violations(browser, base_url, stats_site, photo_article,
                                                                   viewport):
    for url in (base_url + "/", base_url + photo_article, stats_site + "/"):
        page = open_page(browser, viewport, url)
        assert axe_serious(page) == [], url
        page.context.close()
