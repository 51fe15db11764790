"""search: in-browser search with Pagefind that understands Vietnamese typed
without diacritics ("dang uy khoi" finds "Đảng ủy Khối").

Owns: the /tim-kiem/ page (direct template ``search``), the folded spellings of
đ-words attached to each published article (``article.search_fold``, rendered by
partials/search_fold.html) and the post-build step ``search:build_index`` that
writes the Pagefind bundle. The query side lives in theme/static/js/search.js.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from pelican import signals

from .folding import fold, folded_d_words
from .indexer import build_index
from .settings import DEFAULTS, LOG_PREFIX, apply_defaults, log

__all__ = ["DEFAULTS", "LOG_PREFIX", "apply_defaults", "build_index", "fold", "fold_article", "folded_d_words", "log", "register"]


@dataclass(frozen=True)
class SearchFold:
    """Folded đ-words of one article, split by the weight they are indexed with."""

    title: str
    body: str

    def __bool__(self) -> bool:
        return bool(self.title or self.body)


def fold_article(title: str, lead: str, body_html: str) -> SearchFold:
    return SearchFold(folded_d_words(title), folded_d_words(f"{lead} {Markup(body_html).striptags()}"))


def _initialized(pelican) -> None:
    apply_defaults(pelican.settings)


def _attach_folds(generator) -> None:
    # Published articles only: drafts are never indexed.
    for article in generator.articles:
        article.search_fold = fold_article(article.title, getattr(article, "summary", "") or "", article.content)


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.article_generator_finalized.connect(_attach_folds)
