"""Freed heap memory given back before a fork (portal.core.memory)."""
from __future__ import annotations

import psutil
import pytest

from portal.core import memory, parallel
from portal.core.search import background


@pytest.mark.skipif(memory._TRIM is None, reason="the C library has no malloc_trim")
def test_free_pages_between_live_objects_go_back_to_the_system():
    process = psutil.Process()
    # Objects of a reading's size, nine in ten freed: the free space lies between live objects,
    # where malloc keeps it (only the top of the heap is returned by free itself).
    kept = [bytes(6000) + bytes([n % 251]) for n in range(60_000)]
    for start in range(9):
        kept[start::10] = [None] * len(kept[start::10])
    before = process.memory_info().rss
    assert memory.give_back_freed()
    after = process.memory_info().rss
    assert before - after > 100 * 2**20, (before >> 20, after >> 20)
    assert sum(1 for item in kept if item is not None) == 6000  # the live objects are intact


def test_workers_and_the_search_job_are_forked_after_the_freed_memory_is_given_back(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "give_back_freed", lambda: calls.append("trim") or True)
    assert parallel.map_chunks(lambda chunk: sum(chunk), [[1, 2], [3, 4]], 2) == [3, 7]
    assert calls == ["trim"]
    assert background.Job(lambda: 5).wait() == 5
    assert calls == ["trim", "trim"]
