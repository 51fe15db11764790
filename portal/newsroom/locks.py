"""One editor at a time per article.

Opening an article to edit takes its lock; the page's script renews it every
30 seconds (heartbeat) and releases it when the page is left (sendBeacon);
saving releases it too. A lock nobody renewed for ``IDLE`` is free again. A
user of a higher role may take a lock over; the previous editor is told on
their next heartbeat, and their unsaved text is kept in the autosave store.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .flowdb import FlowDB
from .rights import outranks
from .roles import User

IDLE = timedelta(minutes=5)


@dataclass(frozen=True)
class Lock:
    rel: str
    user: str
    shown: str
    role: str
    since: datetime
    seen: datetime

    def notice(self) -> str:
        return f"Bài này đang được {self.shown} sửa từ {self.since:%H:%M}."


class Locks:
    def __init__(self, db: FlowDB, idle: timedelta = IDLE):
        self.db, self.idle = db, idle

    def _holder(self, run, rel: str, now: datetime) -> Lock | None:
        rows = run("SELECT rel, user, shown, role, since, seen FROM locks WHERE rel = ?", (rel,))
        if not rows:
            return None
        lock = Lock(*rows[0][:4], datetime.fromisoformat(rows[0][4]), datetime.fromisoformat(rows[0][5]))
        if now - lock.seen > self.idle:
            run("DELETE FROM locks WHERE rel = ?", (rel,))
            return None
        return lock

    def holder(self, rel: str, now: datetime) -> Lock | None:
        return self.db.atomically(lambda run: self._holder(run, rel, now))

    def acquire(self, user: User, rel: str, now: datetime, take_over: bool = False) -> tuple[Lock, Lock | None]:
        """(the lock now, the other user's lock that stands in the way or was taken over)."""
        def work(run):
            lock = self._holder(run, rel, now)
            if lock is not None and lock.user != user.name:
                if not (take_over and outranks(user, lock.role)):
                    return lock, lock
                run("INSERT OR REPLACE INTO taken (rel, user, by_shown, at) VALUES (?,?,?,?)",
                    (rel, lock.user, user.shown, now.isoformat()))
                previous = lock
            else:
                previous = None
            since = lock.since if lock is not None and lock.user == user.name else now
            run("INSERT OR REPLACE INTO locks (rel, user, shown, role, since, seen) VALUES (?,?,?,?,?,?)",
                (rel, user.name, user.shown, user.role, since.isoformat(), now.isoformat()))
            run("DELETE FROM taken WHERE rel = ? AND user = ?", (rel, user.name))
            return Lock(rel, user.name, user.shown, user.role, since, now), previous
        return self.db.atomically(work)

    def heartbeat(self, user: User, rel: str, now: datetime) -> Lock | None:
        """Renew this user's lock; None when someone else holds it now (taken over, or lost while idle)."""
        def work(run):
            if run("SELECT 1 FROM taken WHERE rel = ? AND user = ?", (rel, user.name)):
                return None
            lock = self._holder(run, rel, now)
            if lock is None:
                run("INSERT INTO locks (rel, user, shown, role, since, seen) VALUES (?,?,?,?,?,?)",
                    (rel, user.name, user.shown, user.role, now.isoformat(), now.isoformat()))
                return Lock(rel, user.name, user.shown, user.role, now, now)
            if lock.user != user.name:
                return None
            run("UPDATE locks SET seen = ? WHERE rel = ?", (now.isoformat(), rel))
            return lock
        return self.db.atomically(work)

    def taken_from(self, user: User, rel: str) -> str | None:
        """Who took this user's lock over, if someone did since they last held it."""
        rows = self.db.run("SELECT by_shown FROM taken WHERE rel = ? AND user = ?", (rel, user.name))
        return rows[0][0] if rows else None

    def release(self, user: User, rel: str) -> None:
        self.db.run("DELETE FROM locks WHERE rel = ? AND user = ?", (rel, user.name))

    def blocking(self, user: User, rel: str, now: datetime) -> Lock | None:
        """Another user's live lock on ``rel`` (a save by ``user`` is refused while it stands)."""
        lock = self.holder(rel, now)
        return lock if lock is not None and lock.user != user.name else None
