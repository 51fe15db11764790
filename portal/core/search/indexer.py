"""The Pagefind bundle of the published articles, written into the site being built.

Pagefind reads one small page per article (records.record_html), written to a
scratch folder at the article's own path, so each result links to the article.
The `pagefind` command (the binary of PyPI's pagefind[bin]) indexes that folder
in one run. Not its Python API: that talks to the same binary through a
service that answers one request per 0.1 s (a page per request: 225 s for
2.000 pages, against 22 s for the folder), needs 7 % more memory for the same
bundle, and can wait forever when the binary dies instead of failing.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from pagefind_bin import get_executable

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


def pagefind_command() -> str:
    # PAGEFIND_BINARY_PATH: the variable Pagefind's own Python package reads to use another binary.
    return os.environ.get("PAGEFIND_BINARY_PATH") or str(get_executable())


def _index(pages: Path, bundle: Path, language: str) -> int:
    command = [pagefind_command(), "--site", str(pages), "--output-path", str(bundle),
               "--force-language", language]
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace")
    except OSError as exc:
        raise SearchIndexError(f"{LOG_PREFIX} không chạy được Pagefind ({command[0]}): {exc}") from exc
    if done.returncode:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-5:]
        raise SearchIndexError(f"{LOG_PREFIX} không lập được chỉ mục tìm kiếm (Pagefind, mã {done.returncode})"
                               + (": " + " / ".join(said) if said else ""))
    found = re.findall(r"Indexed (\d+) page", done.stdout)  # the last one: the total
    return int(found[-1]) if found else 0


def build_index(records: list[SearchRecord], bundle: Path, settings: dict) -> int:
    """Write the Pagefind bundle for ``records`` into ``bundle``; returns the number of pages.

    ``settings`` holds the SEARCH_ settings (``settings.FEATURE``).
    """
    with tempfile.TemporaryDirectory(prefix="portal-search-") as scratch:
        write_pages(records, Path(scratch), settings)
        pages = _index(Path(scratch), bundle.resolve(), settings["SEARCH_LANGUAGE"])
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    log.info("%s đã lập chỉ mục tìm kiếm cho %d bài viết trong %s/", LOG_PREFIX, pages, bundle.name)
    return pages
