"""The workflow's SQLite file in the data folder (rights, locks, audit): one connection, one lock."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS rights (role TEXT PRIMARY KEY, actions TEXT NOT NULL, categories TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS locks (
    rel TEXT PRIMARY KEY, user TEXT NOT NULL, shown TEXT NOT NULL, role TEXT NOT NULL,
    since TEXT NOT NULL, seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS taken (rel TEXT NOT NULL, user TEXT NOT NULL, by_shown TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (rel, user));
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL, shown TEXT NOT NULL,
    action TEXT NOT NULL, rel TEXT NOT NULL, title TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',
    commit_id TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS audit_rel ON audit (rel, id);
"""


class FlowDB:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def atomically(self, work):
        """``work(execute)`` inside one transaction (a lock taken or refused as a whole)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(lambda sql, args=(): self._db.execute(sql, args).fetchall())
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result
