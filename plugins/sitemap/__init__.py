"""sitemap: sitemap.xml (an index of parts above SITEMAP_MAX_URLS) and robots.txt.

Lists the home page, category pages, published articles and pages with their
last modification time. Needs an absolute SITEURL, so publishconf.py enables
it; local builds do without.
"""
from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from .core import PROTOCOL_MAX_URLS, Entry, plan, robots_txt

log = logging.getLogger("portal.sitemap")
LOG_PREFIX = "[sitemap]"

DEFAULTS = {
    "SITEMAP_MAX_URLS": PROTOCOL_MAX_URLS,
    "SITEMAP_ROBOTS_TXT": True,
}


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def _lastmod(article):
    return getattr(article, "modified", None) or article.date


def collect(context: dict, site_url: str) -> list[Entry]:
    articles = context.get("articles", [])
    entries = [Entry(f"{site_url}/", _lastmod(articles[0]) if articles else None)]
    for category, items in context.get("categories", []):
        entries.append(Entry(f"{site_url}/{category.url}", max(_lastmod(a) for a in items)))
    entries += [Entry(f"{site_url}/{a.url}", _lastmod(a)) for a in articles]
    # Pages without a Date get a placeholder date from the reader: only an
    # explicit Modified is worth telling search engines.
    entries += [Entry(f"{site_url}/{p.url}", getattr(p, "modified", None)) for p in context.get("pages", [])]
    return entries


class SitemapGenerator(Generator):
    def generate_output(self, _writer) -> None:
        settings = apply_defaults(self.settings)
        site_url = settings["SITEURL"]
        if not site_url.startswith(("http://", "https://")):
            log.warning("%s SITEURL '%s' không phải địa chỉ tuyệt đối: bỏ qua sitemap.xml", LOG_PREFIX, site_url)
            return
        output = Path(self.output_path)
        for name, data in plan(collect(self.context, site_url), site_url, settings["SITEMAP_MAX_URLS"]).items():
            (output / name).write_bytes(data)
        if settings["SITEMAP_ROBOTS_TXT"]:
            (output / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")


def _get_generators(_pelican):
    return SitemapGenerator


def register() -> None:
    signals.get_generators.connect(_get_generators)
