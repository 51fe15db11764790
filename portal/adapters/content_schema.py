"""content_schema: validates every article and page header against one schema.

Owns: the Markdown reader (UTF-8, NFC, header schema, slugs, default summary
and cover image), duplicate-URL detection and future-dated articles.
"""
from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from markdown import Markdown
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader

from portal.core import problems, schema, workflow
from portal.core.article import SourceFile, read_source, split_lead
from portal.core.check_settings import FEATURE
from portal.core.settings import fill

FIRST_IMAGE = re.compile(r"<img[^>]*\ssrc=\"([^\"]+)\"")


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the portal's schema, NFC text and slugs."""

    def read(self, source_path: str):
        source = read_source(source_path, is_page=self._is_page(source_path))
        for line, message in source.problems:
            problems.error(source_path, line, message)

        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        # The header was parsed above: the body must never be read as metadata.
        if "meta" in self._md.preprocessors:
            self._md.preprocessors.deregister("meta")
        content = self._md.convert(source.body)
        if "summary" not in source.values:
            # Without a Summary the first paragraph is the lead, shown once.
            source.values["summary"], content = split_lead(content)
        return content, self._metadata(source_path, source, content)

    def _is_page(self, source_path: str) -> bool:
        content_root = os.path.abspath(self.settings["PATH"])
        relative = os.path.relpath(os.path.abspath(source_path), content_root)
        top = relative.split(os.sep, 1)[0]
        return top in self.settings["PAGE_PATHS"]

    def _metadata(self, source_path: str, source: SourceFile, content: str) -> dict:
        values = dict(source.values)
        # Placeholders keep Pelican going after an error was reported, so one
        # run lists every problem; the build still fails on the report.
        stem = os.path.splitext(os.path.basename(source_path))[0]
        values.setdefault("title", stem)
        values.setdefault("category", "Chưa phân loại")
        if "date" not in values:
            values["date"] = datetime(1970, 1, 1)
        zone = ZoneInfo(self.settings["TIMEZONE"])
        for key in ("date", "modified", "expires"):
            if key in values:
                values[key] = values[key].replace(tzinfo=zone)
        values.setdefault("slug", schema.slugify(values["title"]) or schema.slugify(stem))
        if "image" not in values:
            found = FIRST_IMAGE.search(content)
            if found:
                values["image"] = html.unescape(found.group(1))
        status = values.pop("status", workflow.PUBLISHED)
        seen = workflow.visibility(status, values["date"], values.get("expires"), workflow.current_time(zone),
                                   self.settings["CONTENT_SCHEMA_EXPIRED"])
        values.update(status=seen.pelican_status, workflow_status=status, expired=seen.expired,
                      scheduled=seen.scheduled)
        values.setdefault("featured", False)
        values["source_lines"] = source.lines

        metadata = {}
        for name, value in values.items():
            if name in ("category", "author"):
                wrapper = self.process_metadata(name, value)
                wrapper.slug = schema.slugify(value)
                metadata[name] = wrapper
            elif name == "tags":
                wrapped = self.process_metadata(name, ", ".join(value)) if value else []
                for tag in wrapped or []:
                    tag.slug = schema.slugify(tag.name)
                if wrapped:
                    metadata[name] = wrapped
            else:
                metadata[name] = value
        return metadata


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _install_reader(readers) -> None:
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
        now = workflow.current_time(ZoneInfo(settings["TIMEZONE"]))
        if settings["CONTENT_SCHEMA_FUTURE_IS_ERROR"]:
            for article in generator.articles:
                if article.date > now:
                    problems.error(article.source_path, _line(article, "date"), workflow.future_message(article.date))
        for article in generator.drafts + generator.hidden_articles:
            explain_schedule(article)
        for article in generator.articles + generator.drafts + generator.hidden_articles:
            expires = getattr(article, "expires", None)
            if expires is not None and expires <= article.date:
                problems.error(article.source_path, _line(article, "expires"), workflow.expiry_message(expires, article.date))


def explain_schedule(article) -> None:
    """A scheduled or expired article is no error: say what will happen, and when."""
    if getattr(article, "scheduled", False):
        problems.note(article.source_path, _line(article, "status"), workflow.scheduled_message(article.date))
    elif getattr(article, "expired", False):
        expires = getattr(article, "expires", None)
        problems.note(article.source_path, _line(article, "expires" if expires else "status"),
                      workflow.expired_message(expires, page_kept=article.status == "hidden"))


def check_all(generators) -> None:
    check_duplicate_urls(generators)
    check_future_dates(generators)


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.readers_init.connect(_install_reader)
    signals.all_generators_finalized.connect(check_all)


