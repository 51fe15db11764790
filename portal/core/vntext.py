"""Vietnamese dates and numbers, formatted by hand (no system locale needed).

Filters: ``vn_date`` ("Thứ Sáu, 29/12/2023"), ``vn_datetime``
("Thứ Sáu, 29/12/2023 | 19:17"), ``vn_number`` ("15.527"), ``iso_datetime``
("2023-12-29T19:17:00+07:00"), ``vn_month`` ("Tháng 12/2023").
"""
from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vn_weekday(value: date) -> str:
    return WEEKDAYS[value.weekday()]


def vn_date(value: date) -> str:
    return f"{vn_weekday(value)}, {value:%d/%m/%Y}"


def vn_datetime(value: datetime) -> str:
    return f"{vn_date(value)} | {value:%H:%M}"


def vn_short_date(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def vn_month(value: date | tuple[int, int]) -> str:
    year, month = (value.year, value.month) if isinstance(value, date) else value
    return f"Tháng {month}/{year}"


def vn_number(value: int | float) -> str:
    """Vietnamese digit grouping: 93308 -> "93.308"."""
    return f"{int(value):,}".replace(",", ".")


def iso_datetime(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


FILTERS = {
    "vn_date": vn_date,
    "vn_datetime": vn_datetime,
    "vn_short_date": vn_short_date,
    "vn_month": vn_month,
    "vn_weekday": vn_weekday,
    "vn_number": vn_number,
    "iso_datetime": iso_datetime,
}
