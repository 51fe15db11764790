"""Who appears in which document: the registry joined with the articles.

Knows documents (anything with a date), not the site. A name in an article's
``People`` that is not in the registry still gets an entry, from the name
alone, marked as not verified; it never merges with a registry entry of the
same name. Names are matched to *candidates*: every registry person with that
name or alias (namesakes share a name, never a key).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from slugify import slugify

from .collation import name_sort_key, word_sort_key
from .matcher import NameMatcher
from .names import canonical, initial_letter, name_key, strip_marks, within_one_edit
from .registry import Person

# Telex spellings give each letter of the alphabet its own ASCII anchor.
LETTER_ANCHORS = {"Ă": "aw", "Â": "aa", "Đ": "dd", "Ê": "ee", "Ô": "oo", "Ơ": "ow", "Ư": "uw"}


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


@dataclass(eq=False)
class PersonEntry:
    name: str
    person: Person | None = None
    slug: str = ""
    url: str = ""
    articles: list[Any] = field(default_factory=list)
    # Filled by the site adapter: the rendered biography and the portrait's size.
    biography_html: str = ""
    photo_size: tuple[int, int] | None = None
    # Not in the registry: the role each article states for this name.
    stated: dict[Any, str] = field(default_factory=dict)

    @property
    def registered(self) -> bool:
        return self.person is not None

    @property
    def key(self) -> str:
        return self.person.ident if self.person else ""

    @property
    def note(self) -> str:
        return self.person.note if self.person else ""

    def role_on(self, moment: date | datetime) -> str:
        return self.person.role_on(_day(moment)) if self.person else ""

    def role_in(self, document: Any) -> str:
        """The role to show beside this person in a document: the registry's
        on its date for a registry person (the article was checked against
        it), otherwise the role the document itself states, or nothing."""
        if self.person is not None:
            return self.person.role_on(_day(document.date))
        return self.stated.get(document, "")

    @property
    def letter(self) -> str:
        return initial_letter(self.name)

    @property
    def sort_key(self) -> tuple:
        return name_sort_key(self.name)


def letter_anchor(letter: str) -> str:
    return "chu-" + LETTER_ANCHORS.get(letter, slugify(letter) or "khac")


@dataclass(frozen=True)
class Declared:
    """One item of an article's ``People``: who it names."""

    text: str
    entry: PersonEntry | None  # None when the name fits several registry people
    candidates: tuple[PersonEntry, ...] = ()  # registry people of that name
    by_key: bool = False


