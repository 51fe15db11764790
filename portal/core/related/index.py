"""Related-document index: knows documents, not the site.

A document is an id, a date, keywords with a kind ("person", "tag",
"category"...) and plain text. Scoring a candidate ``c`` for a document ``d``:

    score = (w_text * cosine(d, c) + sum of w_kind * rarity for shared keywords) * decay

``cosine`` is TF-IDF over syllables and syllable bigrams (see tokens.py);
``decay`` halves every ``half_life_days`` between the two dates, so that
nearby news wins ties.

Time and memory stay close to linear in the number of documents:

* each document keeps only its ``terms_per_doc`` heaviest terms, and terms in
  one document only or in more than ``max_df`` of all documents are dropped
  (they cannot link two documents, or link everything: "của", "tỉnh"...);
* candidates come from inverted lists, and at most ``postings_cap`` entries of
  a list are scanned per query: the ones nearest in time;
* keywords in too many documents (a category of a five-category site) are not
  used to find candidates, only to score the candidates found otherwise;
* only the ``candidates`` documents sharing most terms are scored exactly,
  plus the few nearest in time per shared keyword.
"""
from __future__ import annotations

import gc
import math
from bisect import bisect_left
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from operator import itemgetter
from typing import Iterable, Mapping

from portal.core import parallel

from .settings import DEFAULT_WEIGHTS, DEFAULTS
from .tokens import TERM_SEPARATOR, Counted, packed, syllables, term_counts

# Below this many documents nothing is "too common": a small site would
# otherwise lose every shared word.
MIN_COMMON_DF = 20
# Forking workers costs tens of milliseconds: not worth it for small sites.
PARALLEL_FROM = 2000


@dataclass(frozen=True)
class Document:
    id: str
    date: datetime
    keywords: tuple[tuple[str, str], ...] = ()
    text: str = ""
    # Its text's terms, counted before (``Counted.of(text, text_syllables)``): then the text is not read.
    counted: Counted | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Config:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    half_life_days: float | None = DEFAULTS["RELATED_HALF_LIFE_DAYS"]
    min_score: float = DEFAULTS["RELATED_MIN_SCORE"]
    max_df: float = DEFAULTS["RELATED_MAX_DF"]
    postings_cap: int = DEFAULTS["RELATED_POSTINGS_CAP"]
    terms_per_doc: int = DEFAULTS["RELATED_TERMS_PER_DOC"]
    candidates: int = DEFAULTS["RELATED_CANDIDATES"]
    text_syllables: int = DEFAULTS["RELATED_TEXT_SYLLABLES"]
    include_newer: bool = DEFAULTS["RELATED_INCLUDE_NEWER"]
    workers: int = DEFAULTS["RELATED_WORKERS"]  # processes; used from PARALLEL_FROM documents on

    @classmethod
    def from_settings(cls, settings: dict) -> "Config":
        return cls(
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


@dataclass(frozen=True)
class Match:
    id: str
    score: float


def news_text(title: str, lead: str, body: str) -> str:
    """The text to index for a news article: the title and lead say most, count them twice."""
    return "\n".join((title, title, lead, lead, body))


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while the index is built or queried.

    Both allocate millions of small objects that form no cycles (terms,
    counters, posting lists): each collection rescans all the long-lived ones,
    which made querying 50k documents superlinear (and makes forked workers
    touch, hence copy, every inherited page). Nothing here needs the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class RelatedIndex:
    """Finds, for any indexed document, the best-scoring other documents."""

    def __init__(self, documents: Iterable[Document], config: Config = Config()):
        self.config = config
        docs = sorted(documents, key=lambda d: (d.date, d.id))
        self.ids = [d.id for d in docs]
        self._rank = {doc_id: rank for rank, doc_id in enumerate(self.ids)}
        if len(self._rank) != len(docs):
            raise ValueError("document ids must be unique")
        self._days = [d.date.timestamp() / 86400 for d in docs]
        self._common = max(config.max_df * len(docs), MIN_COMMON_DF)
        with _collector_paused():
            self._vectors, self._term_postings = self._index_text(docs)
            self._keywords, self._keyword_postings, self._keyword_weight = self._index_keywords(docs)
        half_life = config.half_life_days
        self._decay_rate = math.log(2) / half_life if half_life else 0.0

    # --- building --------------------------------------------------------
    def _workers(self, count: int) -> int:
        return self.config.workers if count >= PARALLEL_FROM else 1

    def _index_text(self, docs: list[Document]) -> tuple[list[dict[bytes, float]], dict[bytes, list[int]]]:
        limit, workers = self.config.text_syllables, self._workers(len(docs))
        tf_weight = [0.0] + [1 + math.log(n) for n in range(1, limit + 1)]
        keep = self.config.terms_per_doc

        def weigh(chunk: list[Document]):
            # Each text is tokenised once: its counts stay in this process
            # while all chunks' document frequencies are merged into the idf.
            # They wait packed (the terms in one bytes, the counts in an array):
            # a Counter per text held ~40 KB, 200 MiB for half of 10.000 texts.
            frequency: Counter = Counter()
            kept = []
            for doc in chunk:
                if doc.counted is None:
                    terms = term_counts(syllables(doc.text, limit))
                    frequency.update(terms.keys())
                    kept.append(packed(terms))
                    continue
                if doc.counted.limit != limit:
                    raise ValueError(f"{doc.id}: terms counted from {doc.counted.limit} syllables, not {limit}")
                if doc.counted.counts:  # an empty text's joined terms split into one empty term
                    frequency.update(doc.counted.joined.split(TERM_SEPARATOR))
                kept.append((doc.counted.joined, doc.counted.counts))
            weight_of = (yield frequency).get
            vectors = []
            for joined, tfs in kept:
                # One look-up per term in the (large, cache-unfriendly) idf table.
                weights = {
                    term: tf_weight[count] * weight
                    for term, count in zip(joined.split(TERM_SEPARATOR), tfs)
                    if (weight := weight_of(term)) is not None
                }
                # Sorting plain floats is several times faster than sorting
                # (weight, term) pairs: find the lightest weight kept first,
                # then sort only the pairs at least that heavy.
                floor = sorted(weights.values(), reverse=True)[keep - 1] if len(weights) > keep else 0.0
                weighted = sorted([(-w, term) for term, w in weights.items() if w >= floor])
                del weighted[keep:]  # heaviest first; ties by term, whatever the hash seed
                norm = math.sqrt(math.fsum(w * w for w, _ in weighted)) or 1.0
                vectors.append({t: -w / norm for w, t in weighted})
            yield vectors

        total, common = len(docs), self._common

        def idf(frequencies: list[Counter]) -> dict[bytes, float]:
            document_frequency = frequencies[0]
            for frequency in frequencies[1:]:
                document_frequency.update(frequency)
            return {
                term: math.log(total / df)
                for term, df in document_frequency.items()
                if 2 <= df <= common
            }

        vectors: list[dict[bytes, float]] = []
        for part in parallel.converse(weigh, parallel.split(docs, workers), workers, idf):
            vectors += part
        postings: dict[bytes, list[int]] = {}
        for rank, vector in enumerate(vectors):
            for term in vector:
                postings.setdefault(term, []).append(rank)
        return vectors, postings

    def _index_keywords(self, docs: list[Document]) -> tuple[list[frozenset], dict, dict]:
        keywords = [frozenset(doc.keywords) for doc in docs]
        postings: dict[tuple[str, str], list[int]] = {}
        for rank, doc in enumerate(docs):
            for keyword in dict.fromkeys(doc.keywords):
                postings.setdefault(keyword, []).append(rank)
        # A keyword on every other page (the province's leader, a big
        # category) says less than one on a handful: scale by a smooth idf in (0, 1].
        total = len(docs)
        weights = self.config.weights
        scale = math.log(1 + total)
        weight = {
            keyword: weights.get(keyword[0], 0.0) * math.log(1 + total / len(ranks)) / scale
            for keyword, ranks in postings.items()
        }
        return keywords, postings, weight

    # --- querying --------------------------------------------------------
    def related(self, doc_id: str, limit: int, exclude: Iterable[str] = ()) -> list[Match]:
        """Up to ``limit`` best other documents, best first (ties: newer, then id)."""
        if limit <= 0:
            return []
        rank = self._rank[doc_id]
        excluded = {self._rank[e] for e in exclude if e in self._rank}
        pool = self._candidates(rank, limit + len(excluded))
        pool.discard(rank)
        pool -= excluded
        days, ids, vectors, keywords = self._days, self.ids, self._vectors, self._keywords
        mine, my_keywords, my_day = vectors[rank], keywords[rank], days[rank]
        mine_terms = mine.keys()
        text_weight, keyword_weight = self.config.weights.get("text", 0.0), self._keyword_weight
        rate, fsum, exp = self._decay_rate, math.fsum, math.exp
        scored = []
        for other in pool:
            theirs = vectors[other]
            # fsum is exact: a score does not depend on set iteration order.
            terms = mine_terms & theirs.keys()
            score = text_weight * fsum([mine[t] * theirs[t] for t in terms]) if terms else 0.0
            shared = my_keywords & keywords[other]
            if shared:
                score += fsum([keyword_weight[k] for k in shared])
            score *= exp(-rate * abs(my_day - days[other]))
            if score >= self.config.min_score:
                scored.append((-score, -days[other], ids[other], other))
        scored.sort()
        return [Match(doc, -score) for score, _, doc, _ in scored[:limit]]

    def all_related(self, limit: int, exclude: Mapping[str, Iterable[str]] = {}) -> dict[str, list[Match]]:
        """``related`` for every document, ``exclude`` giving each one's ids to leave out."""
        workers = self._workers(len(self.ids))
        found: dict[str, list[Match]] = {}
        with _collector_paused():
            for part in parallel.map_chunks(
                lambda chunk: [self.related(doc_id, limit, exclude.get(doc_id, ())) for doc_id in chunk],
                parallel.split(self.ids, workers), workers,
            ):
                found.update(zip(self.ids[len(found):], part))
        return found

    def _window(self, postings: list[int], rank: int, size: int) -> list[int]:
        """The ``size`` entries of an inverted list nearest in time to ``rank``."""
        if self.config.include_newer:
            if len(postings) <= size:
                return postings  # most lists: rare terms, short
            here = bisect_left(postings, rank)
            start = max(0, min(here - size // 2, len(postings) - size - 1))
            return postings[start: start + size + 1]
        here = bisect_left(postings, rank)
        return postings[max(0, here - size): here]

    def _candidates(self, rank: int, wanted: int) -> set[int]:
        cap, postings = self.config.postings_cap, self._term_postings
        # One Counter over all windows: one call into C instead of one per term.
        shared = Counter(chain.from_iterable(self._window(postings[term], rank, cap) for term in self._vectors[rank]))
        # Same as most_common(n) (a stable sort), faster on a few hundred entries.
        best = sorted(shared.items(), key=itemgetter(1), reverse=True)[: self.config.candidates + 1]
        pool = {other for other, _ in best}
        # Among documents sharing only a keyword the decay prefers the
        # nearest in time, so a few nearest per keyword are enough.
        for keyword in self._keywords[rank]:
            postings = self._keyword_postings[keyword]
            if len(postings) <= self._common:
                pool.update(self._window(postings, rank, wanted))
        return pool
