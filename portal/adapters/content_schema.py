"""content_schema: validates every article and page header against one schema.

Owns: the Markdown reader (UTF-8, NFC, header schema, slugs, default summary
and cover image, bodies sanitised by portal.core.sanitize with a warning per
removal; the files the reading cache lacks converted ahead on every core),
every output-path collision and unusable slug, declared categories, symlinks
and ignored files under content/, future-dated articles, and plain-text
summaries in feeds.
"""
from __future__ import annotations

import html
import logging
import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from feedgenerator import Rss201rev2Feed
from markdown import Markdown
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader

from portal.core import parallel, problems, read_cache, schema, workflow
from portal.core.article import SourceFile, read_source, split_lead
from portal.core.check_settings import FEATURE
from portal.core.images.markup import uncaptioned, uncaptioned_message
from portal.core.images.sources import line_of
from portal.core.sanitize import report, sanitize_html
from portal.core.settings import fill

FIRST_IMAGE = re.compile(r"<img[^>]*\ssrc=\"([^\"]+)\"")


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the portal's schema, NFC text and slugs."""

    def read(self, source_path: str):
        cache, key = read_cache.active(), None
        if cache is not None:
            key = _reading_key(cache, source_path)
            kept = cache.get(key)
            if kept is not None:
                content, values, lines, found = kept
                for problem in found:
                    problems.add(problem)
                return content, self._metadata(source_path, values, lines, content)
        with problems.capture() as found:
            content, values, lines = self._convert(source_path)
        if cache is not None:
            cache.put(key, (content, values, lines, found))
        return content, self._metadata(source_path, values, lines, content)

    def convert_to_cache(self, source_path: str) -> bytes:
        """A reading as the cache keeps it (pickled): what a worker of ``read_ahead`` sends back."""
        with problems.capture() as found:
            content, values, lines = self._convert(source_path)
        return pickle.dumps((content, values, lines, found), protocol=pickle.HIGHEST_PROTOCOL)

    def _convert(self, source_path: str) -> tuple[str, dict, dict]:
        """What depends only on the file: the body's HTML and the header's values."""
        source = read_source(source_path, is_page=self._is_page(source_path))
        for line, message in source.problems:
            problems.error(source_path, line, message)
        for line, message in source.warnings:
            problems.warning(source_path, line, message)

        self._source_path = source_path
        sanitized = sanitize_html(self._markdown().convert(source.body))
        report(sanitized, source_path, source.body, source.body_line)
        content = sanitized.html
        _warn_empty_captions(source_path, source, content)
        if "summary" not in source.values:
            # Without a Summary the first paragraph is the summary. An article shows it once, as its
            # lead; a page has no lead, so its text keeps it.
            source.values["summary"], rest = split_lead(content)
            if not self._is_page(source_path):
                content = rest
        return content, source.values, source.lines

    def _markdown(self) -> Markdown:
        # One converter per reader, reset between files: building one costs as much as converting
        # a short article (its extensions register dozens of patterns).
        if getattr(self, "_md", None) is None:
            self._md = Markdown(**self.settings["MARKDOWN"])
            # The header was parsed above: the body must never be read as metadata.
            if "meta" in self._md.preprocessors:
                self._md.preprocessors.deregister("meta")
        return self._md.reset()

    def _is_page(self, source_path: str) -> bool:
        content_root = os.path.abspath(self.settings["PATH"])
        relative = os.path.relpath(os.path.abspath(source_path), content_root)
        top = relative.split(os.sep, 1)[0]
        return top in self.settings["PAGE_PATHS"]

    def _metadata(self, source_path: str, read_values: dict, lines: dict, content: str) -> dict:
        values = dict(read_values)
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
        if "slug" not in values:  # not setdefault: a title's slug costs a python-slugify call
            values["slug"] = schema.slugify(values["title"]) or schema.slugify(stem)
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
        values["source_lines"] = lines

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


