"""The figures baked into pages at build time, for readers without JavaScript.

A snapshot is the service's ``GET /api/export`` answer (fetched at build time
or saved to a file). The last one fetched is kept, so a build that cannot reach
the service shows the last known figures, never zeros; without any snapshot
the pages show the carried-over offsets. Carried-over per-article counts
(offsets) are a floor under every article's count.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

FIGURES = ("online", "today", "week", "month", "total")
PERIODS = ("week", "month")  # the "Đọc nhiều" lists


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
    # "Đọc nhiều": period -> [(path, views in the period)], most read first.
    popular: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @classmethod
    def from_offsets(cls, offsets: Offsets) -> "Snapshot":
        site = {name: 0 for name in FIGURES}
        site["total"] = offsets.total
        return cls(site, dict(offsets.paths))

    def with_offsets(self, offsets: Offsets) -> "Snapshot":
        """Carried-over counts are a floor: an old article never shows fewer views than it had."""
        views = dict(self.views)
        for path, count in offsets.paths.items():
            views[path] = max(views.get(path, 0), count)
        return Snapshot(dict(self.site), views, self.updated, self.popular)

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
            popular=_popular(data.get("popular", {})),
        )

    def to_json(self) -> dict:
        """The export format again (the kept copy of the last snapshot)."""
        return {
            "generated": self.updated.isoformat() if self.updated else None,
            "site": dict(self.site),
            "views": dict(sorted(self.views.items())),
            "popular": {period: [{"path": p, "views": n} for p, n in items]
                        for period, items in self.popular.items()},
        }

    def views_for(self, path: str) -> int:
        return self.views.get(path, 0)


def _popular(value) -> dict[str, list[tuple[str, int]]]:
    if not isinstance(value, dict):
        raise SnapshotError('trường "popular" phải là đối tượng {"week": [...], "month": [...]}')
    found = {}
    for period in PERIODS:
        items = value.get(period, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SnapshotError(f'trường "popular.{period}" phải là danh sách {{"path": ..., "views": ...}}')
        found[period] = [(_path(i.get("path"), f'"popular.{period}"'), _count(i.get("views"), f'trường "popular.{period}.views"'))
                         for i in items]
    return found


def _count(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SnapshotError(f"{where} phải là số nguyên không âm, đang là {value!r}")
    return value


def _path(value, where: str) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise SnapshotError(f"{where}: đường dẫn phải bắt đầu bằng '/', đang là {value!r}")
    return value
