"""What the build is doing, on an interactive terminal: the phase and its count.

At 10.000 articles a cold build takes a minute; an editor in a terminal sees
which phase runs and how far it is. Logs and CI (no terminal, or ``CI`` set)
get nothing: the build's own summary line is all they need.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pelican import signals

PHASES = {
    "read": "Đọc bài viết",
    "link": "Kiểm tra, gắn nhân vật, tìm tin liên quan",
    "write": "Viết trang",
    "finish": "Chờ chỉ mục tìm kiếm và các bước cuối",
}


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    return stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def _sources(settings: dict) -> int:
    root = Path(settings["PATH"])
    return sum(1 for _ in root.rglob("*.md")) if root.is_dir() else 0


@contextmanager
def display(settings: dict, enabled: bool | None = None) -> Iterator[None]:
    """Show the phases of the Pelican run inside the ``with`` block (a no-op when not ``wanted``)."""
    if not (wanted() if enabled is None else enabled):
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task(PHASES["read"], total=_sources(settings) or None)

    def phase(name: str, total: int | None = None):
        def switch(*_args, **_kwargs) -> None:
            bar.update(task, description=PHASES[name], completed=0, total=total)
        return switch

    def advance(*_args, **_kwargs) -> None:
        bar.advance(task)

    handlers = [
        (signals.content_object_init, advance),
        (signals.all_generators_finalized, phase("link")),
        (signals.get_writer, phase("write")),
        (signals.content_written, advance),
        (signals.finalized, phase("finish")),
    ]
    for signal, handler in handlers:
        signal.connect(handler, weak=False)
    bar.start()
    try:
        yield
    finally:
        bar.stop()
        for signal, handler in handlers:
            signal.disconnect(handler)
