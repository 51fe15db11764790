"""Following a "Tin liên quan" link in real headless Chromium at phone width."""
from __future__ import annotations

import pytest

from tests.support.sites import axe_serious, build_site, serve_directory, write_site
from tests.related.test_related import FILES, PAGE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    built = build_site(write_site(tmp_path_factory.mktemp("related-browser"), FILES))
    assert built.returncode == 0, built.stderr
    with serve_directory(built.output) as url:
        yield url


def test_reader_follows_a_related_link(phone, base_url):
    phone.goto(base_url + PAGE)
    box = phone.locator("section.related")
    assert box.locator("h2").inner_text().casefold() == "tin liên quan"
    thumbnail = box.locator(".card-image img").first
    # Below the fold the thumbnail is lazy: it loads once scrolled to (a missing file never does).
    thumbnail.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle(), timeout=15_000)
    assert thumbnail.is_visible()
    assert axe_serious(phone) == []

    entry = box.locator(".card-title a").nth(2)
    title = entry.inner_text()
    entry.click()
    phone.wait_for_load_state()
    assert phone.url == base_url + "/2024/03/thao-luan-du-thao-van-kien/"
    assert phone.locator("main h1").inner_text() == title
    # This small site has no logo, banner or partner images: only their 404s are expected.
    assert [e for e in phone.console_errors if not e.startswith("Failed to load resource")] == []
    assert phone.external_requests == []
