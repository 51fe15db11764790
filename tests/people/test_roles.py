"""Roles stated next to names, namesakes and who an article is about (pure core)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal.core.people.attribution import (
    ambiguous_declared, attribute, conflict_message, source_line,
)
from portal.core.people.directory import PeopleDirectory, choices
from portal.core.people.linking import find_mentions, insert_links
from portal.core.people.registry import load_registry, looks_like_key, read_folder
from portal.core.people.roles import role_after, role_before, role_tokens

# --- reading the role next to a name ------------------------------------------------


def after(text: str, name: str = "Nguyễn Văn Thông"):
    role = role_after(text, text.index(name) + len(name))
    return role.text if role else None


def before(text: str, name: str = "Nguyễn Văn Thông"):
    role = role_before(text, text.index(name))
    return role.text if role else None


@pytest.mark.parametrize("text, role", [
    ("Nguyễn Văn Thông - Phó Bí thư Thường trực Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy"),
    ("Nguyễn Văn Thông – Phó Bí thư Thường trực Tỉnh ủy phát biểu.", "Phó Bí thư Thường trực Tỉnh ủy"),
    ("đồng chí Nguyễn Văn Thông, Bí thư Đảng ủy Khối chủ trì hội nghị", "Bí thư Đảng ủy Khối"),
    ("đồng chí Nguyễn Văn Thông, Ủy viên BTV, Trưởng Ban Tổ chức Đảng ủy Khối, phát biểu",
     "Ủy viên BTV, Trưởng Ban Tổ chức Đảng ủy Khối"),
    ("Nguyễn Văn Thông (Bí thư Tỉnh ủy kiêm Chủ tịch HĐND tỉnh) dự", "Bí thư Tỉnh ủy kiêm Chủ tịch HĐND tỉnh"),
    ("Nguyễn Văn Thông, Ủy viên dự khuyết BCH TW Đảng dự hội nghị", "Ủy viên dự khuyết BCH TW Đảng"),
    ("Nguyễn Văn Thông, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối báo cáo", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối"),
    ("Nguyễn Văn Thông phát biểu", None),                  # no separator: no role
    ("Nguyễn Văn Thông, đảng viên chi bộ 3", None),        # no title after the comma
    ("Nguyễn Văn Thông (thứ hai từ trái sang)", None),
])
def test_role_after_the_name(text, role):
    assert after(text) == role


@pytest.mark.parametrize("text, role", [
    ("Phó Bí thư Tỉnh ủy Nguyễn Văn Thông chủ trì", "Phó Bí thư Tỉnh ủy"),
    ("Hội nghị do Phó Bí thư Thường trực Tỉnh ủy Nguyễn Văn Thông chủ trì", "Phó Bí thư Thường trực Tỉnh ủy"),
    ("Phó Bí thư Tỉnh ủy, đồng chí Nguyễn Văn Thông", None),  # a comma: not his for sure
    ("Tỉnh ủy viên Nguyễn Văn Thông", "Tỉnh ủy viên"),
    ("gặp Bộ trưởng Bộ Nội vụ Nguyễn Văn Thông", "Bộ trưởng Bộ Nội vụ"),
    ("Bí thư Tỉnh ủy chúc mừng đồng chí Nguyễn Văn Thông", None),
    ("Đồng chí Nguyễn Văn Thông", None),
])
def test_role_before_the_name(text, role):
    assert before(text) == role


def stated(text: str):
    return role_after(f"X, {text}", 1)


@pytest.mark.parametrize("text, titles, agrees", [
    # the issue: same name, another person's post
    ("Phó Bí thư Thường trực Tỉnh ủy", ["Phó Bí thư Thường trực Đảng ủy Khối"], False),
    ("Phó Bí thư Thường trực Tỉnh ủy", ["Ủy viên Ban Chấp hành", "Trưởng Ban Tổ chức Đảng ủy Khối"], False),
    ("Bí thư Tỉnh ủy", ["Phó Bí thư Tỉnh ủy"], False),         # Bí thư is not Phó Bí thư
    ("Phó Bí thư Tỉnh ủy", ["Bí thư Tỉnh ủy"], False),
    ("Phó Bí thư Tỉnh ủy", ["Phó Bí thư Thường trực Tỉnh ủy"], True),  # a word left out
    ("Phó Chủ tịch HĐND tỉnh", ["Phó Chủ tịch Ủy ban nhân dân tỉnh"], False),
    # abbreviations and spelling
    ("Phó Chủ tịch UBND tỉnh", ["Phó Chủ tịch Ủy ban nhân dân tỉnh"], True),
    ("Chủ tịch HĐND tỉnh", ["Chủ tịch Hội đồng nhân dân tỉnh"], True),
    ("Ủy viên BTV, Trưởng Ban Tổ chức Đảng uỷ Khối", ["Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối"], True),
    ("Chủ nhiệm UBKT Đảng ủy Khối", ["Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối"], True),
    ("Ủy viên dự khuyết BCH TW Đảng", ["Ủy viên dự khuyết Ban Chấp hành Trung ương Đảng"], True),
    ("Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", ["Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], True),
    ("PHÓ BÍ THƯ TỈNH UỶ", ["Phó Bí thư Tỉnh ủy"], True),
    # a post identifies; a seat on a body alone does not
    ("Chủ tịch Công đoàn Viên chức tỉnh, Trưởng ban tổ chức hội thao", ["Chủ tịch Công đoàn Viên chức tỉnh"], True),
    ("Ủy viên Ban Thường vụ, Phó Chủ tịch UBND tỉnh", ["Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối"], False),
    ("Ủy viên Ban Thường vụ Tỉnh ủy", ["Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối"], False),
    ("Ủy viên Ban Thường vụ Đảng ủy Khối", ["Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối"], True),
])
def test_stated_role_against_registry_titles(text, titles, agrees):
    assert stated(text).agrees_with(titles) is agrees


def test_abbreviations_expand_to_the_words():
    assert role_tokens("UBND HĐND BTV UBKT MTTQ TW") == tuple(
        "ủy ban nhân dân hội đồng nhân dân ban thường vụ ủy ban kiểm tra mặt trận tổ quốc trung ương".split())
    assert role_tokens("Đảng uỷ") == role_tokens("Đảng ủy") == ("đảng", "ủy")


# --- registry: keys, notes, namesakes ------------------------------------------------

BLOC = """\
Name: Nguyễn Văn Thông
Note: Đảng ủy Khối các cơ quan tỉnh
Aliases: Nguyễn V. Thông
Roles:
    2020-10 – nay: Ủy viên Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh
    2020-10: Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối
