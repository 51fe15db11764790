"""Atomic file writes: a reader (or an interrupted run) never sees half a file."""
from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_text_if_changed(path: Path, text: str) -> bool:
    """True when the file was created or changed."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def remove_leftovers(folder: Path) -> int:
    """Temporary files an interrupted run left behind (".name.tmp-PID")."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.rglob(".*.tmp-*"):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed
