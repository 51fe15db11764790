"""search: in-browser search with Pagefind that understands Vietnamese typed
without diacritics ("dang uy khoi" finds "Đảng ủy Khối").

Owns: the /tim-kiem/ page (direct template ``search``) and the Pagefind bundle,
started when the content is final and the writing begins (signal
``get_writer``), from the published articles only. With SEARCH_BACKGROUND the
indexing runs in a forked process while Pelican writes the pages, and a cold
build waits for it on ``finalized``: a failed index fails the build. A rebuild
with SEARCH_FOLLOWS does not wait (core/search/follow.py): the last index is
linked into the new output, which goes live, and the follower puts the new
parts into it afterwards. What Pagefind indexes is decided in records.py; the
query side lives in theme/static/js/search.js.
"""
from __future__ import annotations

import os
import shutil
import time
from functools import partial
from pathlib import Path
from typing import Callable

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator

from portal.adapters import build_done, pages_written
from portal.core import compression
from portal.core.search import background, follow, indexer
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
# A rebuild whose index follows it: the follower, and the last index's parts that stand in meanwhile.
_follower: follow.Follower | None = None
_stand_in: list[tuple[Path, list[str]]] = []
FOLLOWER_FOLDER = "search-next"


def _fill_settings(pelican) -> None:
    global _articles_generator
    _cancel()  # a previous build in this process (`portal serve`) stopped before waiting
    _articles_generator = None
    fill(pelican.settings, FEATURE)


def _cancel() -> None:
    global _job, _follower
    job, _job = _job, None
    if job is not None:
        job.cancel()
    follower, _follower = _follower, None
    if follower is not None:
        follower.stop()


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

    cache_dir = settings.get("BUILD_CACHE_PATH", "")
    incremental = bool(settings.get("BUILD_INCREMENTAL") and cache_dir)
    if incremental:
        _after_last_follower(Path(cache_dir))
    # A rebuild links each part of the index whose records are those of the last good output.
    previous = settings.get("BUILD_PREVIOUS_OUTPUT", "")
    kept = indexer.reusable_parts(cache_dir, previous, settings["SEARCH_BUNDLE_DIR"]) if incremental else {}
    # The search page loads the index only when there is one; how many parts it merges is in the bundle.
    generator.context["SEARCH_INDEXED"] = bool(articles)
    _bundle[:] = [bundle, cache_dir]
    _cancel()

    def records() -> list[SearchRecord]:
        # By address: Pelican reads files in set order, so articles of the same minute come in any order.
        return sorted((record_of(article) for article in articles), key=lambda record: record.save_as)

    stand_in = _stand_in_for(settings, previous) if incremental else None
    if stand_in is not None:
        _follow(settings, Path(cache_dir), Path(previous) / settings["SEARCH_BUNDLE_DIR"], records, kept, stand_in)
        return

    def prepare() -> dict:
        return indexer.prepare_index(records(), bundle, settings, kept)

    # Pagefind's runs need none of the build: the forked child becomes a fresh process for them.
    start = background.Job if settings["SEARCH_BACKGROUND"] else background.Job.done
    _job = start(prepare, then=indexer.index_parts)


