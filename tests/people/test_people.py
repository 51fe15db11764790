"""The people plugin's pure core: names, tones, matching, order, registry."""
from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest

from portal.core.people.collation import name_sort_key, vietnamese_collator, word_sort_key
from portal.core.people.directory import PeopleDirectory, by_letter
from portal.core.people.linking import link_first_mentions, mentioned
from portal.core.people.matcher import NameMatcher
from portal.core.people.names import canonical, canonical_word, initial_letter, name_key, split_name, strip_marks, within_one_edit
from portal.core.people.registry import load_registry, parse_person

# --- normalisation and tone placement ----------------------------------------


def test_decomposed_text_gets_the_same_key_as_composed_text():
    composed = "Nguyễn Văn Thông"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert name_key(decomposed) == name_key(composed) == ("nguyễn", "văn", "thông")
    assert canonical(decomposed) == composed


@pytest.mark.parametrize("old, new", [
    ("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Qúy", "Quý"), ("Uỷ", "Ủy"), ("Khoẻ", "Khỏe"), ("HOÀ", "HÒA"),
])
def test_old_and_new_tone_placement_are_one_spelling(old, new):
    assert canonical_word(old) == canonical_word(new) == new
    assert name_key(f"Trần Thị Thu {old}") == name_key(f"Trần Thị Thu {new}")


@pytest.mark.parametrize("word", [
    "Hoàng", "Huỳnh", "Người", "Nguyễn", "Giữa", "Quyền", "Thoại", "Khuỷu", "Trường", "Tuấn", "gì", "Quỳnh",
])
def test_words_with_only_one_correct_placement_are_unchanged(word):
    assert canonical_word(word) == word
    displaced = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word))
    assert canonical_word(displaced) == word


def test_different_tones_and_letters_stay_different_names():
    assert name_key("Hoà") != name_key("Hoá")
    assert name_key("Lê Văn An") != name_key("Lê Văn Ân")
    assert strip_marks("Lê Văn Ân") == strip_marks("Lê Văn An") == "le van an"
    assert strip_marks("Đặng Thị Ánh") == "dang thi anh"


def test_one_edit_distance():
    assert within_one_edit("thông", "thôg") and within_one_edit("thông", "thôngg")
    assert within_one_edit("thông", "thống") and within_one_edit("thông", "thông")
    assert not within_one_edit("thông", "thắg") and not within_one_edit("an", "anhh")


def test_name_parts_and_initial_letter():
    assert split_name("Trần Thị Thu Hoà") == ("Trần", "Thị Thu", "Hoà")
    assert split_name("Lê Hoa") == ("Lê", "", "Hoa")
    assert [initial_letter(n) for n in ("Đặng Thị Ánh", "Hoàng Văn Ân", "Vũ Hoàng Ơn", "Phạm Minh Ương",
                                        "Lê Quang Đức")] == ["A", "Â", "Ơ", "Ư", "Đ"]


# --- whole-name matching ------------------------------------------------------


@pytest.fixture
def matcher():
    return NameMatcher([("Nguyễn Văn Thông", "thong"), ("Trần Thị Thu Hoà", "hoa")])


def found(matcher, text):
    return [(text[m.start:m.end], m.target) for m in matcher.find(text)]


def test_whole_name_is_found_with_its_exact_position(matcher):
    text = "Đồng chí Nguyễn Văn Thông, Phó Bí thư, và bà Trần Thị Thu Hòa dự họp."
    assert found(matcher, text) == [("Nguyễn Văn Thông", "thong"), ("Trần Thị Thu Hòa", "hoa")]


@pytest.mark.parametrize("text", [
    "Anh Nguyễn Văn Thông Minh phát biểu.",   # a longer, different name
    "Nguyễn Văn Thôngx",                        # part of a word
    "nguyễn văn thông là ba từ thường",         # not written as a name
    "Nguyễn Văn\nThông",                        # split across lines
    "Nguyễn Văn, Thông",                        # split by punctuation
])
def test_name_inside_something_else_is_not_found(matcher, text):
    assert found(matcher, text) == []


def test_spacing_case_and_longest_name(matcher):
    assert found(matcher, "Ông Nguyễn\u00a0Văn  Thông.") == [("Nguyễn\u00a0Văn  Thông", "thong")]
    assert found(matcher, "TRẦN THỊ THU HOÀ") == [("TRẦN THỊ THU HOÀ", "hoa")]
    initial = NameMatcher([("Nguyễn V. Thông", "alias")])
    assert found(initial, "Ông Nguyễn V. Thông và Nguyễn V Thông.") == [
        ("Nguyễn V. Thông", "alias"), ("Nguyễn V Thông", "alias")]
    assert found(initial, "Nguyễn Văn. Thông") == []
    both = NameMatcher([("Nguyễn Văn Thông", "short"), ("Nguyễn Văn Thông Minh", "long")])
    assert [m.target for m in both.find("Nguyễn Văn Thông Minh và Nguyễn Văn Thông")] == ["long", "short"]


