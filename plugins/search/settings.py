"""The search plugin's settings, log prefix and logger (shared by adapter and post-build step)."""
from __future__ import annotations

import logging

log = logging.getLogger("portal.search")
LOG_PREFIX = "[search]"

DEFAULTS = {
    "SEARCH_URL": "tim-kiem/",
    "SEARCH_SAVE_AS": "tim-kiem/index.html",  # Pelican's name for the direct template's file
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_LANGUAGE": "vi",
    # Folded spellings rank below the words as written (h1 weighs 7, text 1), so
    # an exact-diacritics match comes first.
    "SEARCH_FOLD_TITLE_WEIGHT": 5.0,
    "SEARCH_FOLD_BODY_WEIGHT": 0.5,
    # How often one word of an article's lead and body is indexed at most:
    # relevance barely grows past a few, the index does (docs/performance.md).
    "SEARCH_WORD_REPEATS": 2,
    # In Pagefind's stored content, separates the indexed words from the title
    # and lead as written, which search.js shows. Not a word: Pagefind does not
    # index it.
    "SEARCH_FOLD_MARK": "⁂",
}


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings
