"""Digest: equal inputs give equal keys in any order; objects by their attributes."""
from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from portal.core.digest import Digest


class Person:
    def __init__(self, name: str):
        self.name = name


def test_insertion_order_does_not_matter_and_values_do():
    digest = Digest()
    assert digest.of({"b": 1, "a": [1, 2]}) == digest.of({"a": [1, 2], "b": 1})
    assert digest.of({3, 1, 2}) == digest.of({2, 3, 1})
    assert digest.of({"a": 1}) != digest.of({"a": "1"})
    assert digest.of({"a": [1, 2]}) != digest.of({"a": [2, 1]})
    assert digest.of(dt.date(2025, 1, 2)) != digest.of("2025-01-02")


def test_keys_of_mixed_types_and_markup_sort_the_same_way_every_time():
    one = {Markup("b"): 1, "a": 2, 3: "c", None: 0}
    other = {None: 0, 3: "c", "a": 2, Markup("b"): 1}
    assert Digest().of(one) == Digest().of(other)
    assert Digest().of({"b": 1, "a": 2}) != Digest().of({"b": 2, "a": 1})


def test_objects_are_digested_by_their_attributes_minus_skipped_ones():
    first, second = Person("Lan"), Person("Lan")
    second.cache = object()
    assert Digest(skip_attributes=["cache"]).of(first) == Digest(skip_attributes=["cache"]).of(second)
    assert Digest().of(first) != Digest().of(Person("An"))
