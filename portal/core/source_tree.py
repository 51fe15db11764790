"""What a source folder holds, and which of its files changed since a build last looked.

A record names every file and link under the folder with its stat (inode,
size, modification and change times) and the SHA-256 of its bytes. Looking
again hashes only the files whose stat moved: an unchanged stat keeps the
recorded digest, a changed one is decided by the bytes (a save that writes the
same text is no change). The change time cannot be set back by a copy that
keeps the modification time (``cp -p``, an unpacked archive), so a file whose
stat is the recorded one has the recorded bytes — except a write in the same
clock tick as the look that recorded it: git calls such entries "racily
clean" and so does this module, hashing them again (``RACY_SECONDS``). A
checkout that rewrites every file moves every stat: everything is hashed, and
only the files whose bytes differ count as changed.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from typing import Iterator

# A file changed this close to the moment it was recorded may have kept the recorded times.
RACY_SECONDS = 2.0


@dataclass
class Look:
    record: dict[str, list]  # relative path -> [kind, inode, size, mtime_ns, ctime_ns, digest]
    taken_at: float  # time.time() when the folder was walked
    changed: set[str]  # added, removed or changed since the record looked at (every path: no record)


def look(root: str | os.PathLike, previous: dict[str, list] | None = None, previous_at: float = 0.0) -> Look:
    """Walk ``root`` (links are recorded, never followed) and compare with ``previous``."""
    taken_at = time.time()
    previous = previous or {}
    racy_after = int((previous_at - RACY_SECONDS) * 1e9)
    record: dict[str, list] = {}
    for relative, entry in _walk(os.fspath(root), ""):
        try:
            record[relative] = _entry(entry, previous.get(relative), racy_after)
        except OSError:
            continue  # removed while walking: it is not there
    changed = {path for path, entry in record.items() if _content(previous.get(path)) != _content(entry)}
    changed |= previous.keys() - record.keys()
    return Look(record, taken_at, changed)


def files_of(root: str | os.PathLike, skipped: str = "") -> dict[str, list]:
    """Every file and link under ``root`` (a built output) by inode, size and modification time, the
    folder ``skipped`` names aside: what the page memo trusts a page by, for every file."""
    found: dict[str, list] = {}
    for relative, entry in _walk(os.fspath(root), "", skipped):
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        found[relative] = [stat.st_ino, stat.st_size, stat.st_mtime_ns]
    return found


def _walk(folder: str, prefix: str, skipped: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """Every file and link under ``folder`` with its path relative to the walk's root; a link to a
    folder is a link, never followed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        relative = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if relative != skipped:
                yield from _walk(entry.path, relative + "/")
        else:
            yield relative, entry


def _entry(entry: os.DirEntry, before: list | None, racy_after: int) -> list:
    found = entry.stat(follow_symlinks=False)
    stat = [found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]
    if entry.is_symlink():
        return ["link", *stat, os.readlink(entry.path)]
    stat = ["file", *stat]
    if before is not None and before[:5] == stat and found.st_ctime_ns < racy_after:
        return stat + [before[5]]
    with open(entry.path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return stat + [digest]


def _content(entry: list | None) -> tuple | None:
    return None if entry is None else (entry[0], entry[5])
