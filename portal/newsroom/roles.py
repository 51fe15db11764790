"""Roles and what each may do, checked on the server for every action.

Issue 14 (review, scheduling) adds actions and statuses here: every route asks
``allowed(user, action, category)`` and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal.core import workflow

REPORTER, EDITOR, ADMIN = "phong-vien", "bien-tap", "quan-tri"
ROLES = {REPORTER: "Phóng viên", EDITOR: "Biên tập viên", ADMIN: "Quản trị"}

# Actions: write (create and edit drafts), edit_published, publish, unpublish, accounts.
RIGHTS = {
    REPORTER: {"write"},
    EDITOR: {"write", "edit_published", "publish", "unpublish"},
    ADMIN: {"write", "edit_published", "publish", "unpublish", "accounts"},
}

# Statuses kept in the article header (portal.core.workflow), with the words the newsroom shows.
STATUS_LABELS = workflow.LABELS


@dataclass(frozen=True)
class User:
    name: str
    role: str
    categories: tuple[str, ...] = ()  # empty: every category (bien-tap only)
    display: str = ""

    @property
    def shown(self) -> str:
        return self.display or self.name


def allowed(user: User, action: str, category: str | None = None) -> bool:
    if action not in RIGHTS.get(user.role, set()):
        return False
    if user.role == EDITOR and user.categories and category is not None and action != "write":
        return category in user.categories
    return True
