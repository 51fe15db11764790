"""Vietnamese personal names as text: normalisation, tone placement, keys.

Pure functions, no Pelican. Two spellings of one name must give one key:
text pasted from Word arrives decomposed (NFD), and the old and new tone
placements ("Hoà"/"Hòa", "Thuỷ"/"Thủy", "Qúy"/"Quý") are both in daily use.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks of the five tones, in the Vietnamese order of the alphabet
# (huyền, hỏi, ngã, sắc, nặng); "ngang" has no mark.
TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"
VOWELS = frozenset("aăâeêioôơuưy")
MARKED_VOWELS = frozenset("ăâêôơư")  # a tone always sits on these
WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def split_tone(word: str) -> tuple[str, str]:
    """("Hoà" -> ("Hoa", "\\u0300")): the word without its tone, and the tone mark."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((c for c in decomposed if c in TONE_MARKS), "")
    bare = "".join(c for c in decomposed if c not in TONE_MARKS)
    return nfc(bare), tone


def _tone_position(bare: str) -> int | None:
    """Index of the vowel that carries the tone (the "new" placement rule)."""
    lower = bare.lower()
    start = 0
    # In "qu" and "gi" + vowel, the u/i belong to the consonant: "Quý", "Giữa".
    if lower[:2] in ("qu", "gi") and len(lower) > 2 and lower[2] in VOWELS:
        start = 2
    first = next((i for i in range(start, len(lower)) if lower[i] in VOWELS), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(lower) and lower[last + 1] in VOWELS:
        last += 1
    run = range(first, last + 1)
    marked = [i for i in run if lower[i] in MARKED_VOWELS]
    if marked:
        return marked[-1]  # "ươ" carries it on the ơ: "Người", "Trường"
    if len(run) == 1:
        return first
    if len(run) == 2:
        # "Hòa", "Thủy" (open syllable) but "Hoàng", "Huỳnh" (closed).
        return last if last + 1 < len(lower) else first
    return first + 1  # three vowels: the middle one, "Thoại", "Khuỷu"


@lru_cache(maxsize=65536)
def canonical_word(word: str) -> str:
    """One word with its tone on the vowel the new placement rule chooses.

    "Hoà" -> "Hòa", "Thuỷ" -> "Thủy", "Qúy" -> "Quý"; words without a tone
    only get NFC. A second (mistyped) tone mark is dropped.
    """
    bare, tone = split_tone(word)
    if not tone:
        return nfc(word)
    position = _tone_position(bare)
    if position is None:
        return nfc(word)
    return nfc(bare[: position + 1] + tone + bare[position + 1:])


def canonical(text: str) -> str:
    """Every word of ``text`` with canonical tone placement, spaces collapsed."""
    return " ".join(canonical_word(word) for word in nfc(text).split())


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """What two spellings of the same word have in common: "HOÀ" -> "hòa"."""
    return canonical_word(word).casefold()


def name_key(name: str) -> tuple[str, ...]:
    """Matching key of a whole name: one word key per syllable."""
    return tuple(word_key(word) for word in WORD.findall(nfc(name)))


def strip_marks(text: str) -> str:
    """Letters only, no tone or letter diacritic: "Đặng Thị Ánh" -> "dang thi anh"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def within_one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with at most one letter inserted, removed or changed."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def split_name(name: str) -> tuple[str, str, str]:
    """(family, middle, given): "Trần Thị Thu Hoà" -> ("Trần", "Thị Thu", "Hoà")."""
    words = nfc(name).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def initial_letter(name: str) -> str:
    """The given name's first letter of the Vietnamese alphabet, upper case,
    without tone: "Ánh" -> "A", "Ân" -> "Â", "Ơn" -> "Ơ", "Đức" -> "Đ"."""
    given = split_name(name)[2]
    if not given:
        return ""
    bare, _tone = split_tone(given[0])
    return bare.upper()
