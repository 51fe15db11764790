"""Accounts, sessions and login throttling in one SQLite file in the data folder.

Passwords are argon2id hashes (argon2-cffi). Session ids are random tokens;
only their SHA-256 is stored, so a copy of the database opens no session. A
login always starts a new session (the pre-login one, which carried the login
form's CSRF token, is deleted): no session fixation.
"""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .roles import ROLES, User

Clock = Callable[[], datetime]
MIN_PASSWORD = 10
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, categories TEXT NOT NULL DEFAULT '',
    display TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL, changed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user TEXT, csrf TEXT NOT NULL, expires TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (kind TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (kind, key, at);
"""


class AccountError(ValueError):
    """Bad account input; the message is for people."""


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    token: str  # the cookie value (never stored)
    user: User | None
    csrf: str
    expires: datetime


class Accounts:
    def __init__(self, path: Path, clock: Clock = system_clock, session_hours: float = 12.0):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.clock = clock
        self.session_hours = session_hours
        self.hasher = PasswordHasher()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        try:
            path.chmod(0o600)
        except OSError:
            pass

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # Users --------------------------------------------------------------
    def set_user(self, name: str, role: str, password: str | None, categories: tuple[str, ...] = (),
                 display: str = "") -> bool:
        """Create or change an account; True when it was created. ``password`` None keeps the old one."""
        name = name.strip()
        if not name or not all(c.isalnum() or c in "._-" for c in name):
            raise AccountError("tên đăng nhập chỉ gồm chữ, số và . _ - (không dấu cách)")
        if role not in ROLES:
            raise AccountError(f"vai trò '{role}' không có; chỉ dùng: {', '.join(ROLES)}")
        existing = self._run("SELECT hash FROM users WHERE name = ?", (name,))
        if password is None:
            if not existing:
                raise AccountError("tài khoản mới cần mật khẩu")
            hashed = existing[0][0]
        else:
            check_password(password)
            hashed = self.hasher.hash(password)
        self._run(
            "INSERT INTO users (name, role, categories, display, hash, changed) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET role=excluded.role, categories=excluded.categories, "
            "display=excluded.display, hash=excluded.hash, changed=excluded.changed",
            (name, role, "\n".join(categories), display or name, hashed, self.clock().isoformat()),
        )
        if password is not None and existing:
            self._run("DELETE FROM sessions WHERE user = ?", (name,))  # a new password ends old sessions
        return not existing

    def user(self, name: str) -> User | None:
        rows = self._run("SELECT name, role, categories, display FROM users WHERE name = ?", (name,))
        if not rows:
            return None
        name, role, categories, display = rows[0]
        return User(name, role, tuple(c for c in categories.split("\n") if c), display)

    def users(self) -> list[User]:
        return [self.user(row[0]) for row in self._run("SELECT name FROM users ORDER BY name")]

    def verify(self, name: str, password: str) -> User | None:
        rows = self._run("SELECT hash FROM users WHERE name = ?", (name,))
        if not rows:
            # Same cost as a real check, so timing does not tell which accounts exist.
            try:
                self.hasher.verify(_DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                pass
            return None
        try:
            self.hasher.verify(rows[0][0], password)
        except (VerificationError, InvalidHashError):
            return None
        if self.hasher.check_needs_rehash(rows[0][0]):
            self._run("UPDATE users SET hash = ? WHERE name = ?", (self.hasher.hash(password), name))
        return self.user(name)

    def change_password(self, name: str, old: str, new: str) -> None:
        if self.verify(name, old) is None:
            raise AccountError("mật khẩu hiện tại không đúng")
        check_password(new)
        self._run("UPDATE users SET hash = ?, changed = ? WHERE name = ?",
                  (self.hasher.hash(new), self.clock().isoformat(), name))

    # Sessions -----------------------------------------------------------
    def new_session(self, user: User | None) -> Session:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        hours = self.session_hours if user else 2.0
        expires = self.clock() + timedelta(hours=hours)
        self._run("INSERT INTO sessions (id, user, csrf, expires) VALUES (?, ?, ?, ?)",
                  (_digest(token), user.name if user else None, csrf, expires.isoformat()))
        return Session(token, user, csrf, expires)

    def session(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        rows = self._run("SELECT user, csrf, expires FROM sessions WHERE id = ?", (_digest(token),))
        if not rows:
            return None
        name, csrf, expires = rows[0]
        expires_at = datetime.fromisoformat(expires)
        if expires_at <= self.clock():
            self.end_session(token)
            return None
        user = self.user(name) if name else None
        if name and user is None:  # account removed
            self.end_session(token)
            return None
        return Session(token, user, csrf, expires_at)

    def end_session(self, token: str) -> None:
        self._run("DELETE FROM sessions WHERE id = ?", (_digest(token),))

    def purge(self) -> None:
        now = self.clock().isoformat()
        self._run("DELETE FROM sessions WHERE expires <= ?", (now,))

    # Throttling ----------------------------------------------------------
    def failures(self, kind: str, key: str, window: timedelta) -> int:
        since = (self.clock() - window).isoformat()
        return self._run("SELECT COUNT(*) FROM failures WHERE kind = ? AND key = ? AND at > ?",
                         (kind, key, since))[0][0]

    def oldest_failure(self, kind: str, key: str, window: timedelta) -> datetime | None:
        since = (self.clock() - window).isoformat()
        rows = self._run("SELECT MIN(at) FROM failures WHERE kind = ? AND key = ? AND at > ?", (kind, key, since))
        return datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def record_failure(self, kind: str, key: str) -> None:
        self._run("INSERT INTO failures (kind, key, at) VALUES (?, ?, ?)", (kind, key, self.clock().isoformat()))

    def clear_failures(self, kind: str, key: str) -> None:
        self._run("DELETE FROM failures WHERE kind = ? AND key = ?", (kind, key))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")


_DUMMY_HASH = PasswordHasher().hash("mat-khau-khong-dung-de-do-thoi-gian")
