"""Readings of source files kept between builds, keyed by content hash.

A reading (the HTML of the body, the header values and every problem found)
depends only on the file's bytes, its path, the settings and the code; the key
is the SHA-256 of those, so a rebuild converts only the files whose bytes
changed. The bytes' own digest is the one the build's look at the content
folder found (``trust_look``) while the file's stat is still the one it
recorded (the read-ahead and the reader each read and hashed every file again:
at 10.000 files ~0,6 s from the page cache, ~5 s from this machine's disk).
One SQLite file holds the entries of one environment (settings and
code digest); when the environment changes, or the file cannot be read, it is
emptied and filled again: a cache that cannot be trusted is never used.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from portal.core import source_tree

log = logging.getLogger("portal.cache")
SCHEMA = 1


class ReadCache:
    def __init__(self, file: Path | None, environment: str):
        self.environment = environment
        self.hits = self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}
        self._ahead: set[str] = set()  # converted by this build before it read them (read_ahead)
        if file is not None:
            self._open(Path(file))

    def _open(self, file: Path) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            try:
                # Autocommit: reading holds no lock (a forked worker or a second build never waits on
                # it); what was read is written in one short transaction by close().
                db = sqlite3.connect(file, isolation_level=None, timeout=60)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS readings (key TEXT PRIMARY KEY, value BLOB)")
                row = db.execute("SELECT value FROM meta WHERE name = 'environment'").fetchone()
                if row is None or row[0] != f"{SCHEMA}:{self.environment}":
                    db.execute("DELETE FROM readings")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('environment', ?)",
                               (f"{SCHEMA}:{self.environment}",))
                self._db = db
                return
            except sqlite3.DatabaseError as error:
                log.warning("bộ nhớ đệm %s không đọc được (%s): tạo lại", file, error)
                for leftover in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
                    leftover.unlink(missing_ok=True)

    @staticmethod
    def file_key(path: str, *parts: str) -> str:
        """The key of the file at ``path`` as ``parts`` (its address, the folder it is built from) read it."""
        hasher = hashlib.sha256(source_digest(path).encode("ascii"))
        for part in parts:
            hasher.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()

    def get(self, key: str) -> Any | None:
        if self._db is None:
            return None
        data = self._new.get(key)
        if data is None:
            row = self._db.execute("SELECT value FROM readings WHERE key = ?", (key,)).fetchone()
            data = row[0] if row is not None else None
        if data is not None:
            try:
                value = pickle.loads(data)
            except Exception:  # written by other code, or damaged: read the file again
                value = None
            if value is not None:
                if key in self._ahead:
                    self.misses += 1  # converted by this build all the same
                else:
                    self.hits += 1
                self._used.add(key)
                return value
        self.misses += 1
        return None

    def missing(self, keys: list[str]) -> list[str]:
        """The keys of ``keys`` that have no reading yet, in their order."""
        if self._db is None:
            return []
        kept = {row[0] for row in self._db.execute("SELECT key FROM readings")}
        return [key for key in keys if key not in kept and key not in self._new]

    @property
    def converted_ahead(self) -> int:
        return len(self._ahead)

    def put_converted(self, key: str, data: bytes) -> None:
        """A reading converted ahead of the build, already pickled (by a worker process)."""
        if self._db is None:
            return
        self._new[key] = data
        self._ahead.add(key)

    def put(self, key: str, value: Any) -> None:
        if self._db is None:
            return
        self._new[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._used.add(key)

    def close(self, keep_unused: bool = False) -> None:
        """Commit; entries this build did not use are dropped unless ``keep_unused``."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO readings VALUES (?, ?)", self._new.items())
            if not keep_unused:
                self._db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self._used))
                self._db.execute("DELETE FROM readings WHERE key NOT IN (SELECT key FROM used)")
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as error:  # the next build reads those files again
            log.warning("không ghi được bộ nhớ đệm (%s)", error)
        finally:
            self._db.close()
            self._db = None
            self._new.clear()
            self._ahead.clear()


# The content folder as the build in progress looked at it: absolute path -> (stat, SHA-256).
_looked: dict[str, tuple[tuple[int, int, int, int], str]] = {}


def trust_look(root: str | None, look: source_tree.Look | None) -> None:
    """Take the digests ``look`` found under the folder ``root`` for the files whose stat has not
    moved since; ``None`` forgets them. A file changed just before the look may change again within
    the same clock tick without moving its stat ("racily clean"): its bytes are read again."""
    global _looked
    _looked = {}
    if root is None or look is None:
        return
    racy_after = int((look.taken_at - source_tree.RACY_SECONDS) * 1e9)
    for name, entry in look.record.items():
        if entry[0] == "file" and entry[4] < racy_after:
            _looked[os.path.abspath(os.path.join(root, name))] = (tuple(entry[1:5]), entry[5])


def source_digest(path: str) -> str:
    """The SHA-256 of the file's bytes: the look's, while the file keeps the stat it had then (the
    look's own rule, source_tree.py), or read now."""
    known = _looked.get(os.path.abspath(path))
    if known is not None:
        try:
            found = os.stat(path)
        except OSError:
            found = None
        if found is not None and (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns) == known[0]:
            return known[1]
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# The cache of the build in progress, set by the build's adapter, read by the reader.
_active: ReadCache | None = None


def activate(cache: ReadCache | None) -> None:
    global _active
    _active = cache


def active() -> ReadCache | None:
    return _active
