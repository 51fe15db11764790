"""A site as the one-file check sees it: its settings and the headers of its articles.

Reading only the headers of the other articles (up to the first blank line)
is enough to know every slug, address and category, so one file can be
checked against a 10,000-article site in well under a second, without Pelican.
"""
from __future__ import annotations

import os
import runpy
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from portal.core import check_settings, schema, workflow
from portal.core.images import settings as image_settings
from portal.core.people import settings as people_settings
from portal.core.settings import fill

# Pelican makes these paths absolute relative to the settings file.
RELATIVE_TO_SETTINGS = ("PATH",)
DEFAULTS = {
    "PATH": "content",
    "ARTICLE_PATHS": [""],
    "PAGE_PATHS": ["pages"],
    "STATIC_PATHS": ["images"],
    "TIMEZONE": "UTC",
    "ARTICLE_URL": "{slug}.html",
    "MENU": [],
    "CATEGORY_URL": "category/{slug}.html",
}


def read_settings(settings_file: str | os.PathLike) -> dict:
    """The upper-case names a settings file defines, with the features this check uses filled in."""
    path = Path(settings_file).resolve()
    namespace = runpy.run_path(str(path))
    settings = {**DEFAULTS, **{k: v for k, v in namespace.items() if k.isupper()}}
    settings["PORTAL_SETTINGS_FILE"] = str(settings_file)
    for key in RELATIVE_TO_SETTINGS:
        settings[key] = str((path.parent / settings[key]).resolve())
    for feature in (check_settings.FEATURE, people_settings.FEATURE, image_settings.FEATURE):
        fill(settings, feature)
    return settings


@dataclass(frozen=True, eq=False)
class Listed:
    """What the check needs to know of another article: read from its header only."""

    path: Path
    slug: str
    title: str
    category: str
    date_text: str  # parsed only when needed: addresses are compared only between equal slugs
    draft: bool  # not public at load time (a status that is never public, or a time still to come)
    status: str = workflow.PUBLISHED
    expires_text: str = ""

    @property
    def source_path(self) -> str:  # the name Pelican's articles use, for shared messages
        return str(self.path)

    @cached_property
    def date(self) -> datetime | None:
        try:
            return schema.parse_date(self.date_text) if self.date_text else None
        except schema.FieldError:
            return None


def header_text(path: Path) -> str:
    """The header of a Markdown file: its text up to the first blank line."""
    lines = []
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                break
            lines.append(line)
    return "".join(lines)


def listed(path: Path, text: str, now: datetime) -> Listed:
    """``path`` must be absolute and resolved (the site's files are)."""
    header = schema.split_header(schema.nfc(text))
    values: dict[str, str] = {}
    for item in header.lines:
        values.setdefault(item.key.lower(), item.value)
    title = values.get("title", "").strip()
    slug = values.get("slug", "").strip() or schema.slugify(title) or schema.slugify(path.stem)
    try:
        status = workflow.parse_status(values["status"]) if values.get("status") else workflow.PUBLISHED
    except workflow.StatusError:
        status = workflow.DRAFT  # reported when that file itself is checked
    found = Listed(path, slug, title, values.get("category", "").strip(), values.get("date", "").strip(),
                   status in workflow.NOT_PUBLIC, status, values.get("expires", "").strip())
    if status == workflow.SCHEDULED and found.date is not None and found.date.replace(tzinfo=now.tzinfo) > now:
        return replace(found, draft=True)
    return found


class Site:
    """Settings plus the headers of every article, loaded once (the newsroom keeps one)."""

    def __init__(self, settings: dict, articles: list[Listed]):
        self.settings = settings
        self.content_root = Path(settings["PATH"])
        self.articles = articles
        self.timezone = ZoneInfo(settings["TIMEZONE"])

    @classmethod
    def load(cls, settings_file: str | os.PathLike) -> "Site":
        settings = read_settings(settings_file)
        now = workflow.current_time(ZoneInfo(settings["TIMEZONE"]))
        articles = [listed(path, header_text(path), now) for path in article_files(settings)]
        return cls(settings, articles)

    def is_page(self, path: Path) -> bool:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.content_root):
            return False
        return resolved.relative_to(self.content_root).parts[0] in self.settings["PAGE_PATHS"]

    def others(self, path: Path) -> list[Listed]:
        resolved = path.resolve()
        return [a for a in self.articles if a.path != resolved]

    def categories(self, besides: Path | None = None) -> list[str]:
        """Category names in use by articles (other than ``besides``), plus those in the main menu."""
        names = {schema.nfc(a.category) for a in self.others(besides) if a.category} if besides else \
            {schema.nfc(a.category) for a in self.articles if a.category}
        prefix = "/" + self.settings["CATEGORY_URL"].split("{", 1)[0]
        names.update(schema.nfc(label) for label, url in self.settings["MENU"] if url.startswith(prefix) and url != prefix)
        return sorted(names, key=schema.slugify)

    def article_url(self, slug: str, date: datetime) -> str:
        return self.settings["ARTICLE_URL"].format(slug=slug, date=date)


def article_files(settings: dict) -> list[Path]:
    root = Path(settings["PATH"]).resolve()
    excluded = set(settings.get("ARTICLE_EXCLUDES") or []) | set(settings["PAGE_PATHS"])
    excluded.add(settings["PEOPLE_PATH"])
    found = []
    for folder in settings["ARTICLE_PATHS"]:
        for path in sorted((root / folder).rglob("*.md")):
            relative = path.relative_to(root).parts
            if relative[0] in excluded or any(part.startswith(".") for part in relative):
                continue
            found.append(path)
    return found
