"""The people registry: one Markdown file per known person, parsed to data.

Pure: gets (path, text) pairs, returns people and problems tied to a line.

    Name: Trần Thị Thu Hoà
    Note: Đảng ủy Khối các cơ quan tỉnh
    Photo: /images/nhan-vat/tran-thi-thu-hoa.jpg
    Aliases: Thu Hoà
    Roles:
        2016-01 – 2021-01: Ủy viên Ban Chấp hành Đảng bộ tỉnh
        2020-10: Phó Bí thư Đảng ủy Khối
        2023-06: Bí thư Đảng ủy Khối

    Biography in Markdown.

The person's key is their slug (``Slug``, or the name without diacritics): it
is unique, and ``People:`` may name it instead of the name. Two people may
share a name; each then needs a ``Note`` (unit, locality) that tells them
apart wherever a person is listed or picked, and a ``Slug`` of their own.

A role with only a start date is a post held until the next such post starts;
a role with a range ("– 2021-01", or "– nay" for ongoing) is held over that
range alongside the posts.
"""
from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from slugify import slugify

from portal.core.schema import split_header

from .names import name_key, nfc

DATE_TEXT = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
RANGE_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+")
SLUG_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = ("Name", "Note", "Slug", "Photo", "Aliases", "Roles")
ONGOING = "nay"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Moment:
    """A date as precise as the editor wrote it: a year, a month or a day."""

    first: date
    precision: str  # "year" | "month" | "day"

    def after_last(self) -> date:
        """The first day no longer covered by this moment."""
        if self.precision == "day":
            return self.first + timedelta(days=1)
        if self.precision == "month":
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first + timedelta(days=days)
        return date(self.first.year + 1, 1, 1)

    def display(self) -> str:
        if self.precision == "day":
            return f"{self.first:%d/%m/%Y}"
        if self.precision == "month":
            return f"{self.first:%m/%Y}"
        return f"{self.first:%Y}"


@dataclass
class Role:
    title: str
    start: Moment
    end: Moment | None  # None: a post (until the next post) or ongoing
    ongoing: bool
    line: int
    until: date | None = None  # first day not held; None while held

    def held_on(self, day: date) -> bool:
        return self.start.first <= day and (self.until is None or day < self.until)

    def period(self) -> str:
        """"10/2020 – nay", "01/2016 – 01/2021"."""
        if self.end is not None:
            return f"{self.start.display()} – {self.end.display()}"
        if self.until is None:
            return f"{self.start.display()} – nay"
        return f"{self.start.display()} – {(self.until - timedelta(days=1)):%m/%Y}"


@dataclass
class Person:
    name: str
    path: str
    slug: str = ""
    note: str = ""  # what tells namesakes apart: "Tỉnh ủy Nghệ An"
    photo: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    biography: str = ""
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        return name_key(self.name)

    @property
    def ident(self) -> str:
        """The unique key ``People:`` may use instead of the name."""
        return self.slug

    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]

    def roles_on(self, day: date) -> list[Role]:
        return [role for role in self.roles if role.held_on(day)]

    def role_on(self, day: date) -> str:
        """Every role held that day, in file order: "Ủy viên …, Bí thư Tỉnh ủy"."""
        return ", ".join(role.title for role in self.roles_on(day))

    def titles_on(self, day: date) -> list[str]:
        return [role.title for role in self.roles_on(day)]

    def titles_until(self, day: date) -> list[str]:
        """Every title held on or before ``day`` (for "nguyên …", a former role)."""
        return [role.title for role in self.roles if role.start.first <= day]

    def history(self) -> list[Role]:
        """Newest first."""
        return sorted(self.roles, key=lambda role: role.start.first, reverse=True)


def parse_moment(text: str) -> Moment:
    match = DATE_TEXT.match(text.strip())
    if not match:
        raise ValueError(text)
    year = int(match["year"])
    month = int(match["month"] or 1)
    day = int(match["day"] or 1)
    precision = "day" if match["day"] else "month" if match["month"] else "year"
    return Moment(date(year, month, day), precision)  # ValueError on 2020-13


def parse_role(text: str, line: int) -> Role:
    """One role line; ValueError with an editor's message when it cannot be read."""
    when, colon, title = text.partition(":")
    title = " ".join(title.split())
    if not colon or not title:
        raise ValueError(
            f"dòng chức vụ '{text}' cần dạng 'thời gian: chức vụ', ví dụ '2020-10: Bí thư Tỉnh ủy'"
        )
    parts = RANGE_DASH.split(when.strip(), maxsplit=1)
    try:
        start = parse_moment(parts[0])
    except ValueError:
        raise ValueError(_bad_date(parts[0])) from None
    end, ongoing = None, False
    if len(parts) == 2:
        if parts[1].strip().lower() == ONGOING:
            ongoing = True
        else:
            try:
                end = parse_moment(parts[1])
            except ValueError:
                raise ValueError(_bad_date(parts[1])) from None
            if end.after_last() <= start.first:
                raise ValueError(
                    f"chức vụ '{title}': thời điểm kết thúc {end.display()} "
                    f"trước thời điểm bắt đầu {start.display()}"
                )
    return Role(nfc(title), start, end, ongoing, line)


def _bad_date(text: str) -> str:
    return (
        f"thời gian '{text.strip()}' của chức vụ không đọc được; hãy viết năm-tháng như "
        "'2020-10', hoặc một khoảng như '2016-01 – 2021-01' (hay '2020-10 – nay')"
    )


def _close_posts(roles: list[Role]) -> None:
    """A post lasts until the next post starts; ranges end where written."""
    posts = sorted((r for r in roles if r.end is None and not r.ongoing), key=lambda r: r.start.first)
    for current, following in zip(posts, posts[1:]):
        current.until = following.start.first
    for role in roles:
        if role.end is not None:
            role.until = role.end.after_last()


