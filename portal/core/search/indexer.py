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

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import astuple
from pathlib import Path

from pagefind_bin import get_executable

from portal.core.digest import Digest, code_version

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


# --- reusing the last good bundle -------------------------------------------------------------

MEMO_FILE = "search.json"
ENTRY_FILE = "pagefind-entry.json"


def records_key(records: list[SearchRecord], settings: dict) -> str:
    """What the bundle is made of: the records, the SEARCH_ settings, the code and Pagefind's version."""
    search_settings = {k: v for k, v in settings.items() if k.startswith("SEARCH_")}
    return Digest().of(code_version(), search_settings, [astuple(record) for record in records])


def _entry_digest(bundle: Path) -> str | None:
    try:
        return hashlib.sha256((bundle / ENTRY_FILE).read_bytes()).hexdigest()
    except OSError:
        return None


def reusable_bundle(cache_dir: str, previous_output: str, bundle_dir: str) -> tuple[str, Path] | None:
    """The last good output's bundle and its records key, when it is still the one indexed then."""
    if not cache_dir or not previous_output:
        return None
    bundle = Path(previous_output) / bundle_dir
    try:
        kept = json.loads((Path(cache_dir) / MEMO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("entry") is None or kept.get("entry") != _entry_digest(bundle):
        return None
    return str(kept.get("records")), bundle


def reuse_bundle(kept: Path, bundle: Path) -> None:
    """The same records give the same search: link the last good bundle's files in (a deploy sends none)."""
    if kept.resolve() == bundle.resolve():
        return  # built over the last output (the preview): the bundle is already in place

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    shutil.copytree(kept, bundle, copy_function=link)


def remember_bundle(cache_dir: str, bundle: Path, key: str) -> None:
    if not cache_dir:
        return
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f".{MEMO_FILE}.{os.getpid()}"
    scratch.write_text(json.dumps({"records": key, "entry": _entry_digest(bundle)}), encoding="utf-8")
    os.replace(scratch, folder / MEMO_FILE)
