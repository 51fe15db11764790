"""The article schema: unit tests on headers, then every bad input end to end."""
from __future__ import annotations

from datetime import datetime

import pytest

from portal.core import schema
from tests.support.sites import article, build_site, run_portal, write_site


def check(text: str, fields=schema.ARTICLE_FIELDS) -> schema.Validated:
    return schema.validate(schema.split_header(text), fields)


def test_header_values_are_typed_and_lines_kept():
    result = check(
        "Title: Hội nghị\nDate: 2023-12-29 19:17\nCategory: Xây dựng Đảng\n"
        "Tags: a, b ,\nFeatured: true\n\nThân bài\n"
    )
    assert result.problems == []
    assert result.values["date"] == datetime(2023, 12, 29, 19, 17)
    assert result.values["tags"] == ["a", "b"]
    assert result.values["featured"] is True
    assert result.lines == {"title": 1, "date": 2, "category": 3, "tags": 4, "featured": 5}


def test_body_starts_after_first_blank_line():
    header = schema.split_header("Title: A\nDate: 2023-01-01\n\nNgày: không phải metadata\n")
    assert header.body_line == 4
    assert header.body.startswith("Ngày: không phải")


def test_continuation_lines_join_the_previous_value():
    result = check("Title: Một tiêu đề\n    rất dài\nDate: 2023-01-01\nCategory: A\n\nx")
    assert result.values["title"] == "Một tiêu đề rất dài"


@pytest.mark.parametrize(
    "value, expected",
    [("2023-12-29", datetime(2023, 12, 29)), ("2023-12-29 07:05", datetime(2023, 12, 29, 7, 5))],
)
def test_accepted_dates(value, expected):
    assert schema.parse_date(value) == expected


@pytest.mark.parametrize(
    "value, words",
    [("2022-02-31", "không phải ngày giờ có thật"), ("29/12/2023", "sai định dạng"), ("2023-12-29 24:10", "có thật")],
)
def test_rejected_dates(value, words):
    with pytest.raises(schema.FieldError, match=words):
        schema.parse_date(value)


def test_unknown_key_suggests_the_close_one():
    result = check("Title: A\nDate: 2023-01-01\nCatgory: Tin\n\nx")
    messages = dict(result.problems)
    assert "'Catgory' không được hỗ trợ" in messages[3]
    assert "'Category'" in messages[3]
    assert "thiếu trường bắt buộc 'Category'" in messages[1]


def test_duplicate_key_names_the_first_line():
    result = check("Title: A\nTitle: B\nDate: 2023-01-01\nCategory: Tin\n\nx")
    assert result.problems == [(2, "trường 'Title' khai báo hai lần (đã có ở dòng 1)")]


def test_slug_must_be_ascii_and_suggests_one():
    with pytest.raises(schema.FieldError, match="'dang-uy-khoi'"):
        schema.parse_slug("Đảng ủy Khối")


def test_slugify_turns_d_stroke_into_d():
    assert schema.slugify("Đảng ủy Khối các cơ quan tỉnh") == "dang-uy-khoi-cac-co-quan-tinh"
    assert schema.slugify("Đoàn thể") == "doan-the"


def test_nfd_text_is_normalised():
    nfd = "Hoa\u0300"  # "Hoà" typed with a combining grave accent
    assert schema.parse_text(nfd) == "Hoà"


GOOD = article("Bài tốt", "2023-05-01 08:00", "Tin hoạt động")

