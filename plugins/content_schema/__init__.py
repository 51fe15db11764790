"""content_schema: validates every article and page header against one schema.

Owns: the Markdown reader (UTF-8, NFC, header schema, slugs, default summary
and cover image), duplicate-URL detection and future-dated articles.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

import problems

from .reader import PortalMarkdownReader
from .schema import slugify

log = logging.getLogger("portal.content_schema")
LOG_PREFIX = "[content_schema]"

DEFAULTS = {
    # A published article dated in the future would silently stay hidden or
    # appear early; make the editor decide.
    "CONTENT_SCHEMA_FUTURE_IS_ERROR": True,
}


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def _install_reader(readers) -> None:
    apply_defaults(readers.settings)
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader


def _line(content, key: str) -> int:
    return content.metadata.get("source_lines", {}).get(key, 1)


def _contents(generators) -> list:
    found = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            found += generator.articles + generator.drafts + generator.hidden_articles
        elif isinstance(generator, PagesGenerator):
            found += generator.pages + generator.hidden_pages + generator.draft_pages
    return found


def check_duplicate_urls(generators) -> None:
    by_target = defaultdict(list)
    for content in _contents(generators):
        if content.save_as:  # drafts have no address outside the preview
            by_target[content.save_as].append(content)
    for target, owners in by_target.items():
        if len(owners) < 2:
            continue
        for content in owners:
            others = ", ".join(problems.display_path(o.source_path) for o in owners if o is not content)
            problems.error(
                content.source_path,
                _line(content, "title"),
                f"trùng địa chỉ /{target.removesuffix('index.html')} với {others}; "
                "hãy đổi tiêu đề hoặc thêm trường 'Slug' khác nhau",
            )


def check_future_dates(generators) -> None:
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        settings = generator.settings
        if not settings.get("CONTENT_SCHEMA_FUTURE_IS_ERROR", True):
            continue
        now = datetime.now(ZoneInfo(settings["TIMEZONE"]))
        for article in generator.articles:
            if article.date > now:
                problems.error(
                    article.source_path,
                    _line(article, "date"),
                    f"trường 'Date': {article.date:%Y-%m-%d %H:%M} ở tương lai; bài đã đăng "
                    "không được đề ngày tương lai. Sửa ngày, hoặc đặt 'Status: draft' nếu chưa muốn đăng",
                )


def check_all(generators) -> None:
    check_duplicate_urls(generators)
    check_future_dates(generators)


def register() -> None:
    signals.readers_init.connect(_install_reader)
    signals.all_generators_finalized.connect(check_all)


__all__ = ["register", "slugify", "apply_defaults"]