def test_links_only_first_linkable_mention(matcher):
    html = ('<h2>Nguyễn Văn Thông</h2><p><a href="/x">Nguyễn Văn Thông</a> '
            '<img alt="Nguyễn Văn Thông" src="a.jpg"> <code>Nguyễn Văn Thông</code> '
            'Ông Nguyễn Văn Thông và Nguyễn Văn Thông.</p>')
    out = link_first_mentions(html, matcher, {"thong": "/nhan-vat/nguyen-van-thong/"})
    expected = html.replace("Ông Nguyễn Văn Thông", 'Ông <a class="person-link" href="/nhan-vat/nguyen-van-thong/">'
                            "Nguyễn Văn Thông</a>")
    assert out == expected
    assert mentioned(html, matcher) == ["thong"]


# --- Vietnamese alphabetical order --------------------------------------------

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()


def test_letters_sort_in_vietnamese_alphabet_order():
    shuffled = ALPHABET[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=word_sort_key) == ALPHABET
    upper = [letter.upper() for letter in ALPHABET]
    assert sorted(reversed(upper), key=word_sort_key) == upper


def test_tones_count_only_after_letters():
    words = ["Bác", "Ăn", "Ánh", "Ba", "ạ", "Ân", "Anh", "Bà", "Ành", "a", "á", "à", "ả", "ã"]
    assert sorted(words, key=word_sort_key) == [
        "a", "à", "ả", "ã", "á", "ạ", "Anh", "Ành", "Ánh", "Ăn", "Ân", "Ba", "Bà", "Bác"]


def test_plain_unicode_order_is_wrong_for_vietnamese_and_ours_is_right():
    from pyuca import Collator

    plain = Collator()
    assert sorted(["Dương", "Đa"], key=plain.sort_key) == ["Đa", "Dương"]  # đ treated as d
    assert sorted(["Dương", "Đa"], key=word_sort_key) == ["Dương", "Đa"]
    assert vietnamese_collator() is vietnamese_collator()  # table loaded once


def test_names_sort_by_given_then_middle_then_family_name():
    expected = [
        "Đặng Thị Ánh", "Hoàng Văn Ân", "Lê Văn Dũng", "Lê Quang Đức",
        "Lê Hoa", "Lê Thị Hoa", "Nguyễn Thị Hoa", "Lê Thị Thu Hoa", "Trần Thị Thu Hoà",
        "Vũ Hoàng Ơn", "Nguyễn Văn Thông", "Trần Văn Út", "Phạm Minh Ương",
    ]
    shuffled = expected[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == expected


# --- registry -------------------------------------------------------------------

THONG = """\
Name: Nguyễn Văn Thông
Aliases: Văn Thông
Roles:
    2016-01 – 2021-01: Ủy viên dự khuyết Trung ương Đảng
    2020-10: Bí thư Tỉnh ủy
    2023-05-15: Chủ tịch Hội đồng
    2022 – nay: Ủy viên Hội đồng

Tiểu sử **ngắn**.
"""


def test_roles_over_time():
    person, problems = parse_person("people/thong.md", THONG)
    assert problems == []
    assert person.slug == "nguyen-van-thong" and person.aliases == ["Văn Thông"]
    assert person.biography == "Tiểu sử **ngắn**."
    assert person.role_on(date(2020, 9, 30)) == "Ủy viên dự khuyết Trung ương Đảng"
    assert person.role_on(date(2021, 1, 31)) == "Ủy viên dự khuyết Trung ương Đảng, Bí thư Tỉnh ủy"
    assert person.role_on(date(2021, 2, 1)) == "Bí thư Tỉnh ủy"
    assert person.role_on(date(2023, 5, 14)) == "Bí thư Tỉnh ủy, Ủy viên Hội đồng"
    assert person.role_on(date(2023, 5, 15)) == "Chủ tịch Hội đồng, Ủy viên Hội đồng"
    assert person.role_on(date(2015, 12, 31)) == ""
    assert [(r.period(), r.title) for r in person.history()] == [
        ("15/05/2023 – nay", "Chủ tịch Hội đồng"),
        ("2022 – nay", "Ủy viên Hội đồng"),
        ("10/2020 – 05/2023", "Bí thư Tỉnh ủy"),
        ("01/2016 – 01/2021", "Ủy viên dự khuyết Trung ương Đảng"),
    ]


@pytest.mark.parametrize("role_line, fragment", [
    ("2020-13: Bí thư", "'2020-13'"),
    ("10/2020: Bí thư", "'10/2020'"),
    ("2016-01 – 2021-02-30: Ủy viên", "'2021-02-30'"),
    ("2021-01 – 2016-01: Ủy viên", "trước thời điểm bắt đầu"),
    ("Bí thư Tỉnh ủy", "thời gian: chức vụ"),
])
def test_unreadable_role_is_reported_on_its_line(role_line, fragment):
    text = f"Name: Lê Quang Đức\nRoles:\n    2019-01: Cán bộ\n    {role_line}\n"
    person, problems = parse_person("people/duc.md", text)
    assert [(p.path, p.line) for p in problems] == [("people/duc.md", 4)]
    assert fragment in problems[0].message
    assert [r.title for r in person.roles] == ["Cán bộ"]


def test_missing_name_and_unknown_field():
    person, problems = parse_person("people/x.md", "Photo: /images/a.jpg\nAlias: Ông X\n\nTiểu sử.")
    assert person is None
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (2, "trường 'Alias' không được hỗ trợ trong tệp nhân vật"),
        (1, "thiếu trường bắt buộc 'Name' (họ và tên đầy đủ của nhân vật)"),
    ]
    assert "'Aliases'" in problems[0].message


