"""search: in-browser search with Pagefind that understands Vietnamese typed
without diacritics ("dang uy khoi" finds "Đảng ủy Khối").

Owns: the /tim-kiem/ page (direct template ``search``) and the Pagefind bundle,
written once the articles are written (signal ``article_writer_finalized``)
into the site being built, from the published articles only. What Pagefind
indexes is decided in records.py; the query side lives in
theme/static/js/search.js.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from pelican import signals

from portal.core.search import indexer
from portal.core.search.records import SearchRecord
from portal.core.search.settings import FEATURE
from portal.core.settings import fill


def record_of(article) -> SearchRecord:
    return SearchRecord(
        save_as=article.save_as,
        title=Markup(article.title).striptags(),
        lead=Markup(getattr(article, "summary", "") or "").striptags(),
        body=Markup(article.content).striptags(),
        category=article.category.name,
        year=article.date.year,
        day=article.date.strftime("%Y%m%d"),
    )


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _index_articles(generator, writer=None) -> None:
    # generator.articles holds published articles only: drafts are never indexed.
    bundle = Path(generator.output_path) / generator.settings["SEARCH_BUNDLE_DIR"]
    indexer.build_index([record_of(article) for article in generator.articles], bundle, generator.settings)


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.article_writer_finalized.connect(_index_articles)
