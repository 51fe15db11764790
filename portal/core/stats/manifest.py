"""The stats manifest: the one format the build writes and the counting service reads.

It lists the page paths the service may count and the view counts carried over
from the old portal (offsets).
"""
from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Manifest:
    paths: frozenset[str] = frozenset()
    offset_total: int = 0
    offset_paths: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, paths: set[str], offsets: Offsets) -> "Manifest":
        return cls(frozenset(paths), offsets.total, dict(offsets.paths))

    def to_json(self) -> dict:
        offsets = Offsets(self.offset_total, self.offset_paths)
        return {"paths": sorted(self.paths), "offsets": offsets.to_json()}

    @classmethod
    def parse(cls, data: dict) -> "Manifest":
        offsets = data.get("offsets") or {}
        return cls(
            paths=frozenset(str(p) for p in data.get("paths", [])),
            offset_total=int(offsets.get("total", 0)),
            offset_paths={str(k): int(v) for k, v in (offsets.get("paths") or {}).items()},
        )
