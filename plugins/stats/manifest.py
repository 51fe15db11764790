"""Which page paths the service may count, from the files the build wrote."""
from __future__ import annotations

from pathlib import PurePosixPath

from .snapshot import Offsets


def page_path(output_file: str, excluded: frozenset[str] = frozenset()) -> str | None:
    """'2026/01/tin/index.html' -> '/2026/01/tin/'; None for files that are not counted pages."""
    name = PurePosixPath(output_file.replace("\\", "/"))
    if name.suffix != ".html" or str(name) in excluded:
        return None
    if name.name == "index.html":
        parent = str(name.parent)
        return "/" if parent == "." else f"/{parent}/"
    return f"/{name}"


def manifest(paths: set[str], offsets: Offsets) -> dict:
    return {"paths": sorted(paths), "offsets": offsets.to_json()}