def _reading_key(cache: read_cache.ReadCache, source_path: str) -> str:
    return cache.file_key(source_path, os.path.abspath(source_path), os.getcwd())


def read_ahead(generator) -> None:
    """Convert the files the reading cache lacks on every core (``BUILD_READ_WORKERS`` processes:
    this one and forks) before the generator reads them one by one, then from the cache:
    converting Markdown is a cold build's largest step, and Pelican does it on one core."""
    cache, reader = read_cache.active(), generator.readers.readers.get("md")
    workers = generator.settings.get("BUILD_READ_WORKERS", 1)
    if cache is None or not isinstance(reader, PortalMarkdownReader) or workers < 2:
        return
    if isinstance(generator, ArticlesGenerator):
        folders, excluded = generator.settings["ARTICLE_PATHS"], generator.settings["ARTICLE_EXCLUDES"]
    else:
        folders, excluded = generator.settings["PAGE_PATHS"], generator.settings["PAGE_EXCLUDES"]
    # The files the generator will read, as it will name them; a link is left to it (refused later).
    paths = [os.path.abspath(os.path.join(generator.path, name))
             for name in generator.get_files(folders, exclude=excluded, extensions=reader.file_extensions)]
    paths = [path for path in paths if not os.path.islink(path)]
    keys = {_reading_key(cache, path): path for path in paths}
    missing = [(key, keys[key]) for key in cache.missing(list(keys))]
    if len(missing) < READ_AHEAD_MIN_FILES:
        return  # a rebuild's few changed files: not worth starting processes
    chunks = parallel.chunked(missing, READ_AHEAD_CHUNK)
    try:
        converted = parallel.map_chunks(lambda chunk: [(key, reader.convert_to_cache(path)) for key, path in chunk],
                                        chunks, workers)
    except Exception as error:  # noqa: BLE001 - each file is then read in the build, which reports it
        logging.getLogger("portal.incremental").debug("[incremental] đọc trước không được (%s)", error)
        return
    for chunk in converted:
        for key, data in chunk:
            cache.put_converted(key, data)


# Below this many files to convert, forking workers costs more than it saves.
READ_AHEAD_MIN_FILES = 64
READ_AHEAD_CHUNK = 50


def _warn_empty_captions(path: str, source: SourceFile, content: str) -> None:
    for src in uncaptioned(content):
        found = line_of(source.body, src)
        problems.warning(path, source.body_line + found - 1 if found else source.body_line, uncaptioned_message(src))


