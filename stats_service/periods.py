"""Calendar periods in the site's time zone: day, ISO week, month."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Periods:
    """The local calendar periods that contain one instant."""

    today: date
    week: tuple[date, date]  # Monday .. Sunday
    month: tuple[date, date]  # 1st .. last day

    @classmethod
    def at(cls, now: datetime, zone: ZoneInfo) -> "Periods":
        today = now.astimezone(zone).date()
        monday = today - timedelta(days=today.weekday())
        last = calendar.monthrange(today.year, today.month)[1]
        return cls(
            today=today,
            week=(monday, monday + timedelta(days=6)),
            month=(today.replace(day=1), today.replace(day=last)),
        )


def recent(today: date, count: int) -> tuple[date, date]:
    """The last ``count`` local days, today included (the "Đọc nhiều" windows)."""
    return today - timedelta(days=count - 1), today


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
