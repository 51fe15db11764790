"""The "Xem tin theo ngày" month calendar: plain links, no JavaScript.

A day shows whether it has news, not how many: the latest month's box is on every listing page
(4.800 of them at 10.000 articles), so a count there would make each new article of the day
change, and upload again, all of those pages; a day with news is linked once, by its first
article."""
from __future__ import annotations

import calendar as _calendar
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

Month = tuple[int, int]


@dataclass(frozen=True)
class Day:
    day: date
    url: str | None  # day archive when that day has news


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    weeks: list[list[Day | None]]  # Monday first, None outside the month
    url: str | None
    previous: Month | None
    previous_url: str | None
    next: Month | None
    next_url: str | None


class NewsCalendar:
    """Month grids linking every day that has news, built once per month."""

    def __init__(
        self,
        days_with_news: Iterable[date],
        day_url: Callable[[date], str],
        month_url: Callable[[date], str],
    ):
        self._days = frozenset(days_with_news)
        self._day_url = day_url
        self._month_url = month_url
        self._months: list[Month] = sorted({(d.year, d.month) for d in self._days})
        self._views: dict[Month, MonthView] = {}

    def month(self, year: int, month: int) -> MonthView:
        key = (year, month)
        if key not in self._views:
            self._views[key] = self._build(year, month)
        return self._views[key]

    def latest(self) -> MonthView | None:
        return self.month(*self._months[-1]) if self._months else None

    def for_page(self, article=None, period: tuple | None = None) -> MonthView | None:
        """The month a page is about: its article's, its archive's, else the latest."""
        if article is not None:
            return self.month(article.date.year, article.date.month)
        if period:
            if len(period) >= 2:
                return self.month(period[0], period[1])
            in_year = [m for m in self._months if m[0] == period[0]]
            if in_year:
                return self.month(*in_year[-1])
        return self.latest()

    def memo_key(self, context: dict) -> MonthView | None:
        """What one page shows of the calendar (the build's page memo keys pages by it), so a new
        article changes only the pages of its own month, not every page of the site."""
        return self.for_page(article=context.get("article"), period=context.get("period_num"))

    def _build(self, year: int, month: int) -> MonthView:
        weeks = []
        for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[Day | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                row.append(Day(day, self._day_url(day) if day in self._days else None))
            weeks.append(row)
        position = bisect_left(self._months, (year, month))
        has_news = position < len(self._months) and self._months[position] == (year, month)
        previous = self._months[position - 1] if position > 0 else None
        following_index = position + 1 if has_news else position
        following = self._months[following_index] if following_index < len(self._months) else None
        return MonthView(
            year=year,
            month=month,
            weeks=weeks,
            url=self._month_url(date(year, month, 1)) if has_news else None,
            previous=previous,
            previous_url=self._month_url(date(*previous, 1)) if previous else None,
            next=following,
            next_url=self._month_url(date(*following, 1)) if following else None,
        )