"""
PROVINCE = """\
Name: Nguyễn Văn Thông
Slug: nguyen-van-thong-tinh-uy
Note: Tỉnh ủy
Roles:
    2020-10: Phó Bí thư Thường trực Tỉnh ủy
"""
HOA = "Name: Trần Thị Thu Hoà\nAliases: Trần Thu Hoà\nRoles:\n    2021-04: Bí thư Đảng ủy Khối\n"
DAY = date(2024, 5, 10)


def test_namesakes_with_notes_and_own_slugs_are_two_people():
    people, problems = load_registry([("p/thong.md", BLOC), ("p/thong-tu.md", PROVINCE)])
    assert problems == []
    assert [(p.ident, p.note) for p in people] == [
        ("nguyen-van-thong", "Đảng ủy Khối các cơ quan tỉnh"), ("nguyen-van-thong-tinh-uy", "Tỉnh ủy")]


def test_namesakes_without_notes_or_slugs_are_errors():
    _people, problems = load_registry([("p/a.md", BLOC), ("p/b.md", PROVINCE.replace("Note: Tỉnh ủy\n", ""))])
    assert [(p.path, p.line) for p in problems] == [("p/a.md", 1), ("p/b.md", 1)]
    assert "'Note'" in problems[0].message and "p/b.md (dòng 1)" in problems[0].message
    _people, problems = load_registry([("p/a.md", BLOC), ("p/b.md", PROVINCE.replace("Slug: nguyen-van-thong-tinh-uy\n", ""))])
    assert [(p.path, p.line) for p in problems] == [("p/b.md", 1)] and "'Slug'" in problems[0].message


def test_picker_choices_give_key_name_note_and_current_role():
    people, _ = load_registry([("p/hoa.md", HOA), ("p/b.md", PROVINCE), ("p/a.md", BLOC)])
    listed = choices(people, DAY)
    assert [(c.key, c.name, c.note, c.role) for c in listed] == [
        ("tran-thi-thu-hoa", "Trần Thị Thu Hoà", "", "Bí thư Đảng ủy Khối"),
        ("nguyen-van-thong", "Nguyễn Văn Thông", "Đảng ủy Khối các cơ quan tỉnh",
         "Ủy viên Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh, Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối"),
        ("nguyen-van-thong-tinh-uy", "Nguyễn Văn Thông", "Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy"),
    ]
    assert listed[2].label == "Nguyễn Văn Thông (Tỉnh ủy) – Phó Bí thư Thường trực Tỉnh ủy"


def test_sample_registry_has_namesakes_told_apart():
    from pathlib import Path

    people, problems = read_folder(Path(__file__).resolve().parents[2] / "content" / "people")
    assert problems == []
    lan = [c for c in choices(people, DAY) if c.name == "Nguyễn Thị Lan"]
    assert [(c.key, c.note) for c in lan] == [
        ("nguyen-thi-lan-so-y-te", "Đảng ủy Sở Y tế"), ("nguyen-thi-lan-hoi-phu-nu", "Hội Liên hiệp Phụ nữ tỉnh")]
    assert looks_like_key("nguyen-thi-lan-so-y-te") and not looks_like_key("Nguyễn Thị Lan")


# --- who an article is about ----------------------------------------------------------


def directory(*files):
    people, problems = load_registry(files)
    assert problems == []
    return PeopleDirectory(people)


def about(people: PeopleDirectory, body: str, declared=(), detect=True, day=DAY):
    mentions = find_mentions(body, people.matcher)
    found = attribute(people, [people.declare(d) for d in declared], mentions, day, detect)
    return found, mentions


def keys(entries):
    return [e.key or f"?{e.name}" for e in entries]


def linked(found):
    return [(m.text, e.key) for m, e in found.links]


def test_conflicting_role_is_not_linked_not_attributed_and_reported():
    people = directory(("p/thong.md", BLOC))
    body = "<p>Đồng chí Nguyễn Văn Thông - Phó Bí thư Thường trực Tỉnh ủy phát biểu. Nguyễn Văn Thông nói.</p>"
    found, _ = about(people, body, declared=["Nguyễn Văn Thông"])
    assert found.links == []
    assert keys(found.entries) == ["?Nguyễn Văn Thông"]  # kept, apart from the registry entry
    unverified = found.entries[0]
    assert not unverified.registered and unverified is not people.entries[0]
    assert found.stated == {unverified: "Phó Bí thư Thường trực Tỉnh ủy"}
    [conflict] = found.conflicts
    message = conflict_message(conflict, DAY)
    assert "'Phó Bí thư Thường trực Tỉnh ủy'" in message
    assert "Trưởng Ban Tổ chức Đảng ủy Khối" in message and "10/05/2024" in message
    # undeclared: not attributed either
    found, _ = about(people, body)
    assert found.entries == [] and found.links == [] and len(found.conflicts) == 1


def test_agreeing_role_with_abbreviations_links_the_first_mention():
    people = directory(("p/thong.md", BLOC))
    body = ("<h2>Nguyễn Văn Thông</h2><p>Đồng chí <strong>Nguyễn Văn Thông</strong>, Ủy viên BTV, "
            "Trưởng Ban Tổ chức Đảng uỷ Khối, phát biểu. Nguyễn V. Thông nói.</p>")
    found, mentions = about(people, body)
    assert keys(found.entries) == ["nguyen-van-thong"] and found.conflicts == []
    assert [(m.text, m.role.text if m.role else None, m.linkable) for m in mentions] == [
        ("Nguyễn Văn Thông", None, False),
        ("Nguyễn Văn Thông", "Ủy viên BTV, Trưởng Ban Tổ chức Đảng uỷ Khối", True),
        ("Nguyễn V. Thông", None, True),
    ]
    [(mention, entry)] = found.links
    out = insert_links(body, [(mention.start, mention.end, "/nhan-vat/x/")])
    assert '<strong><a class="person-link" href="/nhan-vat/x/">Nguyễn Văn Thông</a></strong>' in out


def test_name_without_role_links_when_one_person_has_it():
    people = directory(("p/thong.md", BLOC), ("p/hoa.md", HOA))
    found, _ = about(people, "<p>Đồng chí Trần Thị Thu Hòa và đồng chí Nguyễn Văn Thông dự.</p>")
    assert keys(found.entries) == ["tran-thi-thu-hoa", "nguyen-van-thong"]
    assert linked(found) == [("Trần Thị Thu Hòa", "tran-thi-thu-hoa"), ("Nguyễn Văn Thông", "nguyen-van-thong")]


def test_aliases_and_tone_placement_with_a_role():
    people = directory(("p/hoa.md", HOA))
    found, _ = about(people, "<p>Đồng chí Trần Thu Hòa, Bí thư Đảng uỷ Khối, phát biểu.</p>")
    assert linked(found) == [("Trần Thu Hòa", "tran-thi-thu-hoa")] and found.conflicts == []
    found, _ = about(people, "<p>TRẦN THỊ THU HOÀ - PHÓ BÍ THƯ ĐẢNG ỦY KHỐI</p>")
    assert found.entries == [] and len(found.conflicts) == 1


def test_namesakes_an_explicit_key_or_the_stated_role_tells_who():
    people = directory(("p/thong.md", BLOC), ("p/tu.md", PROVINCE))
    body = "<p>Nguyễn Văn Thông dự hội nghị.</p>"
    found, _ = about(people, body, declared=["nguyen-van-thong-tinh-uy"])
    assert keys(found.entries) == ["nguyen-van-thong-tinh-uy"]
    assert linked(found) == [("Nguyễn Văn Thông", "nguyen-van-thong-tinh-uy")]
    # by the role: the later mention without a role follows it
    two = "<p>Ông Nguyễn Văn Thông.</p><p>Nguyễn Văn Thông, Phó Bí thư Thường trực Tỉnh ủy.</p>"
    found, _ = about(people, two)
    assert keys(found.entries) == ["nguyen-van-thong-tinh-uy"] and found.ambiguities == []
    assert [m.start for m, _e in found.links] == [two.index("Nguyễn")]
    # nothing tells: no link, no attribution, reported
    found, _ = about(people, body)
    assert found.entries == [] and found.links == []
    assert [keys(a.candidates) for a in found.ambiguities] == [["nguyen-van-thong", "nguyen-van-thong-tinh-uy"]]


def test_declared_key_with_a_conflicting_role_points_to_the_namesake_that_fits():
    people = directory(("p/thong.md", BLOC), ("p/tu.md", PROVINCE))
    found, _ = about(people, "<p>Nguyễn Văn Thông - Phó Bí thư Thường trực Tỉnh ủy.</p>", declared=["nguyen-van-thong"])
    assert keys(found.entries) == ["?Nguyễn Văn Thông"] and found.links == []
    [conflict] = found.conflicts
    assert keys(conflict.better) == ["nguyen-van-thong-tinh-uy"]
    assert "hãy ghi 'nguyen-van-thong-tinh-uy' vào 'People'" in conflict_message(conflict, DAY)


def test_ambiguous_declared_name_lists_candidates_with_roles_that_day():
    people = directory(("p/thong.md", BLOC), ("p/tu.md", PROVINCE))
    item = people.declare("Nguyễn  Văn Thông")
    assert item.entry is None and keys(item.candidates) == ["nguyen-van-thong", "nguyen-van-thong-tinh-uy"]
    message = ambiguous_declared(item, DAY)
    assert "trùng với 2 người" in message
    assert ("'nguyen-van-thong-tinh-uy' – Nguyễn Văn Thông (Tỉnh ủy), chức vụ ngày 10/05/2024: "
            "Phó Bí thư Thường trực Tỉnh ủy") in message
    assert "'nguyen-van-thong' – Nguyễn Văn Thông (Đảng ủy Khối các cơ quan tỉnh)" in message


def test_detection_off_still_checks_declared_people_only():
    people = directory(("p/thong.md", BLOC), ("p/hoa.md", HOA))
    body = "<p>Nguyễn Văn Thông - Phó Bí thư Tỉnh ủy; Trần Thị Thu Hoà, Phó Giám đốc Sở.</p>"
    found, _ = about(people, body, declared=["Trần Thị Thu Hòa"], detect=False)
    assert keys(found.entries) == ["?Trần Thị Thu Hoà"]
    assert [c.mention.text for c in found.conflicts] == ["Trần Thị Thu Hoà"]


def test_role_the_registry_does_not_cover_that_day_is_no_conflict():
    people = directory(("p/thong.md", BLOC))
    found, _ = about(people, "<p>Nguyễn Văn Thông, Bí thư Huyện ủy, dự.</p>", day=date(2015, 1, 1))
    assert found.conflicts == [] and keys(found.entries) == ["nguyen-van-thong"]
    assert found.entries[0].role_on(date(2015, 1, 1)) == ""  # nothing shown as "Chức vụ khi đó"


def test_source_line_of_a_mention():
    source = ("Title: Tin\nPeople: Nguyễn Văn Thông\n\nNguyễn Văn Thông dự.\n\n"
              "![Nguyễn Văn Thông - Phó Bí thư Thường trực Tỉnh ủy](/a.jpg)\n")
    people = directory(("p/thong.md", BLOC))
    [_plain, mention] = find_mentions("<p>Nguyễn Văn Thông dự.</p><figure><figcaption>Nguyễn Văn Thông - "
                                      "Phó Bí thư Thường trực Tỉnh ủy</figcaption></figure>", people.matcher)
    assert mention.role.text == "Phó Bí thư Thường trực Tỉnh ủy"
    assert source_line(source, mention.text, mention.role) == 6
    assert source_line(source, mention.text, replace(mention, role=None).role) == 2
