"""The stats manifest: the one format the build writes and the counting service reads.

It lists the page paths the service may count, the view counts carried over
from the old portal (offsets), and the published articles with their titles
(``articles``: the only paths the "Đọc nhiều" lists rank).
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
    articles: dict[str, str] = field(default_factory=dict)  # path -> title

    @classmethod
    def of(cls, paths: set[str], offsets: Offsets, articles: dict[str, str] | None = None) -> "Manifest":
        return cls(frozenset(paths), offsets.total, dict(offsets.paths),
                   {p: t for p, t in (articles or {}).items() if p in paths})

    def to_json(self) -> dict:
        offsets = Offsets(self.offset_total, self.offset_paths)
        data = {"paths": sorted(self.paths), "offsets": offsets.to_json()}
        if self.articles:
            data["articles"] = dict(sorted(self.articles.items()))
        return data

    @classmethod
    def parse(cls, data: dict) -> "Manifest":
        offsets = data.get("offsets") or {}
        return cls(
            paths=frozenset(str(p) for p in data.get("paths", [])),
            offset_total=int(offsets.get("total", 0)),
            offset_paths={str(k): int(v) for k, v in (offsets.get("paths") or {}).items()},
            articles={str(k): str(v) for k, v in (data.get("articles") or {}).items()},
        )
