"""`Xem trước`: one article rendered as the site will show it, without a site build.

The same reader (``portal.adapters.content_schema``), the same Markdown
extensions and photo syntax, the people adapter (names detected and linked,
roles), the photo pipeline and its cache (``portal.core.images``) and the
theme's ``article.html`` with the filters the adapters register — run
in-process on the one article. What needs the whole site (computed related
articles, "Tin cùng chuyên mục", the calendar) comes from the newsroom's
header index or is left out; the build adds it.
"""
from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

from portal.core import problems

log = logging.getLogger("portal.newsroom")
PREFIX = "/xem-truoc/trang"  # the preview's SITEURL: theme files, photos and videos are served under it


class Previewer:
    def __init__(self, settings_file: Path, scratch: Path):
        from pelican import Pelican
        from pelican.contents import Article
        from pelican.generators import ArticlesGenerator

        from pelican.settings import read_settings
        from portal.adapters.fragments import forget
        from portal.adapters.images import process_one
        from portal.adapters.people import detect_in_one

        self._article_class = Article
        self._detect_people, self._process_photos = detect_in_one, process_one
        self._forget_rendered = forget
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        settings = read_settings(str(settings_file), override={
            "PORTAL_SETTINGS_FILE": str(settings_file), "OUTPUT_PATH": str(scratch / "output"),
            "SITEURL": PREFIX, "STATS_ENABLED": False, "RELATIVE_URLS": False})
        # Drafts are shown at their final address, as `make serve` does.
        settings["DRAFT_URL"], settings["DRAFT_SAVE_AS"] = settings["ARTICLE_URL"], settings["ARTICLE_SAVE_AS"]
        self.pelican = Pelican(settings)  # registers the adapters and fills every feature's settings
        self.settings = self.pelican.settings
        cache = Path(self.settings["IMAGES_CACHE_DIR"])
        if not cache.is_absolute():  # the build's cache, shared: a photo seen in the preview is not encoded again
            self.settings["IMAGES_CACHE_DIR"] = str(settings_file.resolve().parent / cache)
        self.content_root = Path(self.settings["PATH"]).resolve()
        self.theme_static = Path(self.settings["THEME"]) / "static"
        self.context = dict(self.settings, generated_content={}, static_links=set(), static_content={},
                            localsiteurl=PREFIX, articles=[], drafts=[])
        self.generator = ArticlesGenerator(context=self.context, settings=self.settings, path=str(self.content_root),
                                           theme=self.settings["THEME"], output_path=str(scratch / "output"))
        self.template = self.generator.get_template("article")
        self.files: dict[str, Path] = {}  # public path under PREFIX -> file (derivatives, videos)
        self._lock = threading.Lock()

    def render(self, rel: str, text: str, related: list) -> tuple[str, list[problems.Problem]]:
        """The article page's HTML and the problems found while reading ``text`` as ``articles/rel``."""
        with self._lock:  # the adapters keep per-run state (problems, memoised content)
            problems.reset()
            folder = self.content_root / self.settings["ARTICLE_PATHS"][0] / Path(rel).parent
            # The reader takes a path: a hidden scratch file next to where the article lives, so
            # relative photo paths resolve the same way (and removed at once).
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".md", prefix=".xem-truoc-",
                                             dir=folder, delete=True) as handle:
                handle.write(text)
                handle.flush()
                article = self.generator.readers.read_file(
                    base_path=str(self.content_root), path=handle.name, content_class=self._article_class,
                    context=self.context)
                self._detect_people(article, self.context, self.settings)
                self.files.update(self._process_photos(article, self.settings))
            article.related_articles = related
            # Each preview's related items are new objects: the cards rendered once for the last
            # preview would only pile up in this long-lived environment.
            self._forget_rendered(self.generator.env)
            html = self.template.render(dict(self.context, article=article, output_file=article.save_as,
                                             page_name=article.url, SITEURL=PREFIX))
            return html, problems.collected()


    def file(self, path: str) -> Path | None:
        """A file the preview page refers to: theme static files, derivatives and videos it published."""
        static_dir = self.settings["THEME_STATIC_DIR"].strip("/") + "/"
        if path.startswith(static_dir):
            candidate = (self.theme_static / path[len(static_dir):]).resolve()
            return candidate if candidate.is_relative_to(self.theme_static.resolve()) and candidate.is_file() else None
        if path in self.files:
            return self.files[path]
        # Logo, banner and sidebar images named in the settings are static files of content/.
        candidate = (self.content_root / path).resolve()
        named = {self.settings.get("SITE_LOGO"), self.settings.get("SITE_BANNER")} | {
            image for _l, image, _u in self.settings.get("SIDEBAR_LINKS", [])}
        if "/" + path in named and candidate.is_relative_to(self.content_root) and candidate.is_file():
            return candidate
        return None


def related_items(entries, url_pattern: str) -> list:
    """Index entries as the light objects the theme's article card reads."""
    items = []
    for entry in entries:
        if entry.date is None:
            continue
        items.append(SimpleNamespace(title=entry.title, url=url_pattern.format(slug=entry.slug, date=entry.date),
                                     date=entry.date, summary="", image=None))
    return items
