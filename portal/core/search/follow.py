"""A rebuild's pages go live first; its search index follows.

Indexing one part of a large site takes longer than writing the pages an edit
changed, so a rebuild does not wait for it: the index is made in a process of
its own, started beside the page writing, that outlives the build. It waits
for the build's word: "go" once the new output is in place, and then puts its
parts into that output one by one (each part switches when its entry file is
replaced, so a reader always searches a whole part, old or new); anything
else (the build failed or stopped) and it discards its work. Until then
readers search the last index, which the build links into the new output.

One follower at a time per output: it holds ``LOCK_FILE`` (core/detached.py)
from before it starts until it ends, and the next build waits on that lock
before it looks at the index (``wait``). Its outcome is in ``STATUS_FILE``, for
`python -m portal wait-search` and the next build.
"""
from __future__ import annotations

import json
import os
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from portal.core import detached
from portal.core.files import write_atomic

LOCK_FILE = "search-follow.lock"
STATUS_FILE = "search-follow.json"
GO = b"go"


def _write_status(cache_dir: Path, state: str, message: str = "", **extra: Any) -> None:
    write_atomic(cache_dir / STATUS_FILE, json.dumps({"state": state, "message": message, "at": time.time(), **extra},
                                                     ensure_ascii=False), sync=False)


def read_status(cache_dir: Path) -> dict:
    try:
        found = json.loads((Path(cache_dir) / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def wait(cache_dir: Path) -> dict:
    """Until no follower of this output runs; returns the last one's status ({} when none ran)."""
    detached.wait(Path(cache_dir) / LOCK_FILE)
    return read_status(cache_dir)


class Follower:
    """``work()`` started now in a detached process; ``then(result)`` run there after ``go()``."""

    def __init__(self, cache_dir: Path, work: Callable[[], Any], then: Callable[[Any], None]):
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        receive, self._send = os.pipe()
        _write_status(self.cache_dir, "indexing")

        def follow() -> None:
            os.close(self._send)
            self._follow(work, then, receive)

        self.group = detached.start(follow, self.cache_dir / LOCK_FILE)
        os.close(receive)

    def _follow(self, work: Callable[[], Any], then: Callable[[Any], None], receive: int) -> None:
        try:
            result = work()
            with os.fdopen(receive, "rb") as decision:
                said = decision.read()
            if said != GO:
                _write_status(self.cache_dir, "discarded", "lần dựng này không thành công: chỉ mục không được dùng")
                return
            then(result)
        except BaseException as error:  # noqa: BLE001 - every failure goes to the status file
            _write_status(self.cache_dir, "failed", str(error) or type(error).__name__,
                          details=traceback.format_exc())
        else:
            _write_status(self.cache_dir, "done")

    def go(self) -> None:
        """The new output is in place: the follower may put its index into it."""
        try:
            os.write(self._send, GO)
        except BrokenPipeError:
            pass  # it has ended already, failed: its status says why
        finally:
            os.close(self._send)

    def stop(self) -> None:
        """The build failed: the follower discards its work; it is stopped to free the core."""
        os.close(self._send)
        detached.stop(self.group)
        _write_status(self.cache_dir, "discarded", "lần dựng này không thành công: chỉ mục không được dùng")
