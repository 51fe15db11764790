"""Namesakes and stated roles on a built site: links, "Nhân vật" lists, person
pages and `portal check` warnings, read from the HTML and the command output."""
from __future__ import annotations

import pytest

from portal.core.people.collation import name_sort_key
from tests.support.photos import jpeg
from tests.support.sites import article as plain_article, build_site, run_portal, write_site

BLOC = """
    Name: Nguyễn Văn Thông
    Note: Đảng ủy Khối các cơ quan tỉnh
    Roles:
        2020-10 – nay: Ủy viên Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh
        2020-10: Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối
    """
PROVINCE = """
    Name: Nguyễn Văn Thông
    Slug: nguyen-van-thong-tinh-uy
    Note: Tỉnh ủy
    Roles:
        2020-10: Phó Bí thư Thường trực Tỉnh ủy
    """
OTHERS = {
    "people/hoa.md": "Name: Trần Thị Thu Hoà\nAliases: Trần Thu Hoà\nRoles:\n    2021-04: Bí thư Đảng ủy Khối\n",
    "people/uong.md": "Name: Phạm Minh Ương\nRoles:\n    2021-07: Phó Chủ tịch Ủy ban nhân dân tỉnh\n",
    "people/an.md": "Name: Hoàng Văn Ân\n",
}
# The issue's article: the registry only knows the bloc committee's Thông.
ISSUE_BODY = (
    "Sáng 10/5, Tỉnh ủy tổ chức hội nghị. Đồng chí Nguyễn Văn Thông - Phó Bí thư Thường trực Tỉnh ủy "
    "chủ trì hội nghị.\n\n"
    '![Đồng chí Nguyễn Văn Thông, Phó Bí thư Thường trực Tỉnh ủy, phát biểu.](/images/hoi-nghi.jpg "Ảnh: T.H")\n\n'
    "Đồng chí Nguyễn Văn Thông đề nghị các cấp ủy quán triệt nghị quyết."
)


def article(*args, **meta) -> str:
    """An article with a sapo, so the whole text is in the body (the lead is
    otherwise the first paragraph, shown apart)."""
    return plain_article(*args, Summary="Sapo của bài.", **meta)


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def chips(page) -> list[tuple[str, str, str]]:
    """(name, link, rest of the chip) of an article's "Nhân vật" list."""
    return [(text(li.a), li.a["href"], text(li)[len(text(li.a)):].strip())
            for li in page.select(".article-footer .people li")]


def card_titles(site, url: str) -> list[str]:
    return [a.get_text(strip=True) for a in site.page(url).select("main .card-title a")]


def line_of(source: str, fragment: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if fragment in line)


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """The registry holds one Nguyễn Văn Thông (bloc committee)."""
    files = {"people/thong.md": BLOC, **OTHERS, "images/hoi-nghi.jpg": jpeg((800, 600), gps=False)}
    files["articles/issue.md"] = article("Hội nghị Tỉnh ủy", "2024-05-10 08:00", "Tin hoạt động",
                                         body=ISSUE_BODY, People="Nguyễn Văn Thông")
    files["articles/agree.md"] = article(
        "Hội nghị Đảng ủy Khối", "2024-05-11 08:00", "Tin hoạt động",
        body="Đồng chí **Nguyễn Văn Thông**, Ủy viên BTV, Trưởng Ban Tổ chức Đảng uỷ Khối, trình bày báo cáo. "
             "Phó Chủ tịch UBND tỉnh Phạm Minh Ương dự. Đồng chí Trần Thu Hòa, Bí thư Đảng uỷ Khối kết luận.",
    )
    files["articles/plain.md"] = article(
        "Tin không ghi chức vụ", "2024-05-12 08:00", "Đoàn thể",
        body="Đồng chí Nguyễn Văn Thông và đồng chí Trần Thị Thu Hòa dự lễ.",
    )
    files["articles/hdnd.md"] = article(
        "Tin HĐND", "2024-05-13 08:00", "Đoàn thể",
        body="Đồng chí Phạm Minh Ương, Phó Chủ tịch HĐND tỉnh, phát biểu.",
    )
    files["articles/outside.md"] = article(
        "Người ngoài danh bạ", "2024-05-14 08:00", "Đoàn thể", People="Lê Văn Tám",
        body="Đồng chí Lê Văn Tám, Bí thư Huyện ủy, dự.",
    )
    root = write_site(tmp_path_factory.mktemp("namesakes-single"), files)
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def test_conflicting_stated_role_is_not_linked_and_not_put_on_the_registry_page(single):
    page = single.page("/2024/05/hoi-nghi-tinh-uy/")
    assert page.select(".article-body a.person-link") == []
    caption = text(page.select_one(".article-body figcaption .caption"))
    assert caption.startswith("Đồng chí Nguyễn Văn Thông, Phó Bí thư Thường trực Tỉnh ủy")
    [(name, href, rest)] = chips(page)
    assert name == "Nguyễn Văn Thông" and href != "/nhan-vat/nguyen-van-thong/"
    assert rest == "(Phó Bí thư Thường trực Tỉnh ủy) chưa có trong danh bạ"
    assert "Trưởng Ban Tổ chức" not in text(page.select_one("main"))
    # the registry person's page does not list it ...
    assert "Hội nghị Tỉnh ủy" not in card_titles(single, "/nhan-vat/nguyen-van-thong/")
    # ... the unverified page does, with the role as the article states it
    other = single.page(href)
    assert text(other.select_one(".unverified")).startswith("Chưa có trong danh bạ nhân vật")
    assert other.select_one(".current-role") is None and other.select_one(".role-history") is None
    assert [text(p) for p in other.select(".person-articles .role-then")] == [
        "Chức vụ nêu trong bài: Phó Bí thư Thường trực Tỉnh ủy"]


