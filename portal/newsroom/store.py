"""Files in the content repository: safe paths, atomic writes, git commits, autosaved drafts."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path

from .roles import User


class PathRefused(ValueError):
    """A path-like parameter that would leave the content folder."""


class GitError(RuntimeError):
    pass


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inside(root: Path, relative: str, suffixes: tuple[str, ...] = (".md",)) -> Path:
    """``root/relative`` if it stays inside ``root`` and has an allowed suffix; PathRefused otherwise."""
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        raise PathRefused(relative)
    parts = Path(relative).parts
    if any(part in ("..", ".") or part.startswith(".") for part in parts):
        raise PathRefused(relative)
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()) or candidate.suffix.lower() not in suffixes:
        raise PathRefused(relative)
    return candidate


def write_atomic(path: Path, data: bytes) -> None:
    """The file appears whole or not at all: written aside in the same folder, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Repository:
    """git through subprocess; one commit at a time."""

    def __init__(self, root: Path):
        self.root = root
        self.enabled = (root / ".git").exists()
        self._lock = threading.Lock()

    def git(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True,
                                env={**os.environ, **(env or {})}, timeout=120)
        if result.returncode != 0:
            raise GitError(result.stderr.strip() or result.stdout.strip())
        return result.stdout

    def commit(self, paths: list[Path], message: str, user: User) -> str | None:
        """Commit exactly ``paths`` (other changes in the checkout are left alone); the commit id."""
        if not self.enabled:
            return None
        email = f"{user.name}@phong-bien-tap.invalid"
        env = {"GIT_AUTHOR_NAME": user.shown, "GIT_AUTHOR_EMAIL": email,
               "GIT_COMMITTER_NAME": "Phòng biên tập", "GIT_COMMITTER_EMAIL": "phong-bien-tap@localhost"}
        names = [str(p.relative_to(self.root)) for p in paths]
        with self._lock:
            self.git("add", "--", *names)
            if not self.git("diff", "--cached", "--name-only", "--", *names).strip():
                return None
            self.git("commit", "-q", "-m", message, "--only", "--", *names, env=env)
            return self.git("rev-parse", "HEAD").strip()

    def untracked(self, paths: list[Path]) -> list[Path]:
        if not self.enabled or not paths:
            return []
        names = [str(p.relative_to(self.root)) for p in paths]
        out = self.git("ls-files", "--others", "--exclude-standard", "--", *names)
        return [self.root / line for line in out.splitlines() if line]


class Drafts:
    """Autosaved form contents per user and article, in the data folder (never in git)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, user: str, key: str) -> Path:
        safe = hashlib.sha256(key.encode()).hexdigest()[:24]
        return self.folder / user / f"{safe}.json"

    def save(self, user: str, key: str, data: dict) -> None:
        write_atomic(self._path(user, key), json.dumps(data, ensure_ascii=False).encode())

    def load(self, user: str, key: str) -> dict | None:
        try:
            return json.loads(self._path(user, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def drop(self, user: str, key: str) -> None:
        self._path(user, key).unlink(missing_ok=True)
