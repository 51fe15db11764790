"""Run the search indexing beside the rest of the build, on the second core.

Pagefind and the records it reads need only the published articles, which are
final once they are written; the rest of the build (listings, tags, people,
related pages) does not need the index. So the indexing runs in a forked child
process — it inherits the articles, nothing is copied or pickled — while the
build goes on writing pages, and the build waits for it at its very end. A
failure in the child comes back as an exception in the parent, so a build
whose index failed fails as a whole (and output/ keeps the last good site).

A job may come in two steps: ``work`` in the forked child, then ``then`` on its
result in a fresh Python that the child becomes (``os.execv``, same process):
a forked child keeps every page of the build mapped, so while it only waits
for Pagefind it would be counted again at the build's size, and what it
touches of them is copied. The result of ``work`` goes across as JSON.

A job stops when the build that started it is gone, killed outright (a CI time-out, SIGKILL)
before it could cancel the job: otherwise it would index for minutes, into a folder no build
will read. It checks its parent every ``PARENT_CHECK_SECONDS`` and stops as ``cancel`` stops it,
through SIGTERM, so its cleanup runs.

Where fork is unavailable the work runs in-process, at once.
"""
from __future__ import annotations

import importlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
import traceback
from typing import Callable

from portal.core import memory

PARENT_CHECK_SECONDS = 0.5


class BackgroundError(RuntimeError):
    """The work failed in the child; the message is the child's, ``details`` its traceback."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


def _child(work: Callable[[], object], connection, then: Callable[[object], object] | None = None,
           parent: int | None = None) -> None:
    if parent is not None:  # the forked child: the build's own SIGTERM handling is not for it
        _stop_without(parent)
    try:
        result = work()
        if then is not None:
            _become_fresh(then, result, connection, parent)
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        message = str(error) or type(error).__name__
        connection.send((False, message, traceback.format_exc()))
    else:
        connection.send((True, result, ""))
    finally:
        connection.close()


def _become_fresh(then: Callable[[object], object], result: object, connection, parent: int) -> None:
    """Replace this forked child by a new Python that runs ``then(result)`` and answers on
    ``connection`` (kept open across the exec). Same interpreter, environment and working folder:
    it finds the modules as ``python -m portal`` found them."""
    descriptor = connection.fileno()
    os.set_inheritable(descriptor, True)
    os.execv(sys.executable, [sys.executable, "-m", __name__, str(descriptor),
                              f"{then.__module__}:{then.__qualname__}", json.dumps(result), str(parent)])


def _stop_without(parent: int) -> None:
    """SIGTERM (``Job.cancel``, or this process's own once ``parent`` is gone) unwinds this process,
    so that what its work cleans up in `finally` is cleaned up."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _fresh_main(descriptor: int, target: str, payload: str, parent: int) -> None:
    _stop_without(parent)
    connection = multiprocessing.connection.Connection(descriptor, readable=False)
    module, _, name = target.partition(":")
    _child(lambda: getattr(importlib.import_module(module), name)(json.loads(payload)), connection)


class Job:
    """One piece of work started by ``start``; ``wait()`` returns its result or raises."""

    def __init__(self, work: Callable[[], object], then: Callable[[object], object] | None = None):
        """``then``: a module-level function, run on ``work()``'s result (JSON data) in a fresh process."""
        self._result: tuple[bool, object, str] | None = None
        self._process = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._result = _at_once(work, then)
            return
        memory.give_back_freed()  # the child would map the freed pages too, and the build writes on
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        # daemon: if the build stops before waiting (another error), the child
        # is terminated with it instead of keeping the interpreter alive.
        self._process = context.Process(target=_child, args=(work, send, then, os.getpid()), daemon=True)
        self._process.start()
        send.close()

    @classmethod
    def done(cls, work: Callable[[], object], then: Callable[[object], object] | None = None) -> "Job":
        """The work run at once, in this process; ``wait()`` gives its result or raises its error."""
        job = cls.__new__(cls)
        job._process = None
        job._result = _at_once(work, then)
        return job

    def wait(self) -> object:
        if self._result is None:
            try:
                self._result = self._receive.recv()
            except EOFError:  # the child died without a word (killed, out of memory)
                self._result = (False, f"tiến trình lập chỉ mục dừng đột ngột (mã {self._process.exitcode})", "")
            finally:
                self._process.join()
                self._receive.close()
        ok, value, details = self._result
        if not ok:
            raise BackgroundError(value, details)
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs (its build failed before waiting for it)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()



def _at_once(work: Callable[[], object], then: Callable[[object], object] | None) -> tuple[bool, object, str]:
    try:
        result = work()
        return True, then(result) if then is not None else result, ""
    except Exception as error:  # noqa: BLE001 - raised again by wait(), like the forked case
        return False, str(error) or type(error).__name__, traceback.format_exc()


if __name__ == "__main__":
    _fresh_main(int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]))
