"""Person pages, the people index and names in articles, on a purpose-made site."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from tests.support.sites import article, build_site, run_portal, write_site


def portrait() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 120), (180, 190, 210)).save(buffer, "PNG")
    return buffer.getvalue()


REGISTRY = {
    "people/thong.md": """
        Name: Nguyễn Văn Thông
        Photo: /images/nhan-vat/thong.png
        Aliases: Nguyễn V. Thông
        Roles:
            2020-10 – nay: Ủy viên <em>Ban Chấp hành</em>
            2020-10: Trưởng Ban Tổ chức
            2023-03: Phó Bí thư Thường trực

        Sinh năm 1975, **cử nhân Luật**.
        """,
    "people/hoa.md": """
        Name: Trần Thị Thu Hoà
        Roles:
            2021-04: Bí thư Đảng ủy Khối
        """,
    "people/an.md": "Name: Hoàng Văn Ân\n",
    "images/nhan-vat/thong.png": portrait(),
}
ROLE_CHANGE = date(2023, 3, 1)
TEO = "Ông <script>alert(1)</script> Tèo"


def thong_articles() -> dict[str, str]:
    files = {}
    for i in range(23):  # 23 > DEFAULT_PAGINATION: two pages
        files[f"articles/t{i:02d}.md"] = article(
            f"Tin số {i:02d}", f"{2022 + i // 12}-{1 + i % 12:02d}-10 08:00", "Tin hoạt động",
            body="Hội nghị diễn ra trang trọng.", People="Nguyễn Văn Thông",
        )
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = dict(REGISTRY, **thong_articles())
    files["articles/detect.md"] = article(
        "Nhận diện tên trong bài", "2024-06-01 09:00", "Xây dựng Đảng",
        Summary="Tin không khai báo People.",
        body="## Nguyễn V. Thông chủ trì\n\n[Trần Thị Thu Hòa](https://example.com/) gửi thư.\n\n"
             "Đồng chí Trần Thị Thu Hòa, Bí thư, và đồng chí Nguyễn V. Thông dự. "
             "Đồng chí Trần Thị Thu Hoà kết luận.",
    )
    files["articles/optout.md"] = article(
        "Không tự nhận diện", "2024-06-02 09:00", "Xây dựng Đảng",
        body="Đồng chí Hoàng Văn Ân dự.", Summary="Sapo.", **{"People-Detect": "no"},
    )
    files["articles/minh.md"] = article(
        "Một người khác", "2024-06-03 09:00", "Đoàn thể", Summary="Sapo.",
        body="Anh Nguyễn Văn Thông Minh, đoàn viên, nhận giấy khen.",
    )
    files["articles/escape.md"] = article("Tên lạ", "2024-06-04 09:00", "Đoàn thể", People=TEO)
    files["articles/typo.md"] = article("Gõ thiếu dấu", "2024-06-05 09:00", "Đoàn thể",
                                        People="Hoàng Văn Ân, Nguyen Van Thong")
    root = write_site(tmp_path_factory.mktemp("people"), files)
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def card_titles(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("main .card-title a")]


def test_person_page_has_portrait_current_role_history_and_biography(site):
    page = site.page("/nhan-vat/nguyen-van-thong/")
    assert text(page.select_one("main h1")) == "Nguyễn Văn Thông"
    photo = page.select_one("main img.portrait")
    assert (photo["src"], photo["alt"], photo["width"], photo["height"]) == (
        "/images/nhan-vat/thong.png", "Ảnh chân dung Nguyễn Văn Thông", "90", "120")
    assert site.exists("/images/nhan-vat/thong.png")
    assert text(page.select_one(".current-role")) == (
        "Chức vụ hiện nay: Ủy viên <em>Ban Chấp hành</em>, Phó Bí thư Thường trực")
    assert page.select_one(".current-role em") is None  # role text is escaped
    assert [text(li) for li in page.select(".role-history li")] == [
        "03/2023 – nay: Phó Bí thư Thường trực",
        "10/2020 – nay: Ủy viên <em>Ban Chấp hành</em>",
        "10/2020 – 02/2023: Trưởng Ban Tổ chức",
    ]
    assert text(page.select_one(".biography strong")) == "cử nhân Luật"


def test_person_articles_newest_first_paginated_with_role_on_each_date(site):
    first = site.page("/nhan-vat/nguyen-van-thong/")
    second = site.page("/nhan-vat/nguyen-van-thong/trang/2/")
    assert not site.exists("/nhan-vat/nguyen-van-thong/trang/3/")
    assert text(first.select_one(".person-articles .count")) == "24 tin"
    items = first.select(".person-articles .article-list > li") + second.select(".person-articles .article-list > li")
    assert len(first.select(".person-articles .article-list > li")) == 20 and len(items) == 24
    stamps = [li.select_one("time")["datetime"] for li in items]
    assert stamps == sorted(stamps, reverse=True)
    for li in items:
        day = date.fromisoformat(li.select_one("time")["datetime"][:10])
        post = "Trưởng Ban Tổ chức" if day < ROLE_CHANGE else "Phó Bí thư Thường trực"
        assert text(li.select_one(".role-then")) == f"Chức vụ khi đó: Ủy viên <em>Ban Chấp hành</em>, {post}"
    nav = {a.get_text(strip=True): a["href"] for a in second.select("nav.pagination a")}
    assert nav["1"] == "/nhan-vat/nguyen-van-thong/"
    assert second.select_one(".role-history") is None  # the profile is on page 1 only


def test_people_index_in_vietnamese_order_with_counts_and_letter_links(site):
    page = site.page("/nhan-vat/")
    rows = [(text(li.a), text(li.select_one(".count"))) for li in page.select("main .people-index li")]
    assert rows == [
        ("Hoàng Văn Ân", "(1 tin)"),
        ("Trần Thị Thu Hoà", "(1 tin)"),
        (TEO, "(1 tin)"),
        ("Nguyen Van Thong", "(1 tin)"),  # a People name with no registry file
        ("Nguyễn Văn Thông", "(24 tin)"),
    ]
    jumps = [(a.get_text(), a["href"]) for a in page.select("nav.letter-jump a")]
    assert jumps == [("Â", "#chu-aa"), ("H", "#chu-h"), ("T", "#chu-t")]
    for _letter, anchor in jumps:
        assert page.select_one(anchor).name == "h2"
    for link in page.select("main .people-index a"):
        assert site.exists(link["href"])


def test_article_lists_people_with_role_that_day_and_links_them(site):
    page = site.page("/2022/01/tin-so-00/")
    people = page.select(".article-footer .people li")
    assert [(text(li.a), li.a["href"]) for li in people] == [("Nguyễn Văn Thông", "/nhan-vat/nguyen-van-thong/")]
    assert text(people[0].select_one(".person-role")) == "(Ủy viên <em>Ban Chấp hành</em>, Trưởng Ban Tổ chức)"


def test_mentions_are_detected_linked_once_and_never_inside_links_or_headings(site):
    page = site.page("/2024/06/nhan-dien-ten-trong-bai/")
    body = page.select_one(".article-body")
    assert body.select_one("h2 a") is None
    links = [(a.get_text(), a["href"]) for a in body.select("a.person-link")]
    assert links == [("Trần Thị Thu Hòa", "/nhan-vat/tran-thi-thu-hoa/"),
                     ("Nguyễn V. Thông", "/nhan-vat/nguyen-van-thong/")]
    listed = [text(li.a) for li in page.select(".article-footer .people li")]
    assert listed == ["Nguyễn Văn Thông", "Trần Thị Thu Hoà"]  # registry spelling, order of mention
    hoa = site.page("/nhan-vat/tran-thi-thu-hoa/")
    assert card_titles(hoa) == ["Nhận diện tên trong bài"]
    assert text(hoa.select_one(".role-then")) == "Chức vụ khi đó: Bí thư Đảng ủy Khối"


def test_opt_out_and_longer_names_are_not_detected(site):
    assert card_titles(site.page("/nhan-vat/hoang-van-an/")) == ["Gõ thiếu dấu"]
    optout = site.page("/2024/06/khong-tu-nhan-dien/")
    assert optout.select(".article-body a") == [] and optout.select_one(".people") is None
    thong = []
    for url in ("/nhan-vat/nguyen-van-thong/", "/nhan-vat/nguyen-van-thong/trang/2/"):
        thong += card_titles(site.page(url))
    assert "Một người khác" not in thong and "Nhận diện tên trong bài" in thong
    assert site.page("/2024/06/mot-nguoi-khac/").select(".article-body a") == []


def test_names_are_escaped_on_every_page(site):
    teo_url = "/nhan-vat/ong-script-alert-1-script-teo/"
    pages = [site.page("/2024/06/ten-la/"), site.page("/nhan-vat/"), site.page(teo_url)]
    for page in pages:
        assert page.select("main script") == []
    assert text(pages[0].select_one(".people li a")) == TEO
    assert text(pages[2].select_one("main h1")) == TEO
    assert pages[2].select_one(".current-role") is None  # no registry data: the name alone


def test_check_warns_about_a_probable_typo_with_file_line_and_suggestion(site):
    result = run_portal("check", site.root, "-s", "conf.py")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "cảnh báo" in line]
    assert warnings == [
        "content/articles/typo.md:4: cảnh báo: trường 'People': 'Nguyen Van Thong' chưa có trong "
        "danh sách nhân vật; có phải ý bạn là 'Nguyễn Văn Thông' (content/people/thong.md)?"
    ]


def test_registry_is_neither_article_nor_static_file(tmp_path):
    files = dict(REGISTRY, **{"articles/a.md": article("Tin", "2024-01-01 08:00", "Đoàn thể",
                                                       People="Hoàng Văn Ân")})
    root = write_site(tmp_path, files, settings='ARTICLE_PATHS = [""]\nSTATIC_PATHS = [""]\n')
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in built.output.rglob("*.md")) == []
    assert not (built.output / "people").exists()
    assert card_titles(built.page("/nhan-vat/hoang-van-an/")) == ["Tin"]
    assert len(built.page("/nhan-vat/").select("main .people-index li")) == 3


def test_registry_errors_name_file_and_line_and_keep_last_good_output(tmp_path):
    files = dict(REGISTRY, **{"articles/a.md": article("Tin", "2024-01-01 08:00", "Đoàn thể")})
    root = write_site(tmp_path, files)
    good = build_site(root)
    assert good.returncode == 0, good.stderr
    write_site(root, {
        "people/nameless.md": "Photo: /images/nhan-vat/thong.png\n\nKhông có tên.\n",
        "people/date.md": "Name: Phạm Minh Ương\nRoles:\n    2021-07: Chủ tịch\n    2022-13: Phó\n",
        "people/hoa-again.md": "Aliases: Thu Hòa\nName: Trần Thị Thu Hòa\n",
        "people/photo.md": "Name: Vũ Hoàng Ơn\nPhoto: /images/khong-co.jpg\n",
    })
    bad = build_site(root)
    assert bad.returncode == 1
    errors = [line.split(": lỗi: ")[0] for line in bad.stderr.splitlines() if ": lỗi: " in line]
    assert errors == ["content/people/date.md:4", "content/people/hoa-again.md:2", "content/people/hoa.md:1",
                      "content/people/nameless.md:1", "content/people/photo.md:2"]
    assert "content/people/hoa.md (dòng 1)" in bad.stderr
    assert "content/people/hoa-again.md (dòng 2)" in bad.stderr
    assert card_titles(good.page("/nhan-vat/hoang-van-an/")) == []  # last good output untouched
    assert not good.exists("/nhan-vat/pham-minh-uong/")
