"""Run the search indexing beside the rest of the build, on the second core.

Pagefind and the records it reads need only the published articles, which are
final once they are written; the rest of the build (listings, tags, people,
related pages) does not need the index. So the indexing runs in a forked child
process — it inherits the articles, nothing is copied or pickled — while the
build goes on writing pages, and the build waits for it at its very end. A
failure in the child comes back as an exception in the parent, so a build
whose index failed fails as a whole (and output/ keeps the last good site).

Where fork is unavailable the work runs in-process, at once.
"""
from __future__ import annotations

import multiprocessing
import traceback
from typing import Callable


class BackgroundError(RuntimeError):
    """The work failed in the child; the message is the child's, ``details`` its traceback."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


def _child(work: Callable[[], object], connection) -> None:
    try:
        result = work()
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        message = str(error) or type(error).__name__
        connection.send((False, message, traceback.format_exc()))
    else:
        connection.send((True, result, ""))
    finally:
        connection.close()


class Job:
    """One piece of work started by ``start``; ``wait()`` returns its result or raises."""

    def __init__(self, work: Callable[[], object]):
        self._result: tuple[bool, object, str] | None = None
        self._process = None
        if "fork" not in multiprocessing.get_all_start_methods():
            try:
                self._result = (True, work(), "")
            except Exception as error:  # noqa: BLE001 - raised again by wait(), like the forked case
                self._result = (False, str(error) or type(error).__name__, traceback.format_exc())
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        # daemon: if the build stops before waiting (another error), the child
        # is terminated with it instead of keeping the interpreter alive.
        self._process = context.Process(target=_child, args=(work, send), daemon=True)
        self._process.start()
        send.close()

    @classmethod
    def done(cls, work: Callable[[], object]) -> "Job":
        """The work run at once, in this process; ``wait()`` gives its result or raises its error."""
        job = cls.__new__(cls)
        job._process = None
        try:
            job._result = (True, work(), "")
        except Exception as error:  # noqa: BLE001 - raised again by wait()
            job._result = (False, str(error) or type(error).__name__, traceback.format_exc())
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

