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
    return Counter(index_words(f"{record.lead} {record.body}"))


def word_ranks(records: Iterable[SearchRecord], counts: Iterable[Counter] | None = None) -> dict[str, int]:
    """Rank of each word by the number of articles that use it, most common first."""
    used_by = Counter()
    for words in counts if counts is not None else map(word_counts, records):
        used_by.update(words.keys())
    ordered = sorted(used_by.items(), key=lambda item: (-item[1], item[0]))
    return {word: rank for rank, (word, _) in enumerate(ordered)}


def _indexed_text(counts: Counter, ranks: dict[str, int], repeats: int, fold_weight: float) -> str:
    parts = []
    for word in sorted(counts, key=lambda w: (ranks.get(w, len(ranks)), w)):
        parts.append(escape(" ".join([word] * min(repeats, counts[word]))))
        if "đ" in word:
            parts.append(f'<span data-pagefind-weight="{fold_weight}">{escape(fold(word))}</span>')
    return " ".join(parts)


def record_html(record: SearchRecord, ranks: dict[str, int], settings: dict, counts: Counter | None = None) -> str:
    """The page Pagefind reads for ``record`` (see the module docstring); ``counts``: its ``word_counts``."""
    counts = word_counts(record) if counts is None else counts
    text = _indexed_text(counts, ranks, settings["SEARCH_WORD_REPEATS"], settings["SEARCH_FOLD_BODY_WEIGHT"])
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
