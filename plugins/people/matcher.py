"""Find whole names in text, in one pass over its words.

The names (and aliases) are stored in a trie keyed by word keys (NFC,
canonical tone placement, case folded). The text is scanned once: only a
capitalised word can start a name, and a walk down the trie is at most as
long as the longest name, so the cost grows with the size of the text and not
with the number of people (a per-name scan costs people x text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Hashable, Iterable, TypeVar

from .names import name_key, word_key

T = TypeVar("T", bound=Hashable)
WORD = re.compile(r"\w+")
# Words of one name are separated by spaces only (no comma, no line break),
# or by a full stop after an initial: "Nguyễn V. Thông".
SAME_NAME_GAP = re.compile(r"[ \u00a0]+")
AFTER_INITIAL_GAP = re.compile(r"\.?[ \u00a0]*")


@dataclass(frozen=True)
class Mention(Generic[T]):
    start: int
    end: int
    target: T


class _Node:
    __slots__ = ("children", "target")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.target = None


class NameMatcher(Generic[T]):
    def __init__(self, names: Iterable[tuple[str, T]] = ()) -> None:
        self._root = _Node()
        for name, target in names:
            self.add(name, target)

    def add(self, name: str, target: T) -> None:
        key = name_key(name)
        if not key:
            return
        node = self._root
        for word in key:
            node = node.children.setdefault(word, _Node())
        node.target = target

    def find(self, text: str) -> list[Mention[T]]:
        """Every whole-name mention, left to right, longest name first.

        A name counts only when each of its words is capitalised and the word
        right after it is not a capitalised word of the same name:
        "Nguyễn Văn Thông" is not found in "Nguyễn Văn Thông Minh".
        """
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        found: list[Mention[T]] = []
        root = self._root.children
        count = len(words)
        i = 0
        while i < count:
            start, _end, word = words[i]
            node = root.get(word_key(word)) if word[0].isupper() else None
            best = None
            j = i
            while node is not None:
                if node.target is not None and not self._continues(text, words, j):
                    best = (j, node.target)
                j += 1
                if j >= count or not self._joined(text, words, j - 1):
                    break
                following = words[j][2]
                node = node.children.get(word_key(following)) if following[0].isupper() else None
            if best is None:
                i += 1
                continue
            last, target = best
            found.append(Mention(start, words[last][1], target))
            i = last + 1
        return found

    @staticmethod
    def _joined(text: str, words: list, index: int) -> bool:
        """Word ``index`` and the next one are separated by spaces only."""
        gap = text[words[index][1]: words[index + 1][0]]
        pattern = AFTER_INITIAL_GAP if len(words[index][2]) == 1 else SAME_NAME_GAP
        return pattern.fullmatch(gap) is not None

    @classmethod
    def _continues(cls, text: str, words: list, index: int) -> bool:
        """The name ending at word ``index`` goes on with a capitalised word."""
        return (index + 1 < len(words) and words[index + 1][2][0].isupper()
                and cls._joined(text, words, index))