def parse_person(path: str, text: str) -> tuple[Person | None, list[Problem]]:
    """One registry file. None when it has no usable Name."""
    text = nfc(text)
    found: list[Problem] = []
    person = Person(name="", path=path)
    header = split_header(text)
    person.biography = header.body.strip()
    for item in header.lines:
        line, key, value, more = item.line, item.key, item.first.strip(), item.continuations
        spec = next((f for f in FIELDS if f.lower() == key.lower()), None)
        if spec is None:
            found.append(Problem(path, line, _unknown_field(key)))
            continue
        name = spec.lower()
        if name in person.lines:
            found.append(Problem(path, line, f"trường '{spec}' khai báo hai lần (đã có ở dòng {person.lines[name]})"))
            continue
        person.lines[name] = line
        if name == "roles":
            entries = ([(line, value)] if value else []) + more
            for role_line, role_text in entries:
                try:
                    person.roles.append(parse_role(role_text, role_line))
                except ValueError as exc:
                    found.append(Problem(path, role_line, str(exc)))
            continue
        value = " ".join([value, *(v for _l, v in more)]).strip()
        if name == "name":
            person.name = " ".join(value.split())
            if not person.name:
                found.append(Problem(path, line, "trường 'Name' đang để trống; hãy ghi họ và tên đầy đủ"))
        elif name == "slug":
            if not SLUG_SHAPE.match(value):
                found.append(Problem(path, line, f"trường 'Slug': '{value}' chỉ được dùng chữ thường không dấu, số và dấu gạch ngang"))
            person.slug = value
        elif name == "note":
            person.note = value
        elif name == "photo":
            person.photo = value or None
        elif name == "aliases":
            person.aliases = [" ".join(a.split()) for a in value.split(",") if a.strip()]
    if "name" not in person.lines:
        found.append(Problem(path, 1, "thiếu trường bắt buộc 'Name' (họ và tên đầy đủ của nhân vật)"))
    if not person.name:
        return None, found
    person.slug = person.slug or slugify(person.name)
    _close_posts(person.roles)
    return person, found


def _same_person(name: str, other_path: str, other_line: int) -> str:
    return (f"nhân vật '{name}' trùng tên với nhân vật ở tệp {other_path} (dòng {other_line}): nếu là "
            "một người, hãy gộp hai tệp lại; nếu là hai người khác nhau, hãy ghi trường 'Note' "
            "(đơn vị, địa phương…) khác nhau ở cả hai tệp để phân biệt, và trường 'Slug' riêng")


def _told_apart(one: Person, other: Person) -> bool:
    """Namesakes are fine when each has its own note."""
    return bool(one.note and other.note and one.note.casefold() != other.note.casefold())


def _unknown_field(key: str) -> str:
    guess = difflib.get_close_matches(key.lower(), [f.lower() for f in FIELDS], n=1, cutoff=0.6)
    hint = f"; có phải ý bạn là '{next(f for f in FIELDS if f.lower() == guess[0])}'?" if guess else ""
    return f"trường '{key}' không được hỗ trợ trong tệp nhân vật{hint} (các trường hợp lệ: {', '.join(FIELDS)})"


def looks_like_key(text: str) -> bool:
    """"nguyen-van-thong-tinh-uy": a key, not a name (names have spaces)."""
    return bool(SLUG_SHAPE.match(text.strip())) and "-" in text


def read_folder(folder: str | Path) -> tuple[list[Person], list[Problem]]:
    """Every ``*.md`` of a registry folder (for tools outside the build, such
    as the newsroom's person picker; the build reads through its adapter)."""
    files = [(str(path), path.read_text(encoding="utf-8-sig", errors="replace"))
             for path in sorted(Path(folder).glob("*.md"))]
    return load_registry(files)


def load_registry(files: Iterable[tuple[str, str]]) -> tuple[list[Person], list[Problem]]:
    """Parse every file; report one person in two files and clashing names."""
    people: list[Person] = []
    found: list[Problem] = []
    for path, text in files:
        person, problems = parse_person(path, text)
        found += problems
        if person is not None:
            people.append(person)
    owners: dict[tuple[str, ...], tuple[Person, int, str]] = {}
    slugs: dict[str, Person] = {}
    for person in people:
        name_line = person.lines.get("name", 1)
        spelled = [(person.name, name_line)] + [(a, person.lines.get("aliases", 1)) for a in person.aliases]
        for spelling, line in spelled:
            key = name_key(spelling)
            if not key:
                continue
            owner = owners.get(key)
            if owner is None:
                owners[key] = (person, line, spelling)
            elif owner[0] is not person:
                other, other_line, other_spelling = owner
                if spelling == person.name and other_spelling == other.name:
                    if _told_apart(person, other):
                        continue
                    found.append(Problem(other.path, other_line, _same_person(other.name, person.path, line)))
                    message = _same_person(person.name, other.path, other_line)
                else:
                    message = (f"tên '{spelling}' trùng với '{other_spelling}' của nhân vật "
                               f"'{other.name}' ({other.path}, dòng {other_line}); hãy bỏ hoặc đổi bí danh")
                found.append(Problem(person.path, line, message))
        twin = slugs.setdefault(person.slug, person)
        if twin is not person and (twin.key != person.key or _told_apart(twin, person)):
            found.append(Problem(
                person.path, person.lines.get("slug", name_line),
                f"địa chỉ /{person.slug}/ trùng với nhân vật '{twin.name}' ({twin.path}); "
                "hãy thêm trường 'Slug' khác, ví dụ "
                f"'{person.slug}-{len([p for p in people if p.slug == person.slug])}'",
            ))
    return people, found
