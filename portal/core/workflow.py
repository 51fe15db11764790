"""Editorial statuses kept in an article's header, and what a build makes public.

An article's `Status:` is one of the newsroom's statuses (Vietnamese, as the
offices use them) or the older `draft`/`published`. Only a build decides what
is public, from the status, `Date` and `Expires` at the moment it runs:

| Status        | public?                                          |
|---------------|--------------------------------------------------|
| Nháp          | no (the preview shows it, marked)                 |
| Chờ duyệt     | no                                               |
| Trả lại       | no (`Reason:` says why)                          |
| Đã duyệt      | no: approved, waiting for `Đăng bài` or a time   |
| Hẹn giờ đăng  | from `Date` on                                   |
| Đã đăng       | yes (a `Date` in the future is an error)         |
| Gỡ xuống      | no: taken down                                   |
| Hết hạn       | no longer listed (see `Expires`)                  |

A public article whose `Expires` time has passed is expired: it leaves
listings, feeds, search and the sitemap, and its page either stays with a
notice or goes (``CONTENT_SCHEMA_EXPIRED``).
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime

DRAFT, PENDING, RETURNED, APPROVED = "nhap", "cho-duyet", "tra-lai", "da-duyet"
SCHEDULED, PUBLISHED, WITHDRAWN, EXPIRED = "hen-gio-dang", "da-dang", "go-xuong", "het-han"

LABELS = {
    DRAFT: "Nháp",
    PENDING: "Chờ duyệt",
    RETURNED: "Trả lại",
    APPROVED: "Đã duyệt",
    SCHEDULED: "Hẹn giờ đăng",
    PUBLISHED: "Đã đăng",
    WITHDRAWN: "Gỡ xuống",
    EXPIRED: "Hết hạn",
}
# The spellings an editor may write; the older English words keep working.
SPELLINGS = {unicodedata.normalize("NFC", label).casefold(): key for key, label in LABELS.items()}
SPELLINGS.update({"draft": DRAFT, "published": PUBLISHED})
NOT_PUBLIC = {DRAFT, PENDING, RETURNED, APPROVED, WITHDRAWN}

# What Pelican is told: "published" articles are listed, "hidden" ones are
# written but never listed (an expired article's page with its notice), and
# "draft" ones are written only by the preview.
PELICAN_PUBLISHED, PELICAN_HIDDEN, PELICAN_DRAFT = "published", "hidden", "draft"


class StatusError(ValueError):
    """A Status value that is not one of the statuses; the message is for editors."""


def parse_status(value: str) -> str:
    word = " ".join(unicodedata.normalize("NFC", value).split()).casefold()
    if word not in SPELLINGS:
        raise StatusError(
            f"'{value.strip()}' không hợp lệ; dùng một trong: {', '.join(LABELS.values())} "
            "(hoặc draft, published)"
        )
    return SPELLINGS[word]


@dataclass(frozen=True)
class Visibility:
    pelican_status: str
    expired: bool = False
    scheduled: bool = False  # waiting for its time


def visibility(status: str, date: datetime | None, expires: datetime | None, now: datetime,
               expired_pages: str = "notice") -> Visibility:
    """What a build at ``now`` does with an article (all datetimes in the same time zone)."""
    if status in NOT_PUBLIC:
        return Visibility(PELICAN_DRAFT)
    if status == SCHEDULED and date is not None and date > now:
        return Visibility(PELICAN_DRAFT, scheduled=True)
    if status == EXPIRED or (expires is not None and expires <= now):
        return Visibility(PELICAN_HIDDEN if expired_pages == "notice" else PELICAN_DRAFT, expired=True)
    return Visibility(PELICAN_PUBLISHED)


def due_times(status: str, date: datetime | None, expires: datetime | None) -> list[datetime]:
    """The moments at which this article's visibility changes by itself (for the publishing timer)."""
    times = []
    if status == SCHEDULED and date is not None:
        times.append(date)
    if status not in NOT_PUBLIC and expires is not None:
        times.append(expires)
    return times


def current_time(zone) -> datetime:
    """Now, in ``zone``; ``PORTAL_CLOCK`` (an ISO time) moves the clock for tests and rehearsals."""
    moved = os.environ.get("PORTAL_CLOCK")
    if moved:
        return datetime.fromisoformat(moved).astimezone(zone)
    return datetime.now(zone)


def future_message(date: datetime) -> str:
    return (f"trường 'Date': {date:%Y-%m-%d %H:%M} ở tương lai; bài đã đăng không được đề ngày tương lai. "
            "Sửa ngày; hoặc đặt 'Status: Hẹn giờ đăng' để bài tự lên trang vào giờ đó, "
            "hoặc 'Status: Nháp' nếu chưa muốn đăng")


def scheduled_message(date: datetime) -> str:
    return (f"bài hẹn giờ đăng lúc {date:%H:%M ngày %d/%m/%Y}; bài tự lên trang ở lần dựng trang "
            "đầu tiên sau giờ đó")


def expired_message(expires: datetime | None, page_kept: bool) -> str:
    when = f" từ {expires:%H:%M ngày %d/%m/%Y}" if expires else ""
    gone = "trang bài vẫn còn, kèm thông báo hết hạn" if page_kept else "trang bài đã được gỡ"
    return f"bài đã hết hạn{when}: không còn trong danh sách tin, tin mới, tìm kiếm và sơ đồ trang; {gone}"


def expiry_message(expires: datetime, date: datetime) -> str:
    return (f"trường 'Expires': {expires:%Y-%m-%d %H:%M} không sau ngày đăng {date:%Y-%m-%d %H:%M}; "
            "ngày hết hạn phải sau ngày đăng")
