"""What Pagefind indexes for one article (pure: knows texts, not the site).

Why not Pagefind's own reading of the article pages: Pagefind stores every
position of every word, and a query loads, per word, the index chunk holding
that word. Vietnamese words are syllables, so the common ones ("đảng", "ủy",
"khối") occur many times in nearly every article; at 10.000 articles one such
word made a chunk of 300–400 KB. Worse, Pagefind sizes its chunks by counting
only the postings of a word's plain spelling ("uy"), not those of the spellings
with marks ("ủy", "úy"...), which is nearly all of Vietnamese: its chunks grew
unbounded. So the page Pagefind reads is made here:

- the words of lead and body, tone and vowel marks removed (đ kept: Pagefind
  itself folds marks but not đ), each distinct word at most
  SEARCH_WORD_REPEATS times (relevance saturates: the 10th "Đảng" adds little),
  most common words first, so a common word sits at a similar position in
  every article and its postings compress well;
- after each word with đ, its folded spelling ("dang") with a lower weight, so
  "dang uy khoi" finds "Đảng ủy Khối";
- the title's đ-words folded, with a weight below the title's;
- then a mark, and the title and lead as written: they are shown in results,
  and their exact spelling lets "Đảng" rank before "đang".
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from itertools import repeat

from .folding import fold, folded_d_words, without_marks

# Punctuation around a word; inside one ("20/12", "COVID-19") Pagefind decides.
_EDGE_PUNCTUATION = "\"'“”‘’.,;:!?()[]{}…-–—«»"


@dataclass(frozen=True)
class SearchRecord:
    """One published article, as the search needs it."""

    save_as: str  # the article's file in the site: its search result address
    title: str
    lead: str
    body: str  # plain text
    category: str
    year: int
    day: str  # YYYYMMDD, shown in results


def index_words(text: str) -> list[str]:
    """The words of ``text`` as the index keeps them: lower case, no marks, no edge punctuation."""
    # Marks are removed from the whole text at once; no edge punctuation carries one.
    words = (token.strip(_EDGE_PUNCTUATION) for token in without_marks(text).split())
    return [word for word in words if word]


def word_counts(record: SearchRecord) -> Counter:
    """How often each index word occurs in the lead and body of ``record``."""
    # index_words, counted without building the list (str.strip mapped in C).
    tokens = without_marks(f"{record.lead} {record.body}").split()
    counts = Counter(map(str.strip, tokens, repeat(_EDGE_PUNCTUATION, len(tokens))))
    counts.pop("", None)
    return counts


def word_ranks(records: Iterable[SearchRecord], counts: Iterable[Counter] | None = None) -> dict[str, int]:
    """Rank of each word by the number of articles that use it, most common first."""
    used_by = Counter()
    for words in counts if counts is not None else map(word_counts, records):
        used_by.update(words.keys())
    ordered = sorted(used_by.items(), key=lambda item: (-item[1], item[0]))
    return {word: rank for rank, (word, _) in enumerate(ordered)}


class Spellings(dict):
    """Each word as written into the page (escaped), with its folded <span> if it has đ.

    Shared by all the records of a build, so each distinct word is escaped and
    folded once, not once per article that uses it.
    """

    def __init__(self, fold_weight: float):
        super().__init__()
        self.fold_weight = fold_weight

    def __missing__(self, word: str) -> tuple[str, str]:
        # The word has no marks already: folding it is turning đ into d.
        folded = f' <span data-pagefind-weight="{self.fold_weight}">{escape(word.replace("đ", "d"))}</span>'
        found = self[word] = (escape(word), folded if "đ" in word else "")
        return found


def _indexed_text(counts: Counter, ranks: dict[str, int], repeats: int, spellings: Spellings) -> str:
    if counts.keys() <= ranks.keys():  # always, within a build: ranks are unique, no tie to break
        ordered = sorted(counts, key=ranks.__getitem__)
    else:
        ordered = sorted(counts, key=lambda w: (ranks.get(w, len(ranks)), w))
    parts = []
    for word in ordered:
        written, folded = spellings[word]
        count = counts[word]
        parts.append((written if count == 1 else " ".join([written] * min(repeats, count))) + folded)
    return " ".join(parts)


def record_html(record: SearchRecord, ranks: dict[str, int], settings: dict, counts: Counter | None = None,
                spellings: Spellings | None = None) -> str:
    """The page Pagefind reads for ``record`` (see the module docstring); ``counts``: its
    ``word_counts``; ``spellings``: shared by the records of one build."""
    counts = word_counts(record) if counts is None else counts
    if spellings is None:
        spellings = Spellings(settings["SEARCH_FOLD_BODY_WEIGHT"])
    text = _indexed_text(counts, ranks, settings["SEARCH_WORD_REPEATS"], spellings)
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title></title></head><body>'
        f'<main data-pagefind-body data-category="{escape(record.category)}" data-year="{record.year}"'
        f' data-day="{record.day}" data-pagefind-filter="chuyen_muc[data-category], nam[data-year]"'
        ' data-pagefind-meta="ngay[data-day]">'
        f"<p>{text}</p>"
        f'<p data-pagefind-weight="{settings["SEARCH_FOLD_TITLE_WEIGHT"]}">{escape(folded_d_words(record.title))}</p>'
        f'<p>{escape(settings["SEARCH_FOLD_MARK"])}</p>'
        f"<h1>{escape(record.title)}</h1><p>{escape(record.lead)}</p>"
        "</main></body></html>"
    )
