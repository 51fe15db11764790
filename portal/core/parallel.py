"""Spread chunks of work over forked processes: the build machine has 2 cores.

With ``fork`` the workers inherit the parent's memory (the index being
built), so only chunk numbers go in and only small results come back. Where
fork is unavailable, or with one worker, everything runs in-process; either
way the results come back in chunk order, so output never depends on it.
"""
from __future__ import annotations

import multiprocessing
from typing import Callable, Generator, Sequence, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

_task: Callable | None = None
_chunks: Sequence | None = None


def _run(number: int):
    return _task(_chunks[number])


def split(items: Sequence, parts: int) -> list[Sequence]:
    """``parts`` contiguous slices of nearly equal length (fewer if items are few)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    bounds = [0]
    for part in range(parts):
        bounds.append(bounds[-1] + size + (1 if part < extra else 0))
    return [items[start:end] for start, end in zip(bounds, bounds[1:])]


def map_chunks(function: Callable[[Chunk], Result], chunks: Sequence[Chunk], workers: int) -> list[Result]:
    global _task, _chunks
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(chunk) for chunk in chunks]
    _task, _chunks = function, chunks
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(chunks))) as pool:
            return pool.map(_run, range(len(chunks)), chunksize=1)
    finally:
        _task = _chunks = None


def _converse_in_worker(job: Callable, chunk, connection) -> None:
    try:
        rounds = job(chunk)
        connection.send((True, next(rounds)))
        connection.send((True, rounds.send(connection.recv())))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send((False, error))
    finally:
        connection.close()


def converse(job: Callable[[Chunk], Generator], chunks: Sequence[Chunk], workers: int,
             reply: Callable[[list], object]) -> list:
    """Run ``job(chunk)`` for every chunk, in two rounds, one forked process per
    chunk (so pass ``split(items, workers)``).

    ``job`` is a generator: it yields a first result, receives ``reply`` of
    all chunks' first results, and yields its final result. A worker keeps
    its chunk's intermediate state between the rounds (tokenised texts),
    which then never cross a process boundary.
    """
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        rounds = [job(chunk) for chunk in chunks]
        message = reply([next(r) for r in rounds])
        return [r.send(message) for r in rounds]
    context = multiprocessing.get_context("fork")
    links, processes = [], []
    try:
        for chunk in chunks:
            mine, theirs = context.Pipe()
            process = context.Process(target=_converse_in_worker, args=(job, chunk, theirs), daemon=True)
            process.start()
            theirs.close()
            links.append(mine)
            processes.append(process)

        def receive_all() -> list:
            results = []
            for link in links:
                ok, value = link.recv()
                if not ok:
                    raise value
                results.append(value)
            return results

        message = reply(receive_all())
        for link in links:
            link.send(message)
        return receive_all()
    finally:
        for link in links:
            link.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
