"""Post-build step: the Pagefind index of the published articles.

Runs on the staging directory after Pelican wrote it (PORTAL_POSTBUILD), so the
index always matches the pages that are swapped into output/. Which part of a
page is indexed is decided by the theme's data-pagefind-* attributes.
"""
from __future__ import annotations

import asyncio
import re
from pathlib import Path

from pagefind.index import PagefindIndex

from .settings import LOG_PREFIX, apply_defaults, log


# Pagefind also writes its ready-made interfaces; the portal has its own
# (theme/static/js/search.js), so they would only be dead weight to publish.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    pass


def article_glob(article_save_as: str) -> str:
    """'{date:%Y}/{date:%m}/{slug}/index.html' -> '*/*/*/index.html'.

    Pagefind then parses article pages only, not the thousands of listings.
    """
    return re.sub(r"\{[^}]*\}", "*", article_save_as)


async def _index(site: Path, bundle: Path, language: str, glob: str) -> int:
    config = {"force_language": language, "output_path": str(bundle)}
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site), glob=glob)
        return int(result["page_count"])


def build_index(output_dir: Path, settings: dict) -> int:
    """Index the built site in ``output_dir``; returns the number of pages indexed."""
    apply_defaults(settings)
    site = Path(output_dir).resolve()
    bundle = site / settings["SEARCH_BUNDLE_DIR"]
    glob = article_glob(settings["ARTICLE_SAVE_AS"])
    try:
        pages = asyncio.run(_index(site, bundle, settings["SEARCH_LANGUAGE"], glob))
    except Exception as exc:  # the Pagefind service reports failures as plain exceptions
        raise SearchIndexError(f"{LOG_PREFIX} không lập được chỉ mục tìm kiếm (Pagefind): {exc}") from exc
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    log.info("%s đã lập chỉ mục tìm kiếm cho %d bài viết trong %s/", LOG_PREFIX, pages, bundle.name)
    return pages