BAD_INPUTS = {
    "missing title": ("Date: 2023-01-01\nCategory: Tin\n\nx\n", 1, "thiếu trường bắt buộc 'Title'"),
    "missing date": ("Title: A\nCategory: Tin\n\nx\n", 1, "thiếu trường bắt buộc 'Date'"),
    "missing category": ("Title: A\nDate: 2023-01-01\n\nx\n", 1, "thiếu trường bắt buộc 'Category'"),
    "impossible date": ("Title: A\nDate: 2022-02-31\nCategory: Tin\n\nx\n", 2, "'2022-02-31' không phải ngày giờ có thật"),
    "unknown key": ("Title: A\nDate: 2023-01-01\nCategory: Tin\nCatgory: X\n\nx\n", 4, "'Catgory' không được hỗ trợ"),
    "future date": ("Title: A\nDate: 2999-01-01\nCategory: Tin\n\nx\n", 2, "ở tương lai"),
    "bad status": ("Title: A\nDate: 2023-01-01\nCategory: Tin\nStatus: publish\n\nx\n", 4, "'publish' không hợp lệ"),
    "invalid utf-8": (b"Title: A\nDate: 2023-01-01\nCategory: Tin\n\nSai m\xe3 h\xf3a\n", 5, "không phải mã UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_with_file_line_message_and_keeps_output(tmp_path, case):
    text, line, words = BAD_INPUTS[case]
    root = write_site(tmp_path, {"articles/good.md": GOOD})
    first = build_site(root)
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(first.output) for p in first.output.rglob("*"))
    (root / "content/articles/bad.md").write_bytes(text if isinstance(text, bytes) else text.encode())

    second = build_site(root)

    assert second.returncode == 1
    assert f"content/articles/bad.md:{line}: lỗi: " in second.stderr
    assert words in second.stderr
    assert "vẫn giữ bản tốt gần nhất" in second.stderr
    assert sorted(p.relative_to(second.output) for p in second.output.rglob("*")) == before
    leftovers = [p for p in tmp_path.glob(".output.*") if p.is_dir() and p.name not in (".output.cache", ".output.spare")]
    assert not leftovers, "staging directory left behind"


def test_duplicate_url_names_both_files(tmp_path):
    same = article("Tin trùng địa chỉ", "2023-05-01", "Tin")
    root = write_site(tmp_path, {"articles/a.md": same, "articles/b.md": same})
    result = build_site(root)
    assert result.returncode == 1
    assert "content/articles/a.md:1: lỗi: trùng địa chỉ /2023/05/tin-trung-dia-chi/ với content/articles/b.md" in result.stderr
    assert "content/articles/b.md:1: lỗi: trùng địa chỉ /2023/05/tin-trung-dia-chi/ với content/articles/a.md" in result.stderr
    assert not result.output.exists()


def test_the_first_paragraph_is_an_articles_lead_and_stays_in_a_pages_text(tmp_path):
    root = write_site(tmp_path, {
        "articles/a.md": article("Tin có đoạn mở đầu", "2023-05-01", "Tin", body="Đoạn mở đầu.\n\nĐoạn sau."),
        "pages/lien-he.md": "Title: Liên hệ\n\nĐoạn thứ nhất của trang.\n\nĐoạn thứ hai.\n"})
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    article_page = result.page("/2023/05/tin-co-doan-mo-dau/")
    assert article_page.select_one(".lead").get_text() == "Đoạn mở đầu."
    assert [p.get_text() for p in article_page.select(".article-body p")] == ["Đoạn sau."]
    page = result.page("/lien-he/")
    assert [p.get_text() for p in page.select(".article-body p")] == ["Đoạn thứ nhất của trang.", "Đoạn thứ hai."]
    assert page.select_one('meta[name="description"]')["content"] == "Đoạn thứ nhất của trang."


def test_every_problem_is_reported_in_one_run(tmp_path):
    files = {f"articles/bad-{i}.md": text for i, (text, _, _) in enumerate(BAD_INPUTS.values())}
    root = write_site(tmp_path, files)
    result = run_portal("check", root, "-s", "conf.py")
    assert result.returncode == 1
    for i, (_, line, words) in enumerate(BAD_INPUTS.values()):
        assert f"content/articles/bad-{i}.md:{line}: lỗi: " in result.stderr
        assert words in result.stderr


def test_check_passes_on_good_content_and_writes_nothing(tmp_path):
    root = write_site(tmp_path, {"articles/good.md": GOOD})
    result = run_portal("check", root, "-s", "conf.py")
    assert result.returncode == 0, result.stderr
    assert "Nội dung hợp lệ: 1 bài viết" in result.stdout
    assert not (root / "output").exists()


def test_draft_in_the_future_is_fine_and_never_published(tmp_path):
    draft = article("Bản nháp", "2999-01-01", "Tin", Status="draft")
    root = write_site(tmp_path, {"articles/good.md": GOOD, "articles/draft.md": draft})
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    assert not any("ban-nhap" in str(p) for p in result.output.rglob("*"))
