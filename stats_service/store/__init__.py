"""One interface, two backends: SQLite (default, one file) and Redis (shared)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


class StoreUnavailable(Exception):
    """The store cannot be reached or written right now (answered with 503)."""


@dataclass(frozen=True)
class View:
    visitor: str
    path: str
    day: date
    at: datetime


@dataclass(frozen=True)
class Raw:
    """Counts as stored, before offsets."""

    online: int
    today: int
    week: int
    month: int
    total: int


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def ping(self) -> None: ...

    async def salt(self, day: date, now: datetime) -> bytes:
        """The salt of a local day, created once; salts older than 48 h are deleted."""

    async def record_many(self, views: list[View], online_since: datetime) -> list[bool]:
        """Count each view once per visitor, path and day (all or none); True where new."""

    async def site(self, today: date, week: tuple[date, date], month: tuple[date, date], online_since: datetime) -> Raw: ...

    async def path_views(self, paths: list[str]) -> dict[str, int]: ...

    async def all_path_views(self) -> dict[str, int]: ...

    async def views_between(self, first: date, last: date) -> dict[str, int]:
        """Visits of each path on the local days first..last (only paths seen then)."""


def make_store(settings) -> Store:
    if settings.backend == "redis":
        from .redis import RedisStore

        return RedisStore(settings.redis_url, settings.redis_prefix)
    from .sqlite import SqliteStore

    return SqliteStore(settings.db)
