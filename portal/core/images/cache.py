"""The derivative cache: entries keyed by the source's content hash and the settings.

Layout under the cache directory (``IMAGES_CACHE_DIR``, safe to keep between
CI runs)::

    sources.json              path -> [file identity, sha256]: skips re-hashing unchanged files
    ab/abcdef…/meta.json      one entry: the derivatives of one source for one kind
    ab/abcdef…/960.webp       …and the files themselves

An entry appears atomically (written aside, then renamed), so an interrupted
build never leaves a half entry that a later build would trust.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import asdict
from pathlib import Path

from PIL import __version__ as PILLOW_VERSION

from .pipeline import Derivative, Encoding, Kind

# Bump when the pipeline's output changes for the same settings.
PIPELINE_VERSION = 2
META = "meta.json"
INDEX = "sources.json"


def entry_key(content_hash: str, kind: Kind, encoding: Encoding) -> str:
    recipe = json.dumps([PIPELINE_VERSION, PILLOW_VERSION, asdict(kind), asdict(encoding)], sort_keys=True)
    return hashlib.sha256(f"{content_hash}\n{recipe}".encode()).hexdigest()[:32]


class ImageCache:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._index: dict[str, list] | None = None
        self._index_changed = False

    def entry_dir(self, key: str) -> Path:
        return self.root / key[:2] / key

    def scratch_dir(self, key: str) -> Path:
        """Where a worker writes an entry before :func:`commit` publishes it."""
        return self.root / "tmp" / f"{key}-{uuid.uuid4().hex[:8]}"

    def load(self, key: str) -> list[Derivative] | None:
        try:
            data = json.loads((self.entry_dir(key) / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return [Derivative(**item) for item in data["files"]]

    def content_hash(self, path: Path) -> str:
        """SHA-256 of the file, re-read unless the file is provably the one hashed last time.

        Not by size and modification time alone: a copy keeps the time (`cp -p`, rsync, an
        editor's tool) and can keep the size. The change time is set by the kernel on every
        write or rename and cannot be set back, and the inode changes when a file is replaced.
        """
        index = self._load_index()
        stat = path.stat()
        name = str(path)
        identity = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
        known = index.get(name)
        if known and known[:-1] == identity:
            return known[-1]
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        index[name] = [*identity, digest]
        self._index_changed = True
        return digest

    def save_index(self) -> None:
        if not self._index_changed:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f"{INDEX}.{uuid.uuid4().hex[:8]}"
        temporary.write_text(json.dumps(self._index, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, self.root / INDEX)
        self._index_changed = False

    def _load_index(self) -> dict[str, list]:
        if self._index is None:
            try:
                self._index = json.loads((self.root / INDEX).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._index = {}
        return self._index


def commit(scratch: Path, final: Path, files: list[Derivative]) -> None:
    """Publish a finished entry; a concurrent build that got there first wins."""
    (scratch / META).write_text(json.dumps({"files": [asdict(f) for f in files]}), encoding="utf-8")
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_dir() and not (final / META).is_file():
        shutil.rmtree(final)  # left by hand or by a crashed tool: never trusted
    try:
        os.rename(scratch, final)
    except OSError:
        if not (final / META).is_file():
            raise
        shutil.rmtree(scratch, ignore_errors=True)
