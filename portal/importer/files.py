"""The importer's writes: whole files only (core/files.py), unchanged files left alone, leftovers removed."""
from __future__ import annotations

from pathlib import Path

from portal.core.files import write_atomic  # noqa: F401 - the importer writes through this module


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