def test_agreeing_roles_with_abbreviations_and_tone_variants_are_linked(single):
    page = single.page("/2024/05/hoi-nghi-dang-uy-khoi/")
    links = [(a.get_text(), a["href"]) for a in page.select(".article-body a.person-link")]
    assert links == [("Nguyễn Văn Thông", "/nhan-vat/nguyen-van-thong/"),
                     ("Phạm Minh Ương", "/nhan-vat/pham-minh-uong/"),
                     ("Trần Thu Hòa", "/nhan-vat/tran-thi-thu-hoa/")]
    assert page.select_one(".article-body strong a.person-link") is not None
    assert [(n, rest) for n, _h, rest in chips(page)] == [
        ("Nguyễn Văn Thông", "(Đảng ủy Khối các cơ quan tỉnh) (Ủy viên Ban Chấp hành Đảng bộ Khối các cơ quan "
                             "tỉnh, Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối)"),
        ("Phạm Minh Ương", "(Phó Chủ tịch Ủy ban nhân dân tỉnh)"),
        ("Trần Thị Thu Hoà", "(Bí thư Đảng ủy Khối)"),
    ]
    thong = single.page("/nhan-vat/nguyen-van-thong/")
    items = {text(li.select_one(".card-title")): li for li in thong.select(".person-articles .article-list > li")}
    assert sorted(items) == ["Hội nghị Đảng ủy Khối", "Tin không ghi chức vụ"]
    assert text(items["Hội nghị Đảng ủy Khối"].select_one(".role-then")).startswith("Chức vụ khi đó: Ủy viên")
    assert text(thong.select_one(".person-note")) == "Đảng ủy Khối các cơ quan tỉnh"


def test_name_without_a_role_is_linked_when_only_one_person_has_it(single):
    page = single.page("/2024/05/tin-khong-ghi-chuc-vu/")
    assert [a["href"] for a in page.select(".article-body a.person-link")] == [
        "/nhan-vat/nguyen-van-thong/", "/nhan-vat/tran-thi-thu-hoa/"]


def test_hdnd_is_not_ubnd(single):
    page = single.page("/2024/05/tin-hdnd/")
    assert page.select(".article-body a.person-link") == [] and page.select_one(".people") is None
    assert "Tin HĐND" not in card_titles(single, "/nhan-vat/pham-minh-uong/")


def test_name_outside_the_registry_shows_the_role_the_article_gives(single):
    page = single.page("/2024/05/nguoi-ngoai-danh-ba/")
    assert [(n, h, r) for n, h, r in chips(page)] == [
        ("Lê Văn Tám", "/nhan-vat/le-van-tam/", "(Bí thư Huyện ủy) chưa có trong danh bạ")]
    assert [text(p) for p in single.page("/nhan-vat/le-van-tam/").select(".role-then")] == [
        "Chức vụ nêu trong bài: Bí thư Huyện ủy"]


def test_index_keeps_vietnamese_order_and_marks_unverified_names(single):
    rows = [text(li) for li in single.page("/nhan-vat/").select("main .people-index li")]
    names = [text(li.a) for li in single.page("/nhan-vat/").select("main .people-index li")]
    assert names == ["Hoàng Văn Ân", "Trần Thị Thu Hoà", "Lê Văn Tám", "Nguyễn Văn Thông", "Nguyễn Văn Thông",
                     "Phạm Minh Ương"]
    assert names == sorted(names, key=name_sort_key)
    assert rows[3].startswith("Nguyễn Văn Thông (Đảng ủy Khối các cơ quan tỉnh) –")
    assert rows[4].startswith("Nguyễn Văn Thông chưa có trong danh bạ")
    assert "chưa có trong danh bạ" in rows[2] and "chưa có trong danh bạ" not in rows[0]


def test_check_warns_with_file_line_and_both_roles(single):
    result = run_portal("check", single.root, "-s", "conf.py")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": cảnh báo: " in line]
    source = (single.root / "content/articles/issue.md").read_text(encoding="utf-8")
    first, caption = line_of(source, "chủ trì hội nghị"), line_of(source, "![Đồng chí")
    hdnd_line = line_of((single.root / "content/articles/hdnd.md").read_text(encoding="utf-8"), "HĐND tỉnh")
    where = sorted(w.split(": cảnh báo: ")[0] for w in warnings)
    assert where == sorted([f"content/articles/issue.md:{first}", f"content/articles/issue.md:{caption}",
                            f"content/articles/hdnd.md:{hdnd_line}"])
    issue = next(w for w in warnings if w.startswith(f"content/articles/issue.md:{first}:"))
    assert "'Phó Bí thư Thường trực Tỉnh ủy'" in issue
    assert "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối" in issue
    assert "không được gắn liên kết" in issue
    hdnd = next(w for w in warnings if "hdnd.md" in w)
    assert "'Phó Chủ tịch HĐND tỉnh'" in hdnd and "Phó Chủ tịch Ủy ban nhân dân tỉnh" in hdnd


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory):
    """The registry holds both Nguyễn Văn Thông."""
    files = {"people/thong.md": BLOC, "people/thong-tu.md": PROVINCE, **OTHERS}
    files["articles/key.md"] = article("Ghi mã", "2024-05-10 08:00", "Tin hoạt động",
                                       People="nguyen-van-thong-tinh-uy", body="Đồng chí Nguyễn Văn Thông dự.")
    files["articles/role.md"] = article(
        "Nhận ra nhờ chức vụ", "2024-05-11 08:00", "Tin hoạt động",
        body="Phó Bí thư Thường trực Tỉnh ủy Nguyễn Văn Thông dự. Đồng chí Nguyễn Văn Thông phát biểu.")
    files["articles/unknown.md"] = article("Không rõ ai", "2024-05-12 08:00", "Tin hoạt động",
                                           body="Đồng chí Nguyễn Văn Thông dự.")
    root = write_site(tmp_path_factory.mktemp("namesakes"), files)
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def test_explicit_key_picks_the_namesake(namesakes):
    page = namesakes.page("/2024/05/ghi-ma/")
    assert [a["href"] for a in page.select(".article-body a.person-link")] == ["/nhan-vat/nguyen-van-thong-tinh-uy/"]
    assert chips(page) == [("Nguyễn Văn Thông", "/nhan-vat/nguyen-van-thong-tinh-uy/",
                            "(Tỉnh ủy) (Phó Bí thư Thường trực Tỉnh ủy)")]
    assert card_titles(namesakes, "/nhan-vat/nguyen-van-thong-tinh-uy/") == ["Nhận ra nhờ chức vụ", "Ghi mã"]
    assert card_titles(namesakes, "/nhan-vat/nguyen-van-thong/") == []


