"""Who submitted, returned, approved, scheduled, published, unpublished or restored what, and when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .flowdb import FlowDB
from .roles import User

VERBS = {
    "submit": "Gửi duyệt", "return": "Trả lại", "approve": "Duyệt", "schedule": "Hẹn giờ đăng",
    "publish": "Đăng bài", "unpublish": "Gỡ bài", "restore": "Khôi phục phiên bản", "takeover": "Nhận quyền sửa",
    "due": "Tự dựng trang (đến giờ đăng hoặc hết hạn)", "rights": "Đổi phân quyền",
}


@dataclass(frozen=True)
class Event:
    at: datetime
    user: str
    shown: str
    action: str
    rel: str
    title: str
    detail: str
    commit: str

    @property
    def verb(self) -> str:
        return VERBS.get(self.action, self.action)


class Audit:
    def __init__(self, db: FlowDB):
        self.db = db

    def record(self, at: datetime, user: User | None, action: str, rel: str, title: str, detail: str = "",
               commit: str | None = None) -> None:
        self.db.run("INSERT INTO audit (at, user, shown, action, rel, title, detail, commit_id) VALUES (?,?,?,?,?,?,?,?)",
                    (at.isoformat(), user.name if user else "", user.shown if user else "Phòng biên tập", action, rel,
                     title, detail, commit or ""))

    def _events(self, rows) -> list[Event]:
        return [Event(datetime.fromisoformat(r[0]), *r[1:]) for r in rows]

    def recent(self, limit: int = 200, action: str = "") -> list[Event]:
        where, args = ("WHERE action = ?", (action,)) if action else ("", ())
        return self._events(self.db.run(
            f"SELECT at, user, shown, action, rel, title, detail, commit_id FROM audit {where} ORDER BY id DESC LIMIT ?",
            (*args, limit)))

    def for_article(self, rel: str) -> list[Event]:
        return self._events(self.db.run(
            "SELECT at, user, shown, action, rel, title, detail, commit_id FROM audit WHERE rel = ? ORDER BY id DESC", (rel,)))
