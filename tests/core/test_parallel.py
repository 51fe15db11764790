"""Chunks of work on forked processes, this process being one of the workers."""
from __future__ import annotations

import os

import pytest

from portal.core import parallel


def _sum_then_scale(chunk):
    total = yield sum(chunk)
    if total < 0:
        raise ValueError("negative total")
    yield [value * total for value in chunk]


@pytest.mark.parametrize("workers", [1, 2])
def test_converse_gives_every_chunk_the_reply_to_all_first_rounds(workers):
    chunks = parallel.split(list(range(1, 7)), 2)
    assert parallel.converse(_sum_then_scale, chunks, workers, sum) == [[21, 42, 63], [84, 105, 126]]


@pytest.mark.parametrize("workers", [1, 2])
def test_converse_raises_a_worker_error_in_the_caller(workers):
    with pytest.raises(ValueError, match="negative total"):
        parallel.converse(_sum_then_scale, [[-1, -2], [-3]], workers, sum)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_map_chunks_keeps_the_chunks_order(workers):
    chunks = [list(range(n, n + 3)) for n in range(0, 30, 3)]
    assert parallel.map_chunks(sum, chunks, workers) == [sum(chunk) for chunk in chunks]


def test_this_process_is_one_of_the_workers():
    # Two workers: this process and one fork, each taking every other chunk.
    pids = parallel.map_chunks(lambda chunk: os.getpid(), list(range(6)), 2)
    assert pids[0::2] == [os.getpid()] * 3
    assert len(set(pids[1::2])) == 1 and pids[1] != os.getpid()


def test_a_workers_error_is_raised_in_the_caller():
    def fail_on_odd(chunk):
        if chunk % 2:
            raise ValueError(f"chunk {chunk}")
        return chunk

    with pytest.raises(ValueError, match="chunk 1"):
        parallel.map_chunks(fail_on_odd, [0, 1, 2, 3], 2)


def test_chunked_keeps_every_item_in_order_in_slices_of_the_size():
    assert parallel.chunked(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert parallel.chunked([], 3) == []
