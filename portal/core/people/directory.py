"""Who appears in which document: the registry joined with the articles.

Knows documents (anything with a date), not the site. A name in an article's
``People`` that is not in the registry still gets an entry, from the name
alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from slugify import slugify

from .collation import name_sort_key
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

    @property
    def registered(self) -> bool:
        return self.person is not None

    def role_on(self, moment: date | datetime) -> str:
        return self.person.role_on(_day(moment)) if self.person else ""

    @property
    def letter(self) -> str:
        return initial_letter(self.name)

    @property
    def sort_key(self) -> tuple:
        return name_sort_key(self.name)


def letter_anchor(letter: str) -> str:
    return "chu-" + LETTER_ANCHORS.get(letter, slugify(letter) or "khac")


class PeopleDirectory:
    def __init__(self, registry: Iterable[Person]):
        self.entries: list[PersonEntry] = []
        self._registered: dict[tuple[str, ...], PersonEntry] = {}
        self._named: dict[tuple[str, ...], PersonEntry] = {}  # names found only in People
        self._spellings: list[tuple[str, Person]] = []
        self.matcher: NameMatcher[PersonEntry] = NameMatcher()
        for person in registry:
            entry = PersonEntry(person.name, person, person.slug)
            self.entries.append(entry)
            for spelling in person.spellings():
                self._registered.setdefault(name_key(spelling), entry)
                self.matcher.add(spelling, entry)
                self._spellings.append((spelling, person))

    def lookup(self, name: str) -> PersonEntry | None:
        """The registered person of a name or alias."""
        return self._registered.get(name_key(name))

    def resolve(self, name: str) -> PersonEntry:
        """The entry of a name, created from the name alone when unregistered."""
        key = name_key(name)
        entry = self._registered.get(key) or self._named.get(key)
        if entry is None:
            entry = self._named[key] = PersonEntry(" ".join(name.split()))
            self.entries.append(entry)
        return entry

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
        if self.lookup(name) is not None:
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
        return sorted(ordered, key=lambda e: e.sort_key)


def by_letter(entries: list[PersonEntry]) -> list[tuple[str, str, list[PersonEntry]]]:
    """(letter, anchor, entries) for sorted entries, grouped by the given name's first letter."""
    groups: list[tuple[str, str, list[PersonEntry]]] = []
    for entry in entries:
        letter = entry.letter
        if not groups or groups[-1][0] != letter:
            groups.append((letter, letter_anchor(letter), []))
        groups[-1][2].append(entry)
    return groups
