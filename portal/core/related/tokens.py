"""Vietnamese text to index terms: syllables and syllable bigrams.

Vietnamese writes one syllable per space-separated token and most words are
two syllables ("cán bộ", "đảng viên"), so adjacent-syllable pairs stand in
for words without a segmenter. Terms are UTF-8 ``bytes``: splitting encoded
text with a 256-entry byte table is several times faster than any str-level
tokeniser, and tokenising dominates the time to build the index.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections import Counter
from typing import NamedTuple

# ASCII punctuation and symbols become spaces at byte level; the rare
# non-ASCII ones (“ ” – … « ») are replaced before encoding.
_ASCII_SEPARATORS = bytes(c if chr(c).isalnum() else 0x20 for c in range(128)) + bytes(range(128, 256))
_NON_ASCII_SEPARATORS = re.compile(r"[^\x00-\x7f\w]+")
# A syllable and its separator rarely take more characters than this: cutting
# the text first spares encoding a long body only to drop most of it.
_CHARS_PER_SYLLABLE = 8
# Never inside a term: syllables are split on ASCII white space, a pair joined by one space.
TERM_SEPARATOR = b"\n"


def read_part(text: str, limit: int | None = None) -> str:
    """What ``syllables(text, limit)`` reads of ``text``: two texts with the same part have the
    same syllables, so the part can stand for them where splitting would cost more (a key)."""
    text = unicodedata.normalize("NFC", text)
    return text if limit is None else text[: text_chars(limit)]


def text_chars(limit: int) -> int:
    """How many characters of a text ``limit`` syllables can come from (``read_part``)."""
    return limit * _CHARS_PER_SYLLABLE


def syllables(text: str, limit: int | None = None) -> list[bytes]:
    """NFC, lower-cased syllables of ``text`` (UTF-8), at most ``limit`` of them."""
    text = _NON_ASCII_SEPARATORS.sub(" ", read_part(text, limit).lower())
    words = text.encode("utf-8").translate(_ASCII_SEPARATORS).split()
    return words if limit is None else words[:limit]


def term_counts(words: list[bytes]) -> Counter:
    """How often each syllable and each pair of adjacent syllables ("cán bộ") occurs."""
    counts = Counter(words)
    counts.update(map(b" ".join, zip(words, words[1:])))
    return counts


def part_digest(text: str, limit: int) -> str:
    """The digest of ``read_part(text, limit)``: what a text is known by where its words are not needed."""
    return hashlib.sha256(read_part(text, limit).encode("utf-8", "surrogatepass")).hexdigest()


class Counted(NamedTuple):
    """A text's terms, counted once and kept packed (the terms in one ``bytes``, their counts in an
    array: a Counter per text held ~40 KB), with the digest of the part of the text they come from.
    A document that carries them is indexed and keyed without its text (the quick rebuild keeps them
    for every article)."""

    limit: int  # the syllables read
    digest: str  # part_digest(text, limit)
    joined: bytes  # the terms, TERM_SEPARATOR between them
    counts: array  # array("I"): how often each occurs

    @classmethod
    def of(cls, text: str, limit: int) -> "Counted":
        return cls(limit, part_digest(text, limit), *packed(term_counts(syllables(text, limit))))


def packed(terms: Counter) -> tuple[bytes, array]:
    """``terms`` in two objects instead of one per term: the terms joined, and their counts."""
    return TERM_SEPARATOR.join(terms), array("I", terms.values())