def _after_last_follower(cache_dir: Path) -> None:
    """The last rebuild's index is in place (or failed) before this build looks at the index."""
    waited = time.perf_counter()
    status = follow.wait(cache_dir)
    if time.perf_counter() - waited > 0.5:
        log.info("%s đã chờ chỉ mục của lần dựng trước %.1f giây", LOG_PREFIX, time.perf_counter() - waited)
    if status.get("state") == "failed":
        log.warning("%s lần dựng trước không cập nhật được chỉ mục tìm kiếm (%s); lần này lập lại",
                    LOG_PREFIX, status.get("message", ""))
    for leftover in cache_dir.glob(f"{FOLLOWER_FOLDER}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _stand_in_for(settings: dict, previous: str) -> list[tuple[Path, list[str]]] | None:
    """The live index's parts when they can serve readers while the new index follows: a rebuild
    into a new folder (not the preview's in place); else None and the build waits for its index."""
    if not (settings["SEARCH_FOLLOWS"] and settings["SEARCH_BACKGROUND"] and previous) \
            or not hasattr(os, "fork") \
            or Path(previous).resolve() == Path(settings["OUTPUT_PATH"]).resolve():
        return None
    return indexer.live_parts(settings["BUILD_CACHE_PATH"], previous, settings["SEARCH_BUNDLE_DIR"])


def _follow(settings: dict, cache_dir: Path, live_bundle: Path, records, kept, stand_in) -> None:
    global _follower
    scratch = cache_dir / f"{FOLLOWER_FOLDER}-{os.getpid()}" / settings["SEARCH_BUNDLE_DIR"]
    compress = partial(compression.compressed_copies, settings=settings)

    def work() -> list[str]:
        return indexer.build_index(records(), scratch, settings, kept)

    def put_in_place(keys: list[str]) -> None:
        try:
            indexer.put_in_place(scratch, keys, live_bundle, os.fspath(cache_dir), compress)
        finally:
            shutil.rmtree(scratch.parent, ignore_errors=True)

    _stand_in[:] = stand_in
    _follower = follow.Follower(cache_dir, work, put_in_place)


def follow_edit(settings: dict, articles: list, output: Path) -> Callable[[], None] | None:
    """For a quick rebuild (portal/cli/quick_rebuild.py), which rewrote the pages of a few articles in
    ``output`` itself: what makes their parts of the index again and puts them into ``output``, to be
    called once those pages are in place. None when the live index cannot stand in meanwhile (it is not
    the one remembered): a full build then."""
    cache_dir = settings.get("BUILD_CACHE_PATH", "")
    if not (cache_dir and settings["SEARCH_FOLLOWS"] and settings["SEARCH_BACKGROUND"] and hasattr(os, "fork")):
        return None
    _after_last_follower(Path(cache_dir))
    live = indexer.live_parts(cache_dir, os.fspath(output), settings["SEARCH_BUNDLE_DIR"])
    if live is None:
        return None
    kept = indexer.reusable_parts(cache_dir, os.fspath(output), settings["SEARCH_BUNDLE_DIR"])

    def records() -> list[SearchRecord]:
        return sorted((record_of(article) for article in articles), key=lambda record: record.save_as)

    def start() -> None:
        _follow(settings, Path(cache_dir), output / settings["SEARCH_BUNDLE_DIR"], records, kept, live)
        _build_done(None, live=True)

    return start


def _wait_for_index(pelican) -> None:
    global _job
    pages_written.send(pelican)  # PLUGINS order: images and everything before search have finished
    if _follower is not None:
        bundle = _bundle[0]
        for part, kept in enumerate(_stand_in):
            indexer.reuse_part(kept, bundle, part)
        indexer.write_count(bundle, len(_stand_in))
        log.info("%s các trang lên trước; chỉ mục tìm kiếm mới sẽ thay chỉ mục cũ ngay sau đó", LOG_PREFIX)
        return
    job, _job = _job, None
    if job is not None:
        started = time.perf_counter()
        try:
            keys = indexer.report(job.wait())
        except background.BackgroundError as error:
            message = str(error)
            if not message.startswith(LOG_PREFIX):
                message = f"{LOG_PREFIX} không lập được chỉ mục tìm kiếm: {message}"
            raise indexer.SearchIndexError(message) from error
        bundle, cache_dir = _bundle
        indexer.remember_parts(cache_dir, bundle, keys)
        # How long the pages waited for their index: the part of it not hidden by the page writing.
        log.info("%s các trang chờ chỉ mục thêm %.1f giây", LOG_PREFIX, time.perf_counter() - started)


def _build_done(_sender, live: bool) -> None:
    """The build's output is in place (``live``), or the build failed: the follower goes or stops."""
    global _follower
    follower, _follower = _follower, None
    _stand_in.clear()
    if follower is not None:
        follower.go() if live else follower.stop()


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.all_generators_finalized.connect(_keep_articles)
    signals.get_writer.connect(_index_articles)
    signals.finalized.connect(_wait_for_index)
    build_done.connect(_build_done)
