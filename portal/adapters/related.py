"""related: the "Tin liên quan" box under each article.

Owns: editor-picked related articles (``Related:`` field, checked), the
computed ones that fill the box up to RELATED_MAX (kept for the next build
while their inputs stay the same: core/related/memo.py), and /related.json.
The scoring lives in ``index.py`` and knows documents, not Pelican; this
module only turns articles into documents and results back into articles.
"""
from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from portal.core.related import curated, memo
from portal.core.related.index import Config, Document, RelatedIndex, news_text
from portal.core.related.settings import FEATURE
from portal.core.settings import fill

log = logging.getLogger("portal.related")
LOG_PREFIX = "[related]"

TAG = re.compile(r"<[^>]+>")
PEOPLE_PLUGIN = "portal.adapters.people"
MEMO_FILE = "related.json"


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


class MissingPeople(RuntimeError):
    """The people feature is enabled but has not joined the articles yet."""


def people_of(article, people_enabled: bool) -> list[str]:
    """Who the article is about: registry keys (namesakes stay apart), else names as written
    (``people_entries``, owned by people)."""
    if not people_enabled:
        return list(getattr(article, "people", None) or [])
    entries = getattr(article, "people_entries", None)
    if entries is None:
        raise MissingPeople(
            "related cần danh sách nhân vật của people: hãy đặt 'portal.adapters.people' "
            "trước 'portal.adapters.related' trong PLUGINS"
        )
    return [entry.key or entry.name for entry in entries]


def document_for(article, text_syllables: int, people_enabled: bool) -> Document:
    keywords = [("person", name.casefold()) for name in people_of(article, people_enabled)]
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


def relate(articles: list, drafts: list, settings: dict) -> dict[str, list[str]]:
    """Set ``related_articles`` on ``articles`` (and on ``drafts`` when the preview shows them): the
    editor's picks, then the computed ones up to RELATED_MAX. Returns each article's list by address,
    as /related.json has them. ``RelatedGenerator`` calls it, and the quick rebuild when an edited
    article's indexed text changed."""
    picked = curated.resolve(articles, drafts)
    config = Config.from_settings(settings)
    # Two articles at one URL are reported by content_schema; index the first.
    by_url = {}
    for article in articles:
        by_url.setdefault(article.url, article)
    people_enabled = PEOPLE_PLUGIN in settings["PLUGINS"]
    # The preview (DRAFT_SAVE_AS set) shows drafts with their "Tin liên quan" too: they
    # join the index, and no published article lists a draft. Drafts have no
    # people_entries, so their declared People are used.
    drafts = [d for d in drafts if d.url not in by_url] if settings.get("DRAFT_SAVE_AS") else []
    documents = [document_for(a, config.text_syllables, people_enabled) for a in by_url.values()] \
        + [document_for(d, config.text_syllables, False) for d in drafts]
    limit = settings["RELATED_MAX"]
    chosen = {a.url: picked[id(a)] for a in articles}
    draft_urls = [d.url for d in drafts]
    exclude = {
        **{url: [a.url for a in c] + draft_urls for url, c in chosen.items()},
        **{d.url: draft_urls for d in drafts},
    }
    kept_at = _memo_file(settings)
    key = memo.key_of(documents, config, limit, exclude) if kept_at else ""
    computed = memo.load(kept_at, key) if kept_at else None
    if computed is None:
        computed = RelatedIndex(documents, config).all_related(limit, exclude=exclude)
        if kept_at:
            memo.save(kept_at, key, computed)
    for draft in drafts:
        draft.related_articles = [by_url[m.id] for m in computed.get(draft.url, [])]
    lists: dict[str, list[str]] = {}
    for article in articles:
        mine = chosen[article.url]
        fill = computed.get(article.url, [])[: max(0, limit - len(mine))]
        article.related_articles = mine + [by_url[m.id] for m in fill]
        lists["/" + article.url] = ["/" + other.url for other in article.related_articles]
    log.debug("%s %d articles, %d with related articles", LOG_PREFIX, len(articles),
              sum(1 for urls in lists.values() if urls))
    return lists


def lists_json(lists: dict[str, list[str]]) -> str:
    """/related.json's text."""
    return json.dumps(lists, ensure_ascii=False, sort_keys=True, indent=0)


class RelatedGenerator(Generator):
    """Runs after the articles generator: sets ``article.related_articles``."""

    def generate_context(self) -> None:
        self.lists = relate(list(self.context.get("articles", [])), self.context.get("drafts", []), self.settings)

    def generate_output(self, writer) -> None:
        save_as = self.settings["RELATED_JSON_SAVE_AS"]
        if not save_as:
            return
        target = Path(self.output_path) / save_as
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(lists_json(self.lists), encoding="utf-8")


def _memo_file(settings: dict) -> Path | None:
    """Where the lists are kept for the next build (the incremental build's cache folder; none in a
    plain Pelican run)."""
    folder = settings.get("BUILD_CACHE_PATH")
    return Path(folder) / MEMO_FILE if folder and settings.get("BUILD_INCREMENTAL", True) else None


def _get_generators(_pelican):
    return RelatedGenerator


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.get_generators.connect(_get_generators)

