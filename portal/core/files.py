"""Atomic file writes: a reader (or an interrupted run) never sees half a file."""
from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, sync: bool = True) -> None:
    """Written aside in the same folder (``.name.tmp-PID``), then renamed over ``path``. ``sync``:
    on disk before the rename (what an editor wrote); a cache that is rebuilt when damaged needs not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