class PeopleDirectory:
    def __init__(self, registry: Iterable[Person]):
        self.entries: list[PersonEntry] = []
        self._registered: dict[tuple[str, ...], list[PersonEntry]] = {}
        self._keys: dict[str, PersonEntry] = {}
        self._named: dict[tuple[str, ...], PersonEntry] = {}  # names not (or not verifiably) registered
        self._spellings: list[tuple[str, Person]] = []
        # Each spelling finds every registry person written that way.
        self.matcher: NameMatcher[tuple[PersonEntry, ...]] = NameMatcher()
        for person in registry:
            entry = PersonEntry(person.name, person, person.slug)
            self.entries.append(entry)
            self._keys.setdefault(person.ident, entry)
            for spelling in person.spellings():
                found = self._registered.setdefault(name_key(spelling), [])
                if entry not in found:
                    found.append(entry)
                self._spellings.append((spelling, person))
        for spelling, _person in self._spellings:
            self.matcher.add(spelling, tuple(self._registered[name_key(spelling)]))

    @property
    def registered(self) -> list[PersonEntry]:
        """The registry's entries, in registry order."""
        return [entry for entry in self.entries if entry.registered]

    @property
    def spellings(self) -> list[tuple[str, Person]]:
        """(spelling, person) in the order the matcher was made from them."""
        return list(self._spellings)

    def candidates(self, name: str) -> list[PersonEntry]:
        """Every registry person with this name or alias."""
        return list(self._registered.get(name_key(name), ()))

    def lookup(self, name: str) -> PersonEntry | None:
        """The registry person of a name or alias, when only one has it."""
        found = self._registered.get(name_key(name), ())
        return found[0] if len(found) == 1 else None

    def by_key(self, key: str) -> PersonEntry | None:
        return self._keys.get(key.strip())

    def declare(self, text: str) -> Declared:
        """An item of ``People``: a key, or a name (unique in the registry, or not
        in it at all)."""
        entry = self.by_key(text)
        if entry is not None:
            return Declared(text, entry, (entry,), by_key=True)
        found = self.candidates(text)
        if len(found) == 1:
            return Declared(text, found[0], tuple(found))
        if found:
            return Declared(text, None, tuple(found))
        return Declared(text, self.unverified(text))

    def close_keys(self, key: str) -> list[str]:
        return difflib.get_close_matches(key.strip(), list(self._keys), n=3, cutoff=0.7)

    def unverified(self, name: str) -> PersonEntry:
        """The entry of a name that is not (verifiably) a registry person."""
        key = name_key(name)
        entry = self._named.get(key)
        if entry is None:
            entry = self._named[key] = PersonEntry(" ".join(name.split()))
            self.entries.append(entry)
        return entry

    def resolve(self, name: str) -> PersonEntry:
        """The entry of a name: its registry person when only one has it,
        otherwise one created from the name alone."""
        return self.lookup(name) or self.unverified(name)

    def people_of(self, declared: Iterable[str], detected: Iterable[PersonEntry] = ()) -> list[PersonEntry]:
        """Declared names first, then the registered people detected in the text."""
        found: dict[PersonEntry, None] = {}
        for name in declared:
            if name_key(name):
                found.setdefault(self.resolve(name), None)
        for entry in detected:
            found.setdefault(entry, None)
        return list(found)

    def likely_typo(self, name: str) -> Person | None:
        """A registered person whose name this unknown one probably misspells:
        the same letters without diacritics, or one edit away."""
        if self.candidates(name) or self.by_key(name):
            return None
        bare, written = strip_marks(name), canonical(name).casefold()
        for spelling, person in self._spellings:
            if bare == strip_marks(spelling) or within_one_edit(written, canonical(spelling).casefold()):
                return person
        return None

    def finish(self, url_pattern: str) -> list[PersonEntry]:
        """Entries with a unique slug and URL, in Vietnamese alphabetical order."""
        ordered = sorted(self.entries, key=lambda e: (not e.registered, e.sort_key))
        taken: set[str] = set()
        for entry in ordered:
            base = entry.slug or slugify(entry.name) or "nhan-vat"
            slug, number = base, 1
            while slug in taken:
                number += 1
                slug = f"{base}-{number}"
            taken.add(slug)
            entry.slug = slug
            entry.url = url_pattern.format(slug=slug)
        # Namesakes: registry people first, told apart by their notes.
        return sorted(ordered, key=lambda e: (e.sort_key, not e.registered, word_sort_key(e.note)))


@dataclass(frozen=True)
class Choice:
    """A registry person as the newsroom's picker offers them."""

    key: str
    name: str
    note: str
    role: str  # held on the given day

    @property
    def label(self) -> str:
        """"Nguyễn Văn Thông (Tỉnh ủy) – Phó Bí thư Thường trực Tỉnh ủy"."""
        text = f"{self.name} ({self.note})" if self.note else self.name
        return f"{text} – {self.role}" if self.role else text


def choices(registry: Iterable[Person], today: date) -> list[Choice]:
    """Every registry person for a picker, in Vietnamese alphabetical order
    of names (namesakes by note). ``People:`` takes ``key`` as it is."""
    people = sorted(registry, key=lambda p: (name_sort_key(p.name), word_sort_key(p.note), p.ident))
    return [Choice(p.ident, p.name, p.note, p.role_on(today)) for p in people]


def by_letter(entries: list[PersonEntry]) -> list[tuple[str, str, list[PersonEntry]]]:
    """(letter, anchor, entries) for sorted entries, grouped by the given name's first letter."""
    groups: list[tuple[str, str, list[PersonEntry]]] = []
    for entry in entries:
        letter = entry.letter
        if not groups or groups[-1][0] != letter:
            groups.append((letter, letter_anchor(letter), []))
        groups[-1][2].append(entry)
    return groups
