"""Reader path article -> person -> another article, in real headless Chromium."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.sites import article, axe_serious, build_site, serve_directory, write_site
from tests.people.test_people_site import REGISTRY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    files = dict(REGISTRY)
    files["articles/a.md"] = article(
        "Hội nghị sơ kết công tác tổ chức", "2022-05-10 08:00", "Xây dựng Đảng", Summary="Sơ kết.",
        body="Đồng chí Nguyễn Văn Thông, Trưởng Ban Tổ chức, trình bày báo cáo.",
    )
    files["articles/b.md"] = article(
        "Tổng kết năm", "2024-01-05 08:00", "Tin hoạt động", People="Nguyễn Văn Thông, Trần Thị Thu Hòa",
    )
    # Only the files this site has are requested: nothing may answer 404
    # (Chromium asks for /favicon.ico by itself).
    icon = io.BytesIO()
    Image.new("RGB", (16, 16), (165, 14, 31)).save(icon, "ICO")
    files["favicon.ico"] = icon.getvalue()
    settings = 'SITE_LOGO = ""\nSIDEBAR_LINKS = []\nSTATIC_PATHS = ["images", "favicon.ico"]\n'
    built = build_site(write_site(tmp_path_factory.mktemp("people-browser"), files, settings))
    assert built.returncode == 0, built.stderr
    with serve_directory(built.output) as url:
        yield url


def test_article_to_person_to_another_article(phone, base_url):
    phone.goto(base_url + "/2022/05/hoi-nghi-so-ket-cong-tac-to-chuc/")
    body_link = phone.locator(".article-body a.person-link")
    assert body_link.inner_text() == "Nguyễn Văn Thông"
    assert axe_serious(phone) == []

    phone.locator(".article-footer .people a", has_text="Nguyễn Văn Thông").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/nhan-vat/nguyen-van-thong/")
    assert phone.locator("main h1").inner_text() == "Nguyễn Văn Thông"
    assert phone.locator("img.portrait").evaluate("img => img.complete && img.naturalWidth") == 90
    assert axe_serious(phone) == []

    other = phone.locator(".person-articles li", has_text="Tổng kết năm")
    assert other.locator(".role-then").inner_text() == (
        "Chức vụ khi đó: Ủy viên <em>Ban Chấp hành</em>, Phó Bí thư Thường trực")
    other.locator(".card-title a").click()
    phone.wait_for_load_state()
    assert phone.locator("main h1").inner_text() == "Tổng kết năm"
    names = phone.locator(".article-footer .people a").all_inner_texts()
    assert names == ["Nguyễn Văn Thông", "Trần Thị Thu Hoà"]

    phone.locator(".article-footer .people a", has_text="Trần Thị Thu Hoà").click()
    phone.wait_for_load_state()
    phone.locator("nav.breadcrumb a", has_text="Nhân vật").click()
    phone.wait_for_load_state()
    phone.locator("nav.letter-jump a", has_text="T").click()
    assert phone.evaluate("location.hash") == "#chu-t"
    assert axe_serious(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.console_errors == []
    assert phone.external_requests == []
