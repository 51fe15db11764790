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
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping

from pelican import signals
from pelican.generators import Generator

from portal.core.related import curated, memo
from portal.core.related.index import Config, Document, RelatedIndex, Weighed, news_text
from portal.core.related.settings import FEATURE
from portal.core.related.tokens import Counted, text_chars
from portal.core.settings import fill

log = logging.getLogger("portal.related")
LOG_PREFIX = "[related]"

# What the index reads of a body is its text: tags are word breaks, and a <video> element, which the
# images step puts where the editor's video was (its download link has words), is nothing. So the
# same words come out before that step (the related lists of a build) and after it (the quick rebuild).
NOT_TEXT = re.compile(r"<(?:video\b.*?</video\s*|[^>]*)>", re.S)
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
    body = leading_text(article.content, text_chars(text_syllables))
    return Document(
        id=article.url,
        date=article.date,
        keywords=tuple(keywords),
        text=news_text(article.title, getattr(article, "summary", "") or "", body),
    )


def leading_text(markup: str, wanted: int) -> str:
    """The text at the start of ``markup``, about ``wanted`` characters of it (only the beginning of a
    body is indexed: no need to go through all of it), the same whatever its tags are."""
    pieces, found, start = [], 0, 0
    for match in NOT_TEXT.finditer(markup):
        # One space where a tag was, however much space is around it (a link put around a name).
        piece, start = markup[start:match.start()].strip(), match.end()
        if piece:
            pieces.append(piece)
            found += len(piece)
            if found >= wanted:
                break
    else:
        pieces.append(markup[start:].strip())
    return html.unescape(" ".join(pieces))


def relate(articles: list, drafts: list, settings: dict, known: Mapping[str, Document] | None = None,
           later: Callable[[Callable[[], None]], None] | None = None,
           weighed: Weighed | None = None) -> dict[str, list[str]]:
    """Set ``related_articles`` on ``articles`` (and on ``drafts`` when the preview shows them): the
    editor's picks, then the computed ones up to RELATED_MAX. Returns each article's list by address,
    as /related.json has them. ``RelatedGenerator`` calls it, and the quick rebuild when an edited
    article's indexed text changed: with the documents it kept of the others (``known``, by address,
    their terms counted: ``counted_documents``), the weights of the full build's index
    (``weights_of``), and ``later``, which takes the keeping of the lists for the next build, to do
    once the pages are in place."""
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
    known = known or {}
    documents = [known.get(url) or document_for(a, config.text_syllables, people_enabled) for url, a in by_url.items()] \
        + [document_for(d, config.text_syllables, False) for d in drafts]
    limit = settings["RELATED_MAX"]
    chosen = {a.url: picked[id(a)] for a in articles}
    draft_urls = [d.url for d in drafts]
    exclude = {
        **{url: [a.url for a in c] + draft_urls for url, c in chosen.items()},
        **{d.url: draft_urls for d in drafts},
    }
    kept_at = _memo_file(settings)
    # The quick rebuild finds the lists again whatever the memo holds: keying it can wait too.
    key = memo.key_of(documents, config, limit, exclude) if kept_at and later is None else ""
    computed = memo.load(kept_at, key) if key else None
    if computed is None:
        computed = RelatedIndex(documents, config, weighed).all_related(limit, exclude=exclude)
        if kept_at:
            def keep() -> None:
                memo.save(kept_at, key or memo.key_of(documents, config, limit, exclude), computed)
            (later or _now)(keep)
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


def _now(job: Callable[[], None]) -> None:
    job()


def counted_documents(articles: list, settings: dict) -> dict[str, Document]:
    """What ``relate`` indexes of each published article, by address, its terms counted and its text
    left out (the quick rebuild keeps them: ``known``)."""
    limit = Config.from_settings(settings).text_syllables
    people_enabled = PEOPLE_PLUGIN in settings["PLUGINS"]
    documents = {}
    for article in articles:
        if article.url not in documents:
            document = document_for(article, limit, people_enabled)
            documents[article.url] = replace(document, text="", counted=Counted.of(document.text, limit))
    return documents


def weights_of(documents: Mapping[str, Document], settings: dict) -> Weighed | None:
    """The text weights of the index of ``documents`` (``counted_documents``): what the quick rebuild's
    index starts from, weighing again only the texts an edit can change."""
    return RelatedIndex(documents.values(), Config.from_settings(settings)).weighed


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

