"""Who may do what, per role and category: set by `quan-tri` in the newsroom, kept in the workflow database.

Every route asks ``Rights.allowed(user, action, category)``; an action that is
not allowed is a 403 and changes nothing. `quan-tri` may always do everything
(so nobody can lock the newsroom out of its own settings). A user's own
categories (set with the account) narrow a role's rights further, except
writing a new draft.
"""
from __future__ import annotations

import json

from .flowdb import FlowDB
from .roles import ADMIN, EDITOR, REPORTER, ROLES, User
from .web import Forbidden

ACTIONS = {
    "write": "Viết bài mới; sửa bài của mình khi còn nháp hoặc bị trả lại",
    "submit": "Gửi duyệt bài của mình",
    "edit": "Sửa bài của người khác (chưa đăng)",
    "edit_published": "Sửa bài đã đăng",
    "return": "Trả lại (kèm lý do)",
    "approve": "Duyệt",
    "schedule": "Hẹn giờ đăng",
    "publish": "Đăng bài",
    "unpublish": "Gỡ bài",
    "accounts": "Quản trị tài khoản và phân quyền",
}
DEFAULTS: dict[str, set[str]] = {
    REPORTER: {"write", "submit"},
    EDITOR: {"write", "submit", "edit", "edit_published", "return", "approve", "schedule", "publish", "unpublish"},
    ADMIN: set(ACTIONS),
}
RANK = {REPORTER: 1, EDITOR: 2, ADMIN: 3}
UNRESTRICTED = {"write", "accounts"}  # not tied to a category


class Rights:
    def __init__(self, db: FlowDB):
        self.db = db

    def table(self) -> dict[str, tuple[set[str], tuple[str, ...]]]:
        """Role -> (actions, categories it may act in; empty: all)."""
        found = {role: (set(actions), ()) for role, actions in DEFAULTS.items()}
        for role, actions, categories in self.db.run("SELECT role, actions, categories FROM rights"):
            if role in found and role != ADMIN:
                found[role] = ({a for a in json.loads(actions) if a in ACTIONS}, tuple(json.loads(categories)))
        return found

    def set(self, role: str, actions: set[str], categories: list[str]) -> None:
        if role not in ROLES or role == ADMIN:
            raise ValueError(role)
        self.db.run("INSERT OR REPLACE INTO rights (role, actions, categories) VALUES (?, ?, ?)",
                    (role, json.dumps(sorted(actions & set(ACTIONS))), json.dumps(sorted(set(categories)))))

    def allowed(self, user: User, action: str, category: str | None = None) -> bool:
        if user.role == ADMIN:
            return True
        actions, categories = self.table().get(user.role, (set(), ()))
        if action not in actions:
            return False
        if category is None or action in UNRESTRICTED:
            return True
        if categories and category not in categories:
            return False
        return not user.categories or category in user.categories

    def require(self, user: User, action: str, category: str | None = None) -> None:
        if not self.allowed(user, action, category):
            where = f" trong chuyên mục '{category}'" if category and action not in UNRESTRICTED else ""
            raise Forbidden(f"Tài khoản '{user.name}' ({ROLES.get(user.role, user.role)}) không có quyền "
                            f"'{ACTIONS.get(action, action)}'{where}.")


def outranks(user: User, holder_role: str) -> bool:
    return RANK.get(user.role, 0) > RANK.get(holder_role, 0)
