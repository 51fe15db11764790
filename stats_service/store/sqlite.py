"""SQLite backend: one WAL file, each batch of views one short transaction.

Calls run on the event loop thread: each is a few tens of microseconds, far
less than a thread hop. Run one service process per database file (several
instances belong on the Redis backend).
"""
from __future__ import annotations

import os
import sqlite3
import stat
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from ..privacy import SALT_LIFETIME_SECONDS, new_salt
from . import Raw, StoreUnavailable, View

SCHEMA = """
CREATE TABLE IF NOT EXISTS salts (day TEXT PRIMARY KEY, salt BLOB NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS seen (day TEXT NOT NULL, visitor TEXT NOT NULL, path TEXT NOT NULL,
    PRIMARY KEY (day, visitor, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS day_views (day TEXT PRIMARY KEY, views INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS path_views (path TEXT PRIMARY KEY, views INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS path_day_views (day TEXT NOT NULL, path TEXT NOT NULL, views INTEGER NOT NULL,
    PRIMARY KEY (day, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS online (visitor TEXT PRIMARY KEY, seen REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS online_seen ON online (seen);
"""


def _is_busy(exc: sqlite3.Error) -> bool:
    """Another writer holds the lock: the connection itself is fine."""
    return "locked" in str(exc) or "busy" in str(exc)


class SqliteStore:
    def __init__(self, path: Path, busy_timeout_ms: int = 200) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._db: sqlite3.Connection | None = None
        self._inode: tuple[int, int] | None = None

    # Connection -----------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._db is not None and not self._same_file():
            # The file (or its folder) was deleted or replaced while open: writes to the
            # old connection would land in an unlinked file and be lost after acknowledgement.
            self._reset()
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._side_files_writable()
                db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                db.execute("PRAGMA journal_mode = WAL")
                # WAL + NORMAL: a committed view survives a crash or restart of the
                # service; only a power cut can drop the last moments.
                db.execute("PRAGMA synchronous = NORMAL")
                db.executescript(SCHEMA)
                self._inode = self._identity()
            except (sqlite3.Error, OSError) as exc:
                self._reset()
                raise StoreUnavailable(str(exc)) from exc
            self._db = db
        return self._db

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def _same_file(self) -> bool:
        return self._inode is not None and self._identity() == self._inode

    def _side_files_writable(self) -> None:
        """SQLite creates -wal and -shm with the database file's permissions: made while the file was
        read-only, they stay read-only after it is fixed, and every write fails. Give them the owner's
        write permission back whenever the database itself is writable."""
        if not os.access(self.path, os.W_OK):
            return
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            try:
                if side.exists() and not side.stat().st_mode & stat.S_IWUSR:
                    side.chmod(side.stat().st_mode | stat.S_IWUSR | stat.S_IRUSR)
            except OSError:
                pass  # not ours to change: the write below reports it

    def _run(self, work):
        """Run work(db) in one transaction; a failure leaves nothing half-written."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result
        except sqlite3.Error as exc:
            if not _is_busy(exc):
                self._reset()  # read-only, replaced or damaged file: open it afresh next time
            raise StoreUnavailable(str(exc)) from exc

    def _read(self, sql: str, params=()) -> list:
        try:
            return self._connect().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            if not _is_busy(exc):
                self._reset()
            raise StoreUnavailable(str(exc)) from exc

    def _reset(self) -> None:
        self._inode = None
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            finally:
                self._db = None

    async def open(self) -> None:
        try:
            self._connect()
        except StoreUnavailable:
            pass  # answered with 503 until the file is usable

    async def close(self) -> None:
        self._reset()

    async def ping(self) -> None:
        """Healthy only when a view could be stored now: a write transaction is taken and rolled back."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            # A write that touches the file: a read-only database or side file fails here.
            db.execute("INSERT OR REPLACE INTO online VALUES ('', 0)")
            db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if not _is_busy(exc):
                self._reset()
            raise StoreUnavailable(str(exc)) from exc

    # Operations -------------------------------------------------------------
    async def salt(self, day: date, now: datetime) -> bytes:
        created = now.timestamp()

        def work(db):
            db.execute("INSERT OR IGNORE INTO salts VALUES (?, ?, ?)", (day.isoformat(), new_salt(), created))
            db.execute("DELETE FROM salts WHERE created < ?", (created - SALT_LIFETIME_SECONDS,))
            # Dedup rows of past days are no longer needed: drop them with the salt.
            db.execute("DELETE FROM seen WHERE day < ?", (day.isoformat(),))
            # "Đọc nhiều" looks 30 days back at most.
            db.execute("DELETE FROM path_day_views WHERE day < ?", ((day - timedelta(days=40)).isoformat(),))
            return db.execute("SELECT salt FROM salts WHERE day = ?", (day.isoformat(),)).fetchone()[0]

        return self._run(work)

    async def record_many(self, views: list[View], online_since: datetime) -> list[bool]:
        def work(db):
            fresh = [
                db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)",
                           (v.day.isoformat(), v.visitor, v.path)).rowcount == 1
                for v in views
            ]
            counted = [v for v, new in zip(views, fresh) if new]
            db.executemany(
                "INSERT INTO day_views VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET views = views + excluded.views",
                Counter(v.day.isoformat() for v in counted).items(),
            )
            db.executemany(
                "INSERT INTO path_views VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET views = views + excluded.views",
                Counter(v.path for v in counted).items(),
            )
            db.executemany(  # per day and path, for "Đọc nhiều" (counts only, no visitor)
                "INSERT INTO path_day_views VALUES (?, ?, ?) "
                "ON CONFLICT(day, path) DO UPDATE SET views = views + excluded.views",
                [(day, path, n) for (day, path), n in Counter((v.day.isoformat(), v.path) for v in counted).items()],
            )
            db.executemany(
                "INSERT INTO online VALUES (?, ?) ON CONFLICT(visitor) DO UPDATE SET seen = max(seen, excluded.seen)",
                [(v.visitor, v.at.timestamp()) for v in views],
            )
            db.execute("DELETE FROM online WHERE seen < ?", (online_since.timestamp(),))
            return fresh

        return self._run(work)

    async def site(self, today, week, month, online_since) -> Raw:
        (online,), = self._read("SELECT count(*) FROM online WHERE seen >= ?", (online_since.timestamp(),))

        def between(first: date, last: date) -> int:
            rows = self._read(
                "SELECT coalesce(sum(views), 0) FROM day_views WHERE day BETWEEN ? AND ?",
                (first.isoformat(), last.isoformat()),
            )
            return rows[0][0]

        (total,), = self._read("SELECT coalesce(sum(views), 0) FROM day_views")
        return Raw(online, between(today, today), between(*week), between(*month), total)

    async def path_views(self, paths: list[str]) -> dict[str, int]:
        marks = ",".join("?" * len(paths))
        found = dict(self._read(f"SELECT path, views FROM path_views WHERE path IN ({marks})", paths))
        return {p: found.get(p, 0) for p in paths}

    async def all_path_views(self) -> dict[str, int]:
        return dict(self._read("SELECT path, views FROM path_views ORDER BY path"))

    async def views_between(self, first: date, last: date) -> dict[str, int]:
        return dict(self._read(
            "SELECT path, sum(views) FROM path_day_views WHERE day BETWEEN ? AND ? GROUP BY path",
            (first.isoformat(), last.isoformat()),
        ))
