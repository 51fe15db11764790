"""Spread chunks of work over forked processes: the build machine has 2 cores.

With ``fork`` the workers inherit the parent's memory (the index being
built), so only chunk numbers go in and only results come back. The parent is
one of the workers: a forked child is counted again at the parent's size by
the RSS of the process tree (its pages stay mapped), so ``workers`` processes
cost ``workers - 1`` forks. Where fork is unavailable, or with one worker,
everything runs in-process; either way the results come back in chunk order,
so output never depends on it.
"""
from __future__ import annotations

import multiprocessing
from typing import Callable, Generator, Sequence, TypeVar

from portal.core import memory

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


def split(items: Sequence, parts: int) -> list[Sequence]:
    """``parts`` contiguous slices of nearly equal length (fewer if items are few)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    bounds = [0]
    for part in range(parts):
        bounds.append(bounds[-1] + size + (1 if part < extra else 0))
    return [items[start:end] for start, end in zip(bounds, bounds[1:])]


def chunked(items: Sequence, size: int) -> list[Sequence]:
    """``items`` in slices of ``size`` (the last one shorter)."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def map_chunks(function: Callable[[Chunk], Result], chunks: Sequence[Chunk], workers: int) -> list[Result]:
    """``function(chunk)`` for every chunk; chunk i goes to worker i % workers, worker 0 being this
    process."""
    workers = min(workers, len(chunks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(chunk) for chunk in chunks]

    def share(worker: int) -> Generator:
        yield [(number, function(chunks[number])) for number in range(worker, len(chunks), workers)]

    results: list = [None] * len(chunks)
    for found in converse(share, range(workers), workers, reply=lambda _: None, rounds=1):
        for number, result in found:
            results[number] = result
    return results


def _converse_in_worker(job: Callable, chunk, connection, rounds: int) -> None:
    try:
        steps = job(chunk)
        connection.send((True, next(steps)))
        if rounds == 2:
            connection.send((True, steps.send(connection.recv())))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send((False, error))
    finally:
        connection.close()


def converse(job: Callable[[Chunk], Generator], chunks: Sequence[Chunk], workers: int,
             reply: Callable[[list], object], rounds: int = 2) -> list:
    """Run ``job(chunk)`` for every chunk, in two rounds (or one), one process per chunk, the first
    chunk in this one (so pass ``split(items, workers)``).

    ``job`` is a generator: it yields a first result, receives ``reply`` of
    all chunks' first results, and yields its final result. A worker keeps
    its chunk's intermediate state between the rounds (tokenised texts),
    which then never cross a process boundary. With ``rounds=1`` the first
    results are the results.
    """
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        steps = [job(chunk) for chunk in chunks]
        firsts = [next(s) for s in steps]
        if rounds == 1:
            return firsts
        message = reply(firsts)
        return [s.send(message) for s in steps]
    memory.give_back_freed()  # each fork would map the freed pages too
    context = multiprocessing.get_context("fork")
    links, processes = [], []
    try:
        for chunk in chunks[1:]:
            mine, theirs = context.Pipe()
            process = context.Process(target=_converse_in_worker, args=(job, chunk, theirs, rounds), daemon=True)
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

        own = job(chunks[0])
        firsts = [next(own)] + receive_all()
        if rounds == 1:
            return firsts
        message = reply(firsts)
        for link in links:
            link.send(message)
        return [own.send(message)] + receive_all()
    finally:
        for link in links:
            link.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