def test_stated_role_picks_the_namesake_and_a_bare_name_links_no_one(namesakes):
    page = namesakes.page("/2024/05/nhan-ra-nho-chuc-vu/")
    assert [a.get_text() for a in page.select(".article-body a.person-link")] == ["Nguyễn Văn Thông"]
    assert [h for _n, h, _r in chips(page)] == ["/nhan-vat/nguyen-van-thong-tinh-uy/"]
    unknown = namesakes.page("/2024/05/khong-ro-ai/")
    assert unknown.select(".article-body a") == [] and unknown.select_one(".people") is None


def test_namesakes_side_by_side_in_the_index_with_their_notes(namesakes):
    rows = [text(li) for li in namesakes.page("/nhan-vat/").select("main .people-index li")]
    assert [r.split(" –")[0] for r in rows if r.startswith("Nguyễn Văn Thông")] == [
        "Nguyễn Văn Thông (Đảng ủy Khối các cơ quan tỉnh)", "Nguyễn Văn Thông (Tỉnh ủy)"]


def test_ambiguous_name_in_people_is_an_error_listing_the_candidates(namesakes):
    result = run_portal("check", namesakes.root, "-s", "conf.py")
    warnings = [line for line in result.stderr.splitlines() if ": cảnh báo: " in line]
    source = (namesakes.root / "content/articles/unknown.md").read_text(encoding="utf-8")
    assert [w.split(": cảnh báo: ")[0] for w in warnings] == [
        f"content/articles/unknown.md:{line_of(source, 'Đồng chí Nguyễn Văn Thông dự.')}"]
    assert "trùng với 2 người" in warnings[0]
    write_site(namesakes.root, {"articles/unknown.md": article(
        "Không rõ ai", "2024-05-12 08:00", "Tin hoạt động", People="Nguyễn Văn Thông", body="Tin.")})
    result = run_portal("check", namesakes.root, "-s", "conf.py")
    assert result.returncode == 1
    source = (namesakes.root / "content/articles/unknown.md").read_text(encoding="utf-8")
    [error] = [line for line in result.stderr.splitlines() if ": lỗi: " in line]
    assert error.startswith(f"content/articles/unknown.md:{line_of(source, 'People:')}: lỗi: trường 'People': tên 'Nguyễn Văn Thông' trùng với 2")
    assert ("'nguyen-van-thong' – Nguyễn Văn Thông (Đảng ủy Khối các cơ quan tỉnh), chức vụ ngày 12/05/2024: "
            "Ủy viên Ban Chấp hành") in error
    assert "'nguyen-van-thong-tinh-uy' – Nguyễn Văn Thông (Tỉnh ủy), chức vụ ngày 12/05/2024: Phó Bí thư" in error


def test_unknown_key_in_people_is_an_error_with_a_suggestion(namesakes):
    write_site(namesakes.root, {"articles/unknown.md": article(
        "Không rõ ai", "2024-05-12 08:00", "Tin hoạt động", People="nguyen-van-thong-tinh", body="Tin.")})
    result = run_portal("check", namesakes.root, "-s", "conf.py")
    assert result.returncode == 1
    [error] = [line for line in result.stderr.splitlines() if ": lỗi: " in line]
    assert error.endswith("trường 'People': không có nhân vật nào mang mã 'nguyen-van-thong-tinh' trong danh bạ; "
                          "có phải ý bạn là 'nguyen-van-thong-tinh-uy', 'nguyen-van-thong'?")


def test_one_file_check_reports_the_same_people_problems(single):
    whole = run_portal("check", single.root, "-s", "conf.py")
    one = run_portal("check", single.root, "-s", "conf.py", "content/articles/issue.md", "content/articles/hdnd.md")
    assert one.returncode == 0, one.stderr

    def people_warnings(output: str) -> list[str]:
        return sorted(line for line in output.splitlines() if ": cảnh báo: " in line and "danh bạ" in line
                      and ("issue.md" in line or "hdnd.md" in line))

    caption = line_of((single.root / "content/articles/issue.md").read_text(encoding="utf-8"), "![Đồng chí")
    body_lines = [w for w in people_warnings(whole.stderr)
                  if not w.startswith(f"content/articles/issue.md:{caption}:")]
    # the caption is read by the build (after the photo markup), the body by both
    assert body_lines and set(body_lines) <= set(people_warnings(one.stdout + one.stderr))
