"""people: person pages with their roles over time.

Owns: the registry in ``content/people/*.md`` (kept away from Pelican's
article, page and static readers), ``/nhan-vat/`` (everyone, in Vietnamese
alphabetical order) and ``/nhan-vat/{slug}/`` (portrait, roles, biography and
every article mentioning the person, paginated), the "Nhân vật" list of an
article, the link on a person's first mention in the body, and the checks
on ``People`` (typos, names several registry people share) and on the roles
the text states next to a name. The pure core is in names, collation,
matcher, roles, linking, registry, directory and attribution; this module is
the Pelican adapter.
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from markdown import Markdown
from PIL import Image, UnidentifiedImageError
from pelican import signals
from pelican.generators import Generator

from portal.adapters import forget_rendered_content
from portal.core import problems, workflow
from portal.core.article import decode_utf8
from portal.core.listings.grouping import newest_first
from portal.core.sanitize import clean_and_report

from portal.core.people import mention_cache
from portal.core.people.attribution import review_article
from portal.core.people.directory import PersonEntry, PeopleDirectory, by_letter
from portal.core.people.linking import insert_links
from portal.core.people.registry import Person, load_registry
from portal.core.people.settings import FEATURE
from portal.core.settings import fill

log = logging.getLogger("portal.people")
LOG_PREFIX = "[people]"
MENTIONS_FILE = "people-mentions.json"

def apply_settings(pelican) -> None:
    settings = fill(pelican.settings, FEATURE)
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("person", None)
    settings["PAGINATED_TEMPLATES"] = paginated
    # The registry is data for this plugin, never an article, page or static file.
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
        excludes = list(settings.get(key) or [])
        if settings["PEOPLE_PATH"] not in excludes:
            excludes.append(settings["PEOPLE_PATH"])
        settings[key] = excludes


def _save_as(url: str) -> str:
    return url + "index.html" if url.endswith("/") or not url else url


def read_registry(settings: dict) -> list[Person]:
    folder = Path(settings["PATH"]) / settings["PEOPLE_PATH"]
    files = []
    for path in sorted(folder.glob("*.md")):
        files.append((problems.display_path(path), decode_utf8(str(path), path.read_bytes())))
    people, found = load_registry(files)
    for problem in found:
        problems.error(problem.path, problem.line, problem.message)
    return people


def _searched_texts(article) -> tuple[str, str]:
    """The HTML an article's people are found in: its summary and its body."""
    return getattr(article, "summary", "") or "", article._content


