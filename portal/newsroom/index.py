"""Every article's header in memory, refreshed when files change on disk.

Only headers are read (up to the first blank line), so 10,000 articles load
in well under a second; afterwards a refresh stats the files and re-reads
only those whose size or modification time changed, so hand edits made
outside the newsroom show up at the next request.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from portal.core import schema, workflow
from portal.core.search.folding import fold
from portal.core.site import Listed, header_text, listed

REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class Entry:
    rel: str  # path under the articles folder, "2025/x.md": the article's id in the newsroom
    path: Path
    title: str
    slug: str
    category: str
    author: str
    date: datetime | None
    status: str
    tags: tuple[str, ...]
    folded: str  # title without marks, đ -> d
    stamp: tuple[int, int]
    listed: Listed  # what the core's one-file check knows of another article

    @property
    def draft(self) -> bool:
        return self.status in workflow.NOT_PUBLIC

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


def entry_for(root: Path, path: Path, stamp: tuple[int, int], now: datetime) -> Entry:
    text = header_text(path)
    header = schema.split_header(schema.nfc(text))
    values: dict[str, str] = {}
    for item in header.lines:
        values.setdefault(item.key.lower(), item.value)
    title = values.get("title", "").strip() or path.stem
    try:
        date = schema.parse_date(values["date"]) if values.get("date") else None
    except schema.FieldError:
        date = None
    try:
        status = workflow.parse_status(values["status"]) if values.get("status", "").strip() else workflow.PUBLISHED
    except workflow.StatusError:
        status = workflow.DRAFT  # the check names the bad value when the file is opened
    return Entry(
        rel=path.relative_to(root).as_posix(), path=path, title=title,
        slug=values.get("slug", "").strip() or schema.slugify(title) or schema.slugify(path.stem),
        category=values.get("category", "").strip(), author=values.get("author", "").strip(),
        date=date, status=status, tags=tuple(schema.parse_list(values.get("tags", ""))),
        folded=" ".join(fold(title).split()), stamp=stamp, listed=listed(path, text, now),
    )


def folded_words(query: str) -> list[str]:
    return fold(schema.nfc(query)).split()


class ArticleIndex:
    def __init__(self, root: Path, zone, excluded: tuple[str, ...] = ()):
        self.root = root.resolve()
        self.zone = zone
        self.excluded = set(excluded)
        self._entries: dict[str, Entry] = {}
        self._sorted: list[Entry] = []
        self._checked = 0.0
        self._lock = threading.Lock()
        self._facets = None
        self.version = 0
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        with self._lock:
            seen: dict[str, Entry] = {}
            changed = False
            now = workflow.current_time(self.zone)
            for path, stamp in self._files():
                rel = path.relative_to(self.root).as_posix()
                old = self._entries.get(rel)
                if old is not None and old.stamp == stamp:
                    seen[rel] = old
                    continue
                try:
                    seen[rel] = entry_for(self.root, path, stamp, now)
                except OSError:
                    continue
                changed = True
            if changed or len(seen) != len(self._entries):
                self._entries = seen
                self._sorted = sorted(seen.values(), key=lambda e: (e.date or datetime.min, e.rel), reverse=True)
                self._facets = None
                self.version += 1
            self._checked = time.monotonic()

    def _files(self):
        stack = [self.root]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for item in entries:
                if item.name.startswith("."):
                    continue
                if item.is_dir(follow_symlinks=False):
                    if folder == self.root and item.name in self.excluded:
                        continue
                    stack.append(Path(item.path))
                elif item.name.endswith(".md"):
                    stat = item.stat()
                    yield Path(item.path), (stat.st_size, stat.st_mtime_ns)

    def get(self, rel: str) -> Entry | None:
        self.refresh()
        return self._entries.get(rel)

    def all(self) -> list[Entry]:
        self.refresh()
        return self._sorted

    def search(self, query: str = "", status: str = "", category: str = "", author: str = "",
               year: int | None = None) -> list[Entry]:
        words = folded_words(query)
        found = []
        for entry in self.all():
            if status and entry.status != status:
                continue
            if category and entry.category != category:
                continue
            if author and entry.author != author:
                continue
            if year and entry.year != year:
                continue
            if words and not all(word in entry.folded for word in words):
                continue
            found.append(entry)
        return found

    def by_slug(self) -> dict[str, Entry]:
        return {e.slug: e for e in reversed(self.all())}

    def facets(self) -> tuple[list[str], list[str], list[int], list[str]]:
        """Categories, authors, years and tags in use, for the filters and suggestions."""
        entries = self.all()
        if self._facets is not None:
            return self._facets
        categories, authors, years, tags = set(), set(), set(), {}
        for entry in entries:
            if entry.category:
                categories.add(entry.category)
            if entry.author:
                authors.add(entry.author)
            if entry.year:
                years.add(entry.year)
            for tag in entry.tags:
                tags[tag] = tags.get(tag, 0) + 1
        self._facets = (sorted(categories, key=schema.slugify), sorted(authors, key=schema.slugify),
                        sorted(years, reverse=True), sorted(tags, key=lambda t: (-tags[t], t)))
        return self._facets