def test_one_person_in_two_files_is_an_error_naming_both():
    people, problems = load_registry([
        ("people/hoa.md", "Slug: tran-thi-thu-hoa\nName: Trần Thị Thu Hoà\n"),
        ("people/hoa-2.md", "Name: Trần Thị Thu Hòa\n"),
        ("people/khac.md", "Name: Lê Văn Khác\nAliases: Trần  Thị Thu Hoà\n"),
    ])
    assert len(people) == 3
    assert [(p.path, p.line) for p in problems] == [
        ("people/hoa.md", 2), ("people/hoa-2.md", 1), ("people/khac.md", 2)]
    assert "people/hoa-2.md (dòng 1)" in problems[0].message
    assert "people/hoa.md (dòng 2)" in problems[1].message
    assert "bí danh" in problems[2].message


def test_two_people_with_one_slug_need_a_slug_field():
    _people, problems = load_registry([("a.md", "Name: Lê Văn An\n"), ("b.md", "Name: Lê Văn Ân\n")])
    assert [(p.path, p.line) for p in problems] == [("b.md", 1)]
    assert "'Slug'" in problems[0].message


# --- directory --------------------------------------------------------------------


def test_directory_joins_declared_and_detected_people():
    people, _ = load_registry([("t.md", THONG), ("a.md", "Name: Lê Văn Ân\n")])
    directory = PeopleDirectory(people)
    thong, an = directory.entries
    declared = ["Lê Văn  Ân", "Ông Tèo", "Nguyễn Văn Thông"]
    entries = directory.people_of(declared, [thong, an])
    assert [e.name for e in entries] == ["Lê Văn Ân", "Ông Tèo", "Nguyễn Văn Thông"]
    assert directory.resolve("ông tèo") is entries[1] and not entries[1].registered
    directory.resolve("Lê Văn An")  # unregistered, same slug as the registered Ân
    ordered = directory.finish("nhan-vat/{slug}/")
    assert [(e.name, e.url) for e in ordered] == [
        ("Lê Văn An", "nhan-vat/le-van-an-2/"), ("Lê Văn Ân", "nhan-vat/le-van-an/"),
        ("Ông Tèo", "nhan-vat/ong-teo/"), ("Nguyễn Văn Thông", "nhan-vat/nguyen-van-thong/"),
    ]
    assert [(letter, anchor, len(group)) for letter, anchor, group in by_letter(ordered)] == [
        ("A", "chu-a", 1), ("Â", "chu-aa", 1), ("T", "chu-t", 2)]


@pytest.mark.parametrize("written, suggested", [
    ("Nguyen Van Thong", "Nguyễn Văn Thông"),   # no diacritics
    ("Nguyễn Văn Thôg", "Nguyễn Văn Thông"),    # one letter missing
    ("Nguyễn Văn Thống", "Nguyễn Văn Thông"),   # one letter changed
    ("Van Thong", "Nguyễn Văn Thông"),          # an alias without diacritics
    ("Nguyễn Văn Thông", None),                 # registered: not a typo
    ("Trần Văn Nam", None),
])
def test_likely_typos_of_registered_names(written, suggested):
    people, _ = load_registry([("t.md", THONG)])
    person = PeopleDirectory(people).likely_typo(written)
    assert (person.name if person else None) == suggested
