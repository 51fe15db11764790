"""The sample site in real headless Chromium at phone width."""
from __future__ import annotations

import re

import pytest

from tests.support.sites import axe_serious, serve_directory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve_directory(sample_site.output) as url:
        yield url


def test_reader_path_home_category_article_calendar(phone, base_url, tmp_path):
    phone.goto(base_url + "/")
    assert phone.title().startswith("Đảng ủy Khối")
    assert axe_serious(phone) == []

    phone.locator("label.menu-button").click()  # the phone menu sits behind its button (issue 18)
    phone.locator("nav.main-nav a", has_text="Xây dựng Đảng").first.click()
    phone.wait_for_load_state()
    assert "/chuyen-muc/xay-dung-dang/" in phone.url
    assert phone.locator("main h1").inner_text() == "Xây dựng Đảng"
    assert axe_serious(phone) == []

    first = phone.locator("main .card-title a").first
    title = first.inner_text()
    first.click()
    phone.wait_for_load_state()
    assert phone.locator("main h1").inner_text() == title
    stamp = phone.locator(".article-meta time").inner_text()
    assert re.fullmatch(r"(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d\d/\d\d/\d{4} \| \d\d:\d\d", stamp)
    phone.screenshot(path=str(tmp_path / "article-phone.png"), full_page=True)
    assert axe_serious(phone) == []

    day = stamp.split(" | ")[0]  # the calendar links the article's own day
    phone.locator(f'aside .calendar td a[aria-label="Tin ngày {day}"]').click()  # named as the page it opens
    phone.wait_for_load_state()
    assert phone.locator("main h1").inner_text() == f"Tin ngày {day}"
    assert phone.locator("main .card-title a", has_text=title).count() == 1
    assert axe_serious(phone) == []
    assert phone.failed_responses == []
    assert phone.console_errors == []
    assert phone.external_requests == []


def test_skip_link_and_focus_are_keyboard_usable(phone, base_url):
    phone.goto(base_url + "/")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.textContent")
    assert focused == "Bỏ qua, đến nội dung chính"
    assert phone.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#noi-dung"


def test_no_horizontal_scroll_at_phone_width(phone, base_url):
    phone.goto(base_url + "/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
