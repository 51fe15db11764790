"""Stable digests of Python values and of the code that builds the site.

The build's caches are keyed by what went in, never by modification times:
a CI checkout resets them and a copied file keeps them. ``Digest`` feeds a
value's structure into SHA-256 the same way in every process (no ``hash()``,
no ``id()``, dicts and sets in sorted order), so equal inputs give equal keys
across runs. Other objects are digested by their attributes.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.metadata
import os
from pathlib import Path
from typing import Any, Iterable

# Libraries whose version changes what a page looks like.
LIBRARIES = ("pelican", "markdown", "jinja2", "nh3", "pillow", "python-slugify", "pagefind-bin", "pyuca")


class Digest:
    """SHA-256 of values; an object's attributes named in ``skip_attributes`` are left out."""

    def __init__(self, skip_attributes: Iterable[str] = ()):
        self._skip = frozenset(skip_attributes)

    def of(self, *values: Any) -> str:
        hasher = hashlib.sha256()
        for value in values:
            self._feed(hasher, value, set())
        return hasher.hexdigest()

    def _order(self, value: Any) -> tuple[str, str]:
        """Sort keys by value, objects by their own digest (never by a repr holding an address)."""
        if value is None or isinstance(value, (str, bytes, bool, int, float, _dt.date, _dt.time, Path)):
            return type(value).__name__, str(value)
        return "~" + type(value).__name__, self.of(value)

    def _feed(self, h, value: Any, path: set[int]) -> None:
        if isinstance(value, str):  # first: most of what is fed (Markup too: the text is what a page shows)
            encoded = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(encoded) + encoded)
            return
        if value is None or isinstance(value, (bool, int, float, complex)):
            h.update(f"{type(value).__name__}:{value!r};".encode())
            return
        if isinstance(value, bytes):
            h.update(b"b%d:" % len(value) + value)
            return
        if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
            h.update(f"{type(value).__name__}:{value.isoformat() if hasattr(value, 'isoformat') else value};".encode())
            return
        if isinstance(value, Path):
            h.update(f"path:{value.as_posix()};".encode())
            return
        if id(value) in path:  # a cycle: its contents are already being fed
            h.update(b"cycle;")
            return
        path.add(id(value))
        try:
            if isinstance(value, dict):
                h.update(b"{%d" % len(value))
                # Text keys (nearly all) sort as _order would sort them, without a call per key.
                text_keys = all(type(key) is str for key in value)
                for key in sorted(value) if text_keys else sorted(value, key=self._order):
                    self._feed(h, key, path)
                    self._feed(h, value[key], path)
                h.update(b"}")
            elif isinstance(value, (list, tuple)):
                h.update(b"[%d" % len(value))
                for item in value:
                    self._feed(h, item, path)
                h.update(b"]")
            elif isinstance(value, (set, frozenset)):
                h.update(b"(%d" % len(value))
                for item in sorted(value, key=self._order):
                    self._feed(h, item, path)
                h.update(b")")
            elif callable(value) and hasattr(value, "__qualname__"):
                h.update(f"fn:{getattr(value, '__module__', '')}.{value.__qualname__};".encode())
            elif hasattr(value, "__dict__"):
                h.update(f"<{type(value).__module__}.{type(value).__qualname__}>".encode())
                attributes = {k: v for k, v in vars(value).items() if k not in self._skip}
                self._feed(h, attributes, path)
            else:
                h.update(f"{type(value).__qualname__}:{value!r};".encode())
        finally:
            path.discard(id(value))




def files_digest(roots: Iterable[Path], suffixes: tuple[str, ...] = ()) -> str:
    """SHA-256 over every file under ``roots`` (names and bytes), in a stable order."""
    hasher = hashlib.sha256()
    for root in roots:
        root = Path(root)
        if not root.exists():
            hasher.update(f"missing:{root.name};".encode())
            continue
        found = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in found:
            if suffixes and path.suffix not in suffixes:
                continue
            if "__pycache__" in path.parts:
                continue
            name = path.relative_to(root).as_posix() if path != root else path.name
            data = path.read_bytes()
            hasher.update(f"{name}:{len(data)}:".encode() + data)
    return hasher.hexdigest()


def library_versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def code_version(*extra_roots: os.PathLike | str) -> str:
    """The portal's own source, the given folders (the theme) and the libraries' versions."""
    return hashlib.sha256(
        (files_digest([_PACKAGE_ROOT], (".py", ".js", ".html", ".toml"))
         + files_digest([Path(r) for r in extra_roots])
         + library_versions()).encode()
    ).hexdigest()
