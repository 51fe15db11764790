"""Find whole names in text, in one pass.

A name is a run of capitalised words joined by spaces (or by a full stop after
an initial, "Nguyễn V. Thông"). One regular expression finds those runs, so
the text is scanned once in C; only the few runs are looked at in Python,
each by at most as many dictionary look-ups as the longest name has words. The
cost grows with the size of the text, not with the number of people (a
per-name scan costs people x text).

Whole names only: a name counts when it ends where the run ends, so
"Nguyễn Văn Thông" is not found in "Nguyễn Văn Thông Minh"; it may start
inside the run ("Bí thư Đảng ủy Khối Nguyễn Văn Thông").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Hashable, Iterable, TypeVar

from .names import name_key, word_key

T = TypeVar("T", bound=Hashable)
# Capital letters of the Latin script, Vietnamese ones included (Ă Đ Ơ Ư Ạ…Ỹ).
CAPITALS = "".join(re.escape(chr(c)) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)) if chr(c).isupper())
CAPITALISED_RUN = re.compile(rf"(?<!\w)[{CAPITALS}]\w*(?:(?:[ \u00a0]+|\.[ \u00a0]*)[{CAPITALS}]\w*)*")
# The same runs, of two words or more: most runs are one capitalised word
# ("Đảng", the first word of a sentence), and the regular expression skips
# them in C when no name is a single word.
SEVERAL_WORD_RUN = re.compile(rf"(?<!\w)[{CAPITALS}]\w*(?:(?:[ \u00a0]+|\.[ \u00a0]*)[{CAPITALS}]\w*)+")
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Mention(Generic[T]):
    start: int
    end: int
    target: T


class NameMatcher(Generic[T]):
    def __init__(self, names: Iterable[tuple[str, T]] = ()) -> None:
        self._names: dict[tuple[str, ...], T] = {}
        self._longest = 0
        self._shortest = 0
        for name, target in names:
            self.add(name, target)

    def add(self, name: str, target: T) -> None:
        key = name_key(name)
        if key:
            self._names[key] = target
            self._longest = max(self._longest, len(key))
            self._shortest = min(self._shortest or len(key), len(key))

    def find(self, text: str) -> list[Mention[T]]:
        """Every whole-name mention, left to right."""
        found: list[Mention[T]] = []
        runs = SEVERAL_WORD_RUN if self._shortest > 1 else CAPITALISED_RUN
        for run in runs.finditer(text):
            offset = run.start()
            for words in self._names_in(run.group()):
                keys = [word_key(word) for _s, _e, word in words]
                for first in range(max(0, len(keys) - self._longest), len(keys)):
                    target = self._names.get(tuple(keys[first:]))
                    if target is not None:
                        found.append(Mention(offset + words[first][0], offset + words[-1][1], target))
                        break
        return found

    @staticmethod
    def _names_in(run: str) -> list[list[tuple[int, int, str]]]:
        """The run's words, split where a full stop follows a whole word
        (the end of a sentence) rather than an initial."""
        parts: list[list[tuple[int, int, str]]] = [[]]
        for match in WORD.finditer(run):
            current = parts[-1]
            if current and "." in run[current[-1][1]: match.start()] and len(current[-1][2]) > 1:
                parts.append(current := [])
            current.append((match.start(), match.end(), match.group()))
        return parts
