"""Work that outlives the command that starts it, and a lock that says when it is done.

A build hands two jobs to such a process: emptying the output it replaced, so
the next build finds empty folders to build in, and a rebuild's search index,
which follows its pages (core/search/follow.py). The process is detached: a
session of its own, nobody's child to reap, its standard streams on
/dev/null (a caller reading the command's output, as the newsroom does, must
not wait for it). It holds an flock on a lock file from before it starts
until it ends, so whoever needs its result waits on that lock (``wait``).
"""
from __future__ import annotations

import fcntl
import os
import signal
from pathlib import Path
from typing import Callable


def start(body: Callable[[], None], lock_file: Path) -> int:
    """``body()`` in a detached process holding ``lock_file``; returns its process group."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    # Taken before the fork and inherited: a `wait` that comes before the child runs still waits.
    fcntl.flock(lock, fcntl.LOCK_EX)
    pid = os.fork()
    if pid == 0:
        _run_detached(body)
    os.close(lock)  # the detached process's copy holds the lock until it ends
    os.waitpid(pid, 0)  # the intermediate child: it exits at once
    return pid


def wait(lock_file: Path) -> None:
    """Until no detached process holds ``lock_file``."""
    if not lock_file.exists():
        return
    with open(lock_file, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        fcntl.flock(handle, fcntl.LOCK_UN)


def stop(group: int) -> None:
    """Terminate a detached process started by ``start`` and what it started."""
    try:
        os.killpg(group, signal.SIGTERM)
    except OSError:
        pass  # already gone


def _run_detached(body: Callable[[], None]) -> None:
    """In the forked child: a new session (its process group is the returned id), then a
    grandchild that runs ``body``; the child exits at once."""
    try:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(null, stream)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal stops the build, not this
        body()
    finally:
        os._exit(0)
