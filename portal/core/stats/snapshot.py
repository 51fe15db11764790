"""The figures baked into pages at build time, for readers without JavaScript.

A snapshot is the service's ``GET /api/export`` answer (fetched at build time
or saved to a file). Without one, the pages show the carried-over offsets.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

FIGURES = ("online", "today", "week", "month", "total")


class SnapshotError(ValueError):
    """A snapshot or offsets value the build cannot use; ``line`` when known."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Offsets:
    total: int = 0
    paths: dict[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, value: dict | None) -> "Offsets":
        value = value or {}
        if not isinstance(value, dict):
            raise SnapshotError("STATS_OFFSETS phải là một dict dạng {'total': 93308, 'paths': {...}}")
        paths = value.get("paths") or {}
        if not isinstance(paths, dict):
            raise SnapshotError("STATS_OFFSETS['paths'] phải là dict: đường dẫn -> số lượt xem")
        return cls(
            total=_count(value.get("total", 0), "STATS_OFFSETS['total']"),
            paths={_path(p, "STATS_OFFSETS['paths']"): _count(n, f"STATS_OFFSETS['paths'][{p!r}]")
                   for p, n in paths.items()},
        )

    def to_json(self) -> dict:
        return {"total": self.total, "paths": dict(sorted(self.paths.items()))}


@dataclass(frozen=True)
class Snapshot:
    site: dict[str, int]
    views: dict[str, int]
    updated: datetime | None = None

    @classmethod
    def from_offsets(cls, offsets: Offsets) -> "Snapshot":
        site = {name: 0 for name in FIGURES}
        site["total"] = offsets.total
        return cls(site, dict(offsets.paths))

    @classmethod
    def parse(cls, text: str) -> "Snapshot":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SnapshotError(f"không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})", exc.lineno) from None
        if not isinstance(data, dict):
            raise SnapshotError('phải là một đối tượng JSON có "generated", "site" và "views"')
        site = data.get("site")
        if not isinstance(site, dict):
            raise SnapshotError('thiếu trường "site" (các số liệu online, today, week, month, total)')
        views = data.get("views", {})
        if not isinstance(views, dict):
            raise SnapshotError('trường "views" phải là đối tượng: đường dẫn -> số lượt xem')
        try:
            updated = datetime.fromisoformat(str(data.get("generated")))
        except ValueError:
            raise SnapshotError('trường "generated" phải là thời điểm ISO, ví dụ "2026-01-07T10:00:00+07:00"') from None
        return cls(
            site={name: _count(site.get(name), f'trường "site.{name}"') for name in FIGURES},
            views={_path(p, '"views"'): _count(n, f'trường "views[{p}]"') for p, n in views.items()},
            updated=updated,
        )

    def views_for(self, path: str) -> int:
        return self.views.get(path, 0)


def _count(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SnapshotError(f"{where} phải là số nguyên không âm, đang là {value!r}")
    return value


def _path(value, where: str) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise SnapshotError(f"{where}: đường dẫn phải bắt đầu bằng '/', đang là {value!r}")
    return value
