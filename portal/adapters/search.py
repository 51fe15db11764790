"""search: in-browser search with Pagefind that understands Vietnamese typed
without diacritics ("dang uy khoi" finds "Đảng ủy Khối").

Owns: the /tim-kiem/ page (direct template ``search``) and the Pagefind bundle,
started when the content is final and the writing begins (signal
``get_writer``), into the site being built, from the published articles only.
With SEARCH_BACKGROUND the indexing runs in a forked process while Pelican
writes the pages, and the build waits for it on ``finalized``: a failed index
fails the build. What Pagefind indexes is decided in records.py; the
query side lives in theme/static/js/search.js.
"""
from __future__ import annotations

import time
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator

from portal.adapters import pages_written
from portal.core.search import background, indexer
from portal.core.search.records import SearchRecord
from portal.core.search.settings import FEATURE, LOG_PREFIX, log
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


# The indexing job of the build in progress (one build at a time per process),
# and the articles generator it reads, kept from the end of the reading phase.
_job: background.Job | None = None
_bundle: list = []  # [bundle folder, cache folder] of the build in progress
_articles_generator: ArticlesGenerator | None = None


def _fill_settings(pelican) -> None:
    global _articles_generator
    _cancel()  # a previous build in this process (`portal serve`) stopped before waiting
    _articles_generator = None
    fill(pelican.settings, FEATURE)


def _cancel() -> None:
    global _job
    job, _job = _job, None
    if job is not None:
        job.cancel()


def _keep_articles(generators) -> None:
    global _articles_generator
    _articles_generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)


def _index_articles(pelican) -> None:
    """On ``get_writer``: the content is read, checked and final (people linked, photos
    resolved), and no page is written yet. `make check` stops before this signal."""
    global _job, _articles_generator
    generator, _articles_generator = _articles_generator, None
    if generator is None:
        return
    # generator.articles holds published articles only: drafts are never indexed.
    articles, settings = list(generator.articles), generator.settings
    bundle = Path(generator.output_path) / settings["SEARCH_BUNDLE_DIR"]

    # A rebuild links each part of the index whose records are those of the last good output.
    kept = indexer.reusable_parts(settings.get("BUILD_CACHE_PATH", ""), settings.get("BUILD_PREVIOUS_OUTPUT", ""),
                                  settings["SEARCH_BUNDLE_DIR"]) if settings.get("BUILD_INCREMENTAL") else {}

    def work() -> list[str]:
        # By address: Pelican reads files in set order, so articles of the same minute come in any order.
        records = sorted((record_of(article) for article in articles), key=lambda record: record.save_as)
        return indexer.build_index(records, bundle, settings, kept)

    # The search page tells the browser how many parts to merge.
    generator.context["SEARCH_PARTS"] = indexer.part_count([a.save_as for a in articles], settings["SEARCH_PART_SIZE"])
    _bundle[:] = [bundle, settings.get("BUILD_CACHE_PATH", "")]

    _cancel()
    _job = background.Job(work) if settings["SEARCH_BACKGROUND"] else background.Job.done(work)


def _wait_for_index(pelican) -> None:
    global _job
    pages_written.send(pelican)  # PLUGINS order: images and everything before search have finished
    job, _job = _job, None
    if job is not None:
        started = time.perf_counter()
        try:
            keys = job.wait()
        except background.BackgroundError as error:
            message = str(error)
            if not message.startswith(LOG_PREFIX):
                message = f"{LOG_PREFIX} không lập được chỉ mục tìm kiếm: {message}"
            raise indexer.SearchIndexError(message) from error
        bundle, cache_dir = _bundle
        indexer.remember_parts(cache_dir, bundle, keys)
        # How long the pages waited for their index: the part of it not hidden by the page writing.
        log.info("%s các trang chờ chỉ mục thêm %.1f giây", LOG_PREFIX, time.perf_counter() - started)


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.all_generators_finalized.connect(_keep_articles)
    signals.get_writer.connect(_index_articles)
    signals.finalized.connect(_wait_for_index)