class _NoEnglishAltWarning(logging.Filter):
    """Pelican's own "Empty alt attribute" warning: replaced by the Vietnamese one above, with its line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Empty alt attribute")


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _install_reader(readers) -> None:
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader
    read_file = readers.read_file

    def read_and_fix_address(*args, **kwargs):
        content = read_file(*args, **kwargs)
        fix_address(content)
        return content

    readers.read_file = read_and_fix_address


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


@dataclass(frozen=True)
class Claim:
    """Something that will be written at an output path: a source file's page or one of the site's own."""

    what: str  # in the editor's words: "bài 'Tiêu đề'", "trang tin theo ngày 12/05/2024"
    path: str | None = None  # the source file, None for pages the site makes
    line: int = 1
    field: str = "Slug"  # the field to change to move it


def _save_as(pattern: str, **values) -> str:
    url = pattern.format(**values)
    return url + "index.html" if url.endswith("/") or not url else url


def _claims(generators) -> dict[str, list[Claim]]:
    """Every output path that content or the site will write, with who writes it."""
    settings = generators[0].settings
    claims: dict[str, list[Claim]] = defaultdict(list)
    articles = []
    for content in _contents(generators):
        if not content.save_as:  # drafts have no address outside the preview
            continue
        line = _line(content, "slug") if "slug" in content.metadata.get("source_lines", {}) else _line(content, "title")
        kind = "trang" if isinstance(content, Page) else "bài"
        claims[content.save_as].append(Claim(f"{kind} '{content.title}'", content.source_path, line))
        if not isinstance(content, Page) and content.status == "published":
            articles.append(content)
    seen: set[str] = set()
    for article in articles:
        for key, pattern, label in (("category", "CATEGORY_SAVE_AS", "chuyên mục"), ("author", "AUTHOR_SAVE_AS", "tác giả")):
            wrapper = getattr(article, key, None)
            if wrapper is not None and settings.get(pattern):
                _claim_listing(claims, seen, settings[pattern], wrapper.slug, f"trang {label} '{wrapper.name}'", article, key)
        for tag in getattr(article, "tags", None) or []:
            if settings.get("TAG_SAVE_AS"):
                _claim_listing(claims, seen, settings["TAG_SAVE_AS"], tag.slug, f"trang thẻ '{tag.name}'", article, "tags")
        for key, label, form in (("LISTINGS_DAY_URL", "ngày", "%d/%m/%Y"), ("LISTINGS_MONTH_URL", "tháng", "%m/%Y"),
                                 ("LISTINGS_YEAR_URL", "năm", "%Y")):
            if settings.get(key):
                target = _save_as(settings[key], date=article.date)
                if target not in seen:
                    seen.add(target)
                    claims[target].append(Claim(f"trang tin theo {label} {article.date.strftime(form)}"))
    for name in settings.get("DIRECT_TEMPLATES", []):
        target = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if target:
            claims[target].append(Claim(f"trang '{name}' của cổng ({target.removesuffix('index.html') or '/'})"))
    for generator in generators:  # person pages (people feature), when it ran
        for entry in getattr(generator, "entries", None) or []:
            url = getattr(entry, "url", None)
            if isinstance(url, str) and getattr(entry, "name", None):
                claims[_save_as(url)].append(Claim(f"trang nhân vật '{entry.name}'"))
    for folder in _reserved_folders(settings):
        claims[f"{folder}/index.html"].append(Claim(f"thư mục /{folder}/ của cổng"))
    return claims


def _claim_listing(claims, seen, pattern, slug, what, article, key) -> None:
    if not slug:
        problems.error(article.source_path, _line(article, key),
                       f"trường '{key.capitalize()}': {what} không tạo được địa chỉ (không có chữ cái hay chữ số); hãy viết lại")
        return
    target = _save_as(pattern, slug=slug)
    if target not in seen:
        seen.add(target)
        claims[target].append(Claim(what, article.source_path, _line(article, key), key.capitalize()))


def _reserved_folders(settings: dict) -> set[str]:
    """Top folders the site writes itself: a page there would mix with them."""
    found = {settings.get("THEME_STATIC_DIR") or "theme"}
    for key in ("IMAGES_OUTPUT_DIR", "SEARCH_BUNDLE_DIR"):
        if settings.get(key):
            found.add(settings[key].strip("/").split("/", 1)[0])
    for key in ("FEED_ALL_ATOM", "FEED_ALL_RSS", "CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"):
        if settings.get(key) and "/" in settings[key]:
            found.add(settings[key].split("/", 1)[0])
    for key in ("CATEGORY_URL", "TAG_URL", "AUTHOR_URL", "PEOPLE_URL", "LISTINGS_PAGE_URL"):
        value = settings.get(key) or ""
        if "/" in value and not value.startswith("{"):
            found.add(value.split("/", 1)[0])
    found.update(p.strip("/").split("/", 1)[0] for p in settings.get("STATIC_PATHS", []))
    return {f for f in found if f and "{" not in f}


def fix_address(content) -> None:
    """An article's or page's address is final once it is read (not at ``content_object_init``:
    Pelican may still make an article a draft after that signal); ``url`` and ``save_as`` would be
    formatted again on every access (260.000 times in a 10.000-article rebuild, most of them while
    Pelican checks and sorts what it read), so they are kept from then on, through Pelican's own
    ``override_`` attributes."""
    if isinstance(content, (Article, Page)):
        content.override_url, content.override_save_as = content.url, content.save_as


def check_addresses(generators) -> None:
    """Two things written to one file, and addresses that cannot be made, before anything is written."""
    for content in _contents(generators):
        if not content.slug:
            problems.error(content.source_path, _line(content, "title"),
                           f"trường 'Title': tiêu đề '{content.title}' không tạo được địa chỉ (không có chữ cái hay "
                           "chữ số); hãy viết lại tiêu đề hoặc thêm trường 'Slug', ví dụ 'Slug: tin-moi'")
    for target, owners in _claims(generators).items():
        if len(owners) < 2 or all(o.path is None for o in owners):
            continue
        for claim in owners:
            if claim.path is None:
                continue
            others = "; ".join(
                problems.display_path(o.path) if o.path else o.what for o in owners if o is not claim
            )
            advice = ("hãy đổi tiêu đề hoặc thêm trường 'Slug' khác nhau" if claim.field == "Slug"
                      else f"hãy đổi trường '{claim.field}'")
            problems.error(claim.path, claim.line, f"trùng địa chỉ /{target.removesuffix('index.html')} với {others}; {advice}")


def check_categories(generators) -> None:
    declared = [schema.nfc(c) for c in generators[0].settings.get("CATEGORIES") or []]
    for content in _contents(generators):
        category = getattr(content, "category", None)
        if category is None or isinstance(content, Page):
            continue
        message = schema.category_problem(category.name, declared)
        if message:
            problems.error(content.source_path, _line(content, "category"), message)


def check_ignored_files(settings: dict) -> None:
    """Files in the article and page folders that Pelican would skip without a word."""
    root = Path(settings["PATH"])
    for folder in settings.get("ARTICLE_PATHS", []) + settings.get("PAGE_PATHS", []):
        for path in sorted((root / folder).rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            name = path.name
            if name.startswith(".") and name.lower().endswith(".md"):
                problems.warning(path, 0, f"tệp '{name}' bị bỏ qua vì tên bắt đầu bằng dấu chấm; "
                                          "hãy đặt tên như 'ten-bai.md' nếu muốn đăng bài này")
            elif not name.startswith((".", "~", "#")) and not name.endswith("~") and path.suffix.lower() != ".md":
                problems.warning(path, 0, f"tệp '{name}' không phải tệp Markdown (.md) nên không được đăng; "
                                          "bài viết phải là tệp .md (xem hướng dẫn biên tập)")


def check_symlinks(settings: dict) -> None:
    """A link under content/ could publish any file of the machine: refused, named."""
    root = Path(settings["PATH"])
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            if path.is_symlink():
                problems.error(path, 0, f"'{name}' là liên kết tượng trưng (symlink) tới '{os.readlink(path)}'; "
                                        "cổng không đăng liên kết. Hãy chép tệp thật vào chỗ này rồi xóa liên kết")


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
    settings = generators[0].settings
    check_symlinks(settings)
    check_ignored_files(settings)
    check_addresses(generators)
    check_categories(generators)
    check_future_dates(generators)


def plain_feed_summaries(context, feed) -> None:
    """Summaries are plain text; feeds declare them HTML, so they go in escaped.

    Atom's <summary type="html"> is always the summary; RSS's <description> is
    the summary only with RSS_FEED_SUMMARY_ONLY (else the sanitised body).
    """
    if isinstance(feed, Rss201rev2Feed) and not context.get("RSS_FEED_SUMMARY_ONLY"):
        return
    for item in feed.items:
        if item.get("description"):
            item["description"] = html.escape(item["description"], quote=False)


def register() -> None:
    logging.getLogger("pelican.readers").addFilter(_NoEnglishAltWarning())
    signals.feed_generated.connect(plain_feed_summaries)
    signals.initialized.connect(_fill_settings)
    signals.readers_init.connect(_install_reader)
    signals.article_generator_init.connect(read_ahead)
    signals.page_generator_init.connect(read_ahead)
    signals.all_generators_finalized.connect(check_all)


