"""Vietnamese text to index terms: syllables and syllable bigrams.

Vietnamese writes one syllable per space-separated token and most words are
two syllables ("cán bộ", "đảng viên"), so adjacent-syllable pairs stand in
for words without a segmenter. Terms are UTF-8 ``bytes``: splitting encoded
text with a 256-entry byte table is several times faster than any str-level
tokeniser, and tokenising dominates the time to build the index.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

# ASCII punctuation and symbols become spaces at byte level; the rare
# non-ASCII ones (“ ” – … « ») are replaced before encoding.
_ASCII_SEPARATORS = bytes(c if chr(c).isalnum() else 0x20 for c in range(128)) + bytes(range(128, 256))
_NON_ASCII_SEPARATORS = re.compile(r"[^\x00-\x7f\w]+")
# A syllable and its separator rarely take more characters than this: cutting
# the text first spares encoding a long body only to drop most of it.
_CHARS_PER_SYLLABLE = 8


def read_part(text: str, limit: int | None = None) -> str:
    """What ``syllables(text, limit)`` reads of ``text``: two texts with the same part have the
    same syllables, so the part can stand for them where splitting would cost more (a key)."""
    text = unicodedata.normalize("NFC", text)
    return text if limit is None else text[: limit * _CHARS_PER_SYLLABLE]


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
