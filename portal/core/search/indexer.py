"""The Pagefind bundle of the published articles, written into the site being built.

Pagefind reads one small page per article (records.record_html), written to a
scratch folder at the article's own path, so each result links to the article.
One `add_directory` call for all of them: the Python API answers one request
per 0.1 s, so a call per article would take 1.000 s at 10.000 articles.
"""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from pagefind.index import PagefindIndex

from .records import SearchRecord, Spellings, record_html, word_counts, word_ranks
from .settings import LOG_PREFIX, log

# Pagefind also writes its ready-made interfaces; the portal has its own
# (theme/static/js/search.js), so they would only be dead weight to publish.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    pass


def write_pages(records: list[SearchRecord], folder: Path, settings: dict) -> None:
    counts = [word_counts(record) for record in records]
    ranks = word_ranks(records, counts)
    spellings = Spellings(settings["SEARCH_FOLD_BODY_WEIGHT"])
    for record, words in zip(records, counts):
        page = folder / record.save_as
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(record_html(record, ranks, settings, words, spellings), encoding="utf-8")


async def _index(pages: Path, bundle: Path, language: str) -> int:
    config = {"force_language": language, "output_path": str(bundle)}
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(pages))
        return int(result["page_count"])


def build_index(records: list[SearchRecord], bundle: Path, settings: dict) -> int:
    """Write the Pagefind bundle for ``records`` into ``bundle``; returns the number of pages.

    ``settings`` holds the SEARCH_ settings (``settings.FEATURE``).
    """
    with tempfile.TemporaryDirectory(prefix="portal-search-") as scratch:
        write_pages(records, Path(scratch), settings)
        try:
            pages = asyncio.run(_index(Path(scratch), bundle.resolve(), settings["SEARCH_LANGUAGE"]))
        except Exception as exc:  # the Pagefind service reports failures as plain exceptions
            raise SearchIndexError(f"{LOG_PREFIX} không lập được chỉ mục tìm kiếm (Pagefind): {exc}") from exc
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    log.info("%s đã lập chỉ mục tìm kiếm cho %d bài viết trong %s/", LOG_PREFIX, pages, bundle.name)
    return pages
