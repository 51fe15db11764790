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
from typing import Iterable, Mapping, NamedTuple

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


class Weighed(NamedTuple):
    """The text side of an index, kept so that an index of the same documents, a few of their texts
    changed, weighs again only the documents whose vector can differ (the quick rebuild): a vector
    depends on its document's terms and on their document frequencies alone."""

    basis: tuple  # (text_syllables, terms_per_doc, the "too common" bound, documents): all must match
    counted: dict[str, Counted]  # each document's terms, by id
    frequency: dict[bytes, int]  # in how many documents each term is
    vectors: dict[str, dict[bytes, float]]  # each document's heaviest terms, weighed and normalised


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


def _terms(counted: Counted) -> list[bytes]:
    return counted.joined.split(TERM_SEPARATOR) if counted.counts else []  # "" joins no term


def _vector(joined: bytes, counts, weight_of, tf_weight: list[float], keep: int) -> dict[bytes, float]:
    """A text's ``keep`` heaviest terms, tf-idf weighed (``weight_of``: a term's idf, None when it
    links nothing) and normalised, heaviest first."""
    # One look-up per term in the (large, cache-unfriendly) idf table.
    weights = {
        term: tf_weight[count] * weight
        for term, count in zip(joined.split(TERM_SEPARATOR), counts)
        if (weight := weight_of(term)) is not None
    }
    # Sorting plain floats is several times faster than sorting (weight, term) pairs: find the
    # lightest weight kept first, then sort only the pairs at least that heavy.
    floor = sorted(weights.values(), reverse=True)[keep - 1] if len(weights) > keep else 0.0
    weighted = sorted([(-w, term) for term, w in weights.items() if w >= floor])
    del weighted[keep:]  # heaviest first; ties by term, whatever the hash seed
    norm = math.sqrt(math.fsum(w * w for w, _ in weighted)) or 1.0
    return {t: -w / norm for w, t in weighted}


def _postings(vectors: list[dict[bytes, float]]) -> dict[bytes, list[int]]:
    """Each term's documents, by rank (oldest first)."""
    postings: dict[bytes, list[int]] = {}
    for rank, vector in enumerate(vectors):
        for term in vector:
            postings.setdefault(term, []).append(rank)
    return postings


class RelatedIndex:
    """Finds, for any indexed document, the best-scoring other documents."""

    def __init__(self, documents: Iterable[Document], config: Config = Config(), before: Weighed | None = None):
        """``before``: the ``weighed`` of an index of the same documents (by id), some texts since
        changed; used when it was made with the same settings, otherwise every text is weighed."""
        self.config = config
        docs = sorted(documents, key=lambda d: (d.date, d.id))
        self.ids = [d.id for d in docs]
        self._rank = {doc_id: rank for rank, doc_id in enumerate(self.ids)}
        if len(self._rank) != len(docs):
            raise ValueError("document ids must be unique")
        self._days = [d.date.timestamp() / 86400 for d in docs]
        self._common = max(config.max_df * len(docs), MIN_COMMON_DF)
        self._basis = (config.text_syllables, config.terms_per_doc, self._common, len(docs))
        # What the next index can start from (when every text came counted and was weighed), and how
        # many texts this one weighed.
        self.weighed: Weighed | None = None
        self.texts_weighed = len(docs)
        with _collector_paused():
            if before is not None and before.basis == self._basis and before.counted.keys() == self._rank.keys():
                vectors = self._weigh_again(docs, before)
            else:
                vectors = self._index_text(docs)
            self._vectors, self._term_postings = vectors, _postings(vectors)
            self._keywords, self._keyword_postings, self._keyword_weight = self._index_keywords(docs)
        half_life = config.half_life_days
        self._decay_rate = math.log(2) / half_life if half_life else 0.0

    # --- building --------------------------------------------------------
    def _workers(self, count: int) -> int:
        return self.config.workers if count >= PARALLEL_FROM else 1

    def _index_text(self, docs: list[Document]) -> list[dict[bytes, float]]:
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
            yield [_vector(joined, tfs, weight_of, tf_weight, keep) for joined, tfs in kept]

        total, common = len(docs), self._common
        merged: list[Counter] = []

        def idf(frequencies: list[Counter]) -> dict[bytes, float]:
            document_frequency = frequencies[0]
            for frequency in frequencies[1:]:
                document_frequency.update(frequency)
            merged.append(document_frequency)
            return {
                term: math.log(total / df)
                for term, df in document_frequency.items()
                if 2 <= df <= common
            }

        vectors: list[dict[bytes, float]] = []
        for part in parallel.converse(weigh, parallel.split(docs, workers), workers, idf):
            vectors += part
        if all(doc.counted is not None for doc in docs):
            self.weighed = Weighed(self._basis, {doc.id: doc.counted for doc in docs}, merged[0],
                                   dict(zip(self.ids, vectors)))
        return vectors

    def _weigh_again(self, docs: list[Document], before: Weighed) -> list[dict[bytes, float]]:
        """The vectors, from ``before``'s for the documents none of whose terms changed in weight:
        exactly those weighing every text would give (same counts, same frequencies, same steps)."""
        limit, keep, total, common = self.config.text_syllables, self.config.terms_per_doc, len(docs), self._common
        tf_weight = [0.0] + [1 + math.log(n) for n in range(1, limit + 1)]
        frequency = dict(before.frequency)
        counted, edited, touched = {}, set(), set()
        for doc in docs:
            now = doc.counted if doc.counted is not None else Counted.of(doc.text, limit)
            if now.limit != limit:
                raise ValueError(f"{doc.id}: terms counted from {now.limit} syllables, not {limit}")
            counted[doc.id] = now
            old = before.counted[doc.id]
            if now.digest == old.digest:
                continue
            edited.add(doc.id)
            gone, come = _terms(old), _terms(now)
            for term in gone:
                frequency[term] -= 1
            for term in come:
                frequency[term] = frequency.get(term, 0) + 1
            touched.update(gone, come)

        def idf(df: int) -> float | None:
            return math.log(total / df) if 2 <= df <= common else None

        # The terms whose weight changed; a document with none of them keeps its vector.
        moved = {term for term in touched if idf(before.frequency.get(term, 0)) != idf(frequency.get(term, 0))}
        vectors, weighed_again = [], 0
        for doc in docs:
            terms = counted[doc.id]
            if doc.id not in edited and (not moved or moved.isdisjoint(_terms(terms))):
                vectors.append(before.vectors[doc.id])
                continue
            weighed_again += 1
            vectors.append(_vector(terms.joined, terms.counts, lambda term: idf(frequency[term]), tf_weight, keep))
        self.texts_weighed = weighed_again
        return vectors

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
