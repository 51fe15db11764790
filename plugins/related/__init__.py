"""related: the "Tin liên quan" box under each article.

Owns: editor-picked related articles (``Related:`` field, checked), the
computed ones that fill the box up to RELATED_MAX, and /related.json.
The scoring lives in ``index.py`` and knows documents, not Pelican; this
module only turns articles into documents and results back into articles.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from . import curated
from .index import DEFAULT_WEIGHTS, Config, Document, RelatedIndex, news_text

log = logging.getLogger("portal.related")
LOG_PREFIX = "[related]"

DEFAULTS = {
    "RELATED_MAX": 5,
    # Only older news by default: a page's box then never changes when newer news is added.
    "RELATED_INCLUDE_NEWER": False,
    # Merged over the defaults: setting {"person": 5.0} keeps the other weights.
    "RELATED_WEIGHTS": dict(DEFAULT_WEIGHTS),
    "RELATED_HALF_LIFE_DAYS": 365,
    "RELATED_MIN_SCORE": 0.6,
    "RELATED_MAX_DF": 0.05,
    "RELATED_POSTINGS_CAP": 200,
    "RELATED_TERMS_PER_DOC": 20,
    "RELATED_CANDIDATES": 20,
    "RELATED_TEXT_SYLLABLES": 250,
    "RELATED_JSON_SAVE_AS": "related.json",
    # Processes for sites of 2.000+ articles (forked, Linux); 1 = in-process.
    "RELATED_WORKERS": min(2, os.cpu_count() or 1),
}

TAG = re.compile(r"<[^>]+>")


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def config_from(settings: dict) -> Config:
    return Config(
        weights={**DEFAULT_WEIGHTS, **settings["RELATED_WEIGHTS"]},
        half_life_days=settings["RELATED_HALF_LIFE_DAYS"],
        min_score=settings["RELATED_MIN_SCORE"],
        max_df=settings["RELATED_MAX_DF"],
        postings_cap=settings["RELATED_POSTINGS_CAP"],
        terms_per_doc=settings["RELATED_TERMS_PER_DOC"],
        candidates=settings["RELATED_CANDIDATES"],
        text_syllables=settings["RELATED_TEXT_SYLLABLES"],
        include_newer=settings["RELATED_INCLUDE_NEWER"],
        workers=settings["RELATED_WORKERS"],
    )


def people_of(article) -> list[str]:
    # When the people plugin runs first (PLUGINS order), this already holds the
    # names it detected in the text, spelled the registry's way.
    return list(getattr(article, "people", None) or [])


def document_for(article, text_syllables: int) -> Document:
    keywords = [("person", name.casefold()) for name in people_of(article)]
    keywords += [("tag", tag.slug) for tag in getattr(article, "tags", None) or []]
    keywords.append(("category", article.category.slug))
    # Only the beginning of the body is indexed: no need to strip all of it.
    body = html.unescape(TAG.sub(" ", article.content[: text_syllables * 16]))
    return Document(
        id=article.url,
        date=article.date,
        keywords=tuple(keywords),
        text=news_text(article.title, getattr(article, "summary", "") or "", body),
    )


class RelatedGenerator(Generator):
    """Runs after the articles generator: sets ``article.related_articles``."""

    def generate_context(self) -> None:
        settings = apply_defaults(self.settings)
        articles = list(self.context.get("articles", []))
        picked = curated.resolve(articles, self.context.get("drafts", []))
        config = config_from(settings)
        # Two articles at one URL are reported by content_schema; index the first.
        by_url = {}
        for article in articles:
            by_url.setdefault(article.url, article)
        index = RelatedIndex((document_for(a, config.text_syllables) for a in by_url.values()), config)
        limit = settings["RELATED_MAX"]
        chosen = {a.url: picked[id(a)] for a in articles}
        computed = index.all_related(limit, exclude={url: [a.url for a in c] for url, c in chosen.items()})
        self.lists: dict[str, list[str]] = {}
        for article in articles:
            mine = chosen[article.url]
            fill = computed.get(article.url, [])[: max(0, limit - len(mine))]
            article.related_articles = mine + [by_url[m.id] for m in fill]
            self.lists["/" + article.url] = ["/" + other.url for other in article.related_articles]
        log.debug("%s %d articles, %d with related articles", LOG_PREFIX, len(articles),
                  sum(1 for urls in self.lists.values() if urls))

    def generate_output(self, writer) -> None:
        save_as = self.settings["RELATED_JSON_SAVE_AS"]
        if not save_as:
            return
        target = Path(self.output_path) / save_as
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(self.lists, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")


def _get_generators(_pelican):
    return RelatedGenerator


def register() -> None:
    signals.get_generators.connect(_get_generators)


__all__ = ["register", "apply_defaults", "RelatedGenerator"]