class PeopleGenerator(Generator):
    """Runs after the articles generator: joins registry and articles, writes pages."""

    keeps_mentions = True  # a whole site's build: reuse and keep the names found in each article

    def generate_context(self) -> None:
        settings = self.settings
        self.directory = PeopleDirectory(read_registry(settings))
        self._links: dict = {}
        for entry in self.directory.entries:
            self._prepare_registered(entry)
        kept_at = _mentions_file(settings) if self.keeps_mentions else None
        self._mentions = mention_cache.MentionCache(self.directory.registered, self.directory.spellings,
                                                    mention_cache.load(kept_at) if kept_at else None)
        articles = newest_first(self.context.get("articles", []))
        self._mentions.find_ahead([text for article in articles for text in _searched_texts(article)],
                                  self.directory.matcher, settings.get("BUILD_READ_WORKERS", 1))
        for article in articles:
            self._collect(article)
        if kept_at:
            mention_cache.save(kept_at, self._mentions)
        self.entries = self.directory.finish(settings["PEOPLE_URL"])
        siteurl = settings.get("SITEURL", "")
        for article in articles:
            self._link_first_mentions(article, siteurl)
        forget_rendered_content()
        self.context.update(
            people=self.entries,
            people_letters=by_letter(self.entries),
            people_today=workflow.current_time(ZoneInfo(settings["TIMEZONE"])).date(),
        )

    def _prepare_registered(self, entry: PersonEntry) -> None:
        person = entry.person
        if person.biography:
            entry.biography_html = clean_and_report(Markdown(**self.settings["MARKDOWN"]).convert(person.biography), person.path, Path(person.path).read_text(encoding="utf-8", errors="replace"))
        if person.photo:
            entry.photo_size = self._photo_size(person)

    def _photo_size(self, person: Person) -> tuple[int, int] | None:
        line = person.lines.get("photo", 1)
        path = Path(self.settings["PATH"]) / person.photo.lstrip("/")
        static = [Path(self.settings["PATH"]) / p for p in self.settings["STATIC_PATHS"]]
        if not path.is_file() or not any(path.is_relative_to(folder) for folder in static):
            problems.error(person.path, line,
                           f"trường 'Photo': không tìm thấy ảnh '{person.photo}'; hãy đặt ảnh trong "
                           "content/images/nhan-vat/ và ghi đường dẫn như /images/nhan-vat/ten-anh.jpg")
            return None
        try:
            with Image.open(path) as image:
                return image.size
        except (OSError, UnidentifiedImageError):
            problems.error(person.path, line, f"trường 'Photo': tệp '{person.photo}' không phải ảnh đọc được")
            return None

    def _collect(self, article) -> None:
        def source_text() -> str:  # read only when a warning needs a line
            try:
                return decode_utf8(article.source_path, Path(article.source_path).read_bytes())
            except OSError:
                return ""

        summary, body = _searched_texts(article)
        review = review_article(
            self.directory, list(getattr(article, "people", None) or []), summary, body, _day(article.date),
            bool(self.settings["PEOPLE_DETECT"] and article.metadata.get("people-detect", True)),
            source_text, article.metadata.get("source_lines", {}).get("people", 1), self._mentions.find,
            self._mentions.source_line,
        )
        for finding in review.findings:
            report = problems.error if finding.severity == "error" else problems.warning
            report(article.source_path, finding.line, finding.message)
        found = review.people
        for entry, role in found.stated.items():
            if role:
                entry.stated[article] = role
        for entry in found.entries:
            entry.articles.append(article)
        article.people_entries = found.entries
        self._links[article] = [(m.start, m.end, entry) for m, entry in found.links]

    def _link_first_mentions(self, article, siteurl: str) -> None:
        links = self._links.get(article)
        if not links:
            return
        article._content = insert_links(article._content, [(s, e, f"{siteurl}/{p.url}") for s, e, p in links])

    def generate_output(self, writer) -> None:
        template = self.get_template("person")
        for entry in self.entries:
            writer.write_file(
                _save_as(entry.url), template, self.context,
                paginated={"articles": entry.articles},
                template_name="person", url=entry.url, person=entry, articles=entry.articles,
            )
        url = self.settings["PEOPLE_INDEX_URL"]
        writer.write_file(_save_as(url), self.get_template("people"), self.context,
                          template_name="people", url=url)


def _mentions_file(settings: dict) -> Path | None:
    """Where the names found in each article's HTML are kept for the next build (the incremental
    build's cache folder; none in a plain Pelican run)."""
    folder = settings.get("BUILD_CACHE_PATH")
    return Path(folder) / MENTIONS_FILE if folder and settings.get("BUILD_INCREMENTAL", True) else None


def detect_in_one(article, context: dict, settings: dict) -> None:
    """One article read outside a build (the newsroom's preview, the quick page of `portal serve`):
    the registry joined with this article alone, its "Nhân vật" set and first mentions linked."""
    people = PeopleGenerator(context=dict(context, articles=[article]), settings=settings, path=settings["PATH"],
                             theme=settings["THEME"], output_path=settings["OUTPUT_PATH"])
    people.keeps_mentions = False  # the site's cache is the builds', not this one article's
    people.generate_context()


def _day(moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _get_generators(_pelican):
    return PeopleGenerator


def register() -> None:
    signals.initialized.connect(apply_settings)
    signals.get_generators.connect(_get_generators)
