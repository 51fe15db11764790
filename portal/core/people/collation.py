"""Vietnamese alphabetical order of names, on the Unicode Collation Algorithm.

The default Unicode order (DUCET, as shipped with pyuca) is wrong for
Vietnamese in two ways: ă, â, đ, ê, ô, ơ, ư sort as a, a, d, e, o, o, u with a
secondary difference ("ăn" would come before "anh"), and the tones are ordered
sắc, huyền, ngã, hỏi, nặng. We tailor pyuca's table like CLDR's Vietnamese
collation: those seven letters become letters of their own (primary weights
between their base letter and the next one), and the tone marks stay secondary
in the order ngang, huyền, hỏi, ngã, sắc, nặng. Letters therefore decide first,
tones only between otherwise equal names.
"""
from __future__ import annotations

from functools import lru_cache

from pyuca import Collator

from .names import TONE_MARKS, nfc, split_name

# letter (lower, upper) -> (base letter, combining mark or "", step after base)
OWN_LETTERS = {
    ("ă", "Ă"): ("a", "\u0306", 0.25),
    ("â", "Â"): ("a", "\u0302", 0.5),
    ("đ", "Đ"): ("d", "", 0.5),
    ("ê", "Ê"): ("e", "\u0302", 0.5),
    ("ô", "Ô"): ("o", "\u0302", 0.25),
    ("ơ", "Ơ"): ("o", "\u031b", 0.5),
    ("ư", "Ư"): ("u", "\u031b", 0.5),
}
# Secondary weights above every other mark's, in the order of TONE_MARKS.
TONE_SECONDARY_BASE = 0x0100


@lru_cache(maxsize=1)
def vietnamese_collator() -> Collator:
    collator = Collator()
    table = collator.table
    for (lower, upper), (base, mark, step) in OWN_LETTERS.items():
        for letter, base_letter in ((lower, base), (upper, base.upper())):
            _key, elements, _rest = table.find_prefix([ord(base_letter)])
            primary, secondary, tertiary = elements[0][:3]
            # Decomposed form for the marked vowels (the collator works on
            # NFD); the precomposed code point for đ, which has no decomposition.
            key = [ord(base_letter), ord(mark)] if mark else [ord(letter)]
            table.add(key, [[primary + step, secondary, tertiary]])
    for rank, mark in enumerate(TONE_MARKS, start=1):
        table.add([ord(mark)], [[0, TONE_SECONDARY_BASE + rank, 0x0002]])
    return collator


@lru_cache(maxsize=65536)
def word_sort_key(text: str) -> tuple:
    """Sort key of a word or phrase in Vietnamese alphabetical order."""
    return vietnamese_collator().sort_key(nfc(text))


def name_sort_key(name: str) -> tuple:
    """Given name, then middle name, then family name; the NFC name breaks ties."""
    family, middle, given = split_name(name)
    return (word_sort_key(given), word_sort_key(middle), word_sort_key(family), nfc(name))
