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

from portal.core.settings import BOOLEAN, Feature, Setting, fill, integer
from portal.core.sitemap import PROTOCOL_MAX_URLS, SitemapUrl, plan, robots_txt

log = logging.getLogger("portal.sitemap")
LOG_PREFIX = "[sitemap]"

FEATURE = Feature("sitemap", "SITEMAP_", (
    Setting("SITEMAP_MAX_URLS", PROTOCOL_MAX_URLS, integer(1, PROTOCOL_MAX_URLS),
            "số địa chỉ tối đa trong một tệp sitemap; nhiều hơn thì chia phần"),
    Setting("SITEMAP_ROBOTS_TXT", True, BOOLEAN, "có viết robots.txt hay không"),
))


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _lastmod(article):
    return getattr(article, "modified", None) or article.date


def collect(context: dict, site_url: str) -> list[SitemapUrl]:
    articles = context.get("articles", [])
    entries = [SitemapUrl(f"{site_url}/", _lastmod(articles[0]) if articles else None)]
    for category, items in context.get("categories", []):
        entries.append(SitemapUrl(f"{site_url}/{category.url}", max(_lastmod(a) for a in items)))
    entries += [SitemapUrl(f"{site_url}/{a.url}", _lastmod(a)) for a in articles]
    # Pages without a Date get a placeholder date from the reader: only an
    # explicit Modified is worth telling search engines.
    entries += [SitemapUrl(f"{site_url}/{p.url}", getattr(p, "modified", None)) for p in context.get("pages", [])]
    return entries


class SitemapGenerator(Generator):
    def generate_output(self, _writer) -> None:
        settings = self.settings
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
    signals.initialized.connect(_fill_settings)
    signals.get_generators.connect(_get_generators)
