"""What a source hands the writer, and the report of what could not be converted."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class OldArticle:
    """One article as the old portal had it, before conversion."""

    origin: str  # "nukeviet:123", "mirror:tin-tuc/abc.html": recorded as Origin, keys re-runs
    label: str  # how messages name it: "bài id=123", "tệp tin-tuc/abc.html"
    title: str
    date: datetime | None
    category: str
    body_html: str
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    author_role: str = ""
    source: str = ""
    alias: str = ""  # the old address's last part, kept as Slug when valid
    cover: str = ""  # old address of the cover photo
    cover_caption: str = ""
    published: bool = True  # public on the new site now: its views and old addresses carry over
    status: str = ""  # the portal's Status label to write ("" = published, the default)
    expires: datetime | None = None
    modified: datetime | None = None
    views: int = 0
    old_paths: list[str] = field(default_factory=list)  # old addresses (path or "/index.php?…" key)


@dataclass
class Report:
    """Everything that could not be converted as is, grouped by kind, for people to review."""

    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, who, message)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, who: str, message: str) -> None:
        self.lines.append((kind, who, message))

    def count(self, name: str, step: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + step

    def text(self, title: str) -> str:
        out = [title, ""]
        for name, number in self.counts.items():
            out.append(f"{name}: {number}")
        kinds: dict[str, list[str]] = {}
        for kind, who, message in self.lines:
            kinds.setdefault(kind, []).append(f"  - {who}: {message}")
        for kind, items in kinds.items():
            out += ["", f"{kind} ({len(items)}):", *items]
        if not self.lines:
            out += ["", "Không có mục nào cần xem lại."]
        return "\n".join(out) + "\n"


def under(root: Path, relative: str) -> Path | None:
    """root/relative when it stays inside root (old addresses may carry '..')."""
    candidate = (root / relative.lstrip("/")).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None
    return candidate
