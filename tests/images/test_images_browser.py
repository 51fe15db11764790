"""Captioned photos in real headless Chromium: layout and the srcset candidate chosen."""
from __future__ import annotations

import pytest

from tests.support.sites import article, build_site, serve_directory, write_site
from tests.support.photos import jpeg, png

pytestmark = pytest.mark.browser

BODY = """Mở đầu.

![Đồng chí A phát biểu tại hội nghị.](/images/hoi-nghi.jpg "Ảnh: Thành Duy")

![Một.](/images/1.jpg)
![Hai.](/images/2.jpg)
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    # The theme's own images, so that every request of the page succeeds.
    theme_images = {f"images/{name}.png": png((300, 100), gps=False)
                    for name in ("logo", "lien-ket/tinh-uy", "lien-ket/bao-tinh", "lien-ket/ban-to-chuc", "lien-ket/dich-vu-cong")}
    root = write_site(tmp_path_factory.mktemp("browser"), {
        **theme_images,
        "articles/a.md": article("Hội nghị", "2024-05-17 14:00", "Tin hoạt động", BODY),
        "images/hoi-nghi.jpg": jpeg((2400, 1600)),
        "images/1.jpg": jpeg((1600, 1200)),
        "images/2.jpg": jpeg((1600, 1200), orientation=6),
    })
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    with serve_directory(built.output) as url:
        yield url + "/2024/05/hoi-nghi/"


def first_photo(page):
    img = page.locator(".article-body figure picture img").first
    img.wait_for()
    page.wait_for_function("document.querySelector('.article-body figure img').complete")
    return img


def test_phone_gets_the_960_webp_and_sees_the_caption(phone, base_url):
    failed = []
    phone.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url))
    phone.goto(base_url)
    img = first_photo(phone)
    # 390 CSS px wide, 2 device pixels each: 716 px needed -> the 960 candidate, as WebP.
    assert img.evaluate("i => i.currentSrc").endswith("-960.webp")
    box = img.bounding_box()
    assert 350 <= box["width"] <= 390 and abs(box["height"] - box["width"] * 1600 / 2400) < 2
    caption = phone.locator(".article-body figure figcaption").first
    assert caption.locator(".credit").inner_text() == "Ảnh: Thành Duy"
    assert caption.is_visible() and caption.bounding_box()["y"] >= box["y"] + box["height"]
    phone.wait_for_load_state("networkidle")
    assert failed == [] and phone.external_requests == []


def test_low_density_phone_gets_the_480_candidate(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(base_url)
        assert first_photo(page).evaluate("i => i.currentSrc").endswith("-480.webp")
    finally:
        context.close()


def test_gallery_shows_two_photos_side_by_side(phone, base_url):
    phone.goto(base_url)
    gallery = phone.locator(".gallery figure img")
    gallery.last.scroll_into_view_if_needed()
    phone.wait_for_function("[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth)")
    first, second = gallery.first.bounding_box(), gallery.last.bounding_box()
    assert abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"] + first["width"]
    # Half of a phone screen at 2x: the 480 candidate is enough.
    assert gallery.first.evaluate("i => i.currentSrc").endswith("-480.webp")
