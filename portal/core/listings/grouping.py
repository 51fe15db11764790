"""Groupings of articles for listing pages, built in one pass (linear time).

Pelican's own archive and taxonomy writers rescan the whole article list for
every period, tag, category and author; at 10k articles that is quadratic.
This index knows only documents with a date, a category, tags and authors.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable


def newest_first(articles: Iterable[Any]) -> list[Any]:
    """Deterministic order: newest first, then by slug."""
    by_slug = sorted(articles, key=lambda a: a.slug)
    return sorted(by_slug, key=lambda a: a.date, reverse=True)


class ListingIndex:
    def __init__(self, articles: Iterable[Any]):
        self.articles = newest_first(articles)
        self.by_category: dict[Any, list] = defaultdict(list)
        self.by_tag: dict[Any, list] = defaultdict(list)
        self.by_author: dict[Any, list] = defaultdict(list)
        self.by_year: dict[int, list] = defaultdict(list)
        self.by_month: dict[tuple[int, int], list] = defaultdict(list)
        self.by_day: dict[tuple[int, int, int], list] = defaultdict(list)
        for article in self.articles:
            day = article.date
            self.by_year[day.year].append(article)
            self.by_month[(day.year, day.month)].append(article)
            self.by_day[(day.year, day.month, day.day)].append(article)
            category = getattr(article, "category", None)
            if category is not None:
                self.by_category[category].append(article)
            for tag in getattr(article, "tags", None) or ():
                self.by_tag[tag].append(article)
            for author in getattr(article, "authors", None) or ():
                self.by_author[author].append(article)

    def link_neighbours(self) -> None:
        """Set ``newer_article`` / ``older_article`` ("Các tin khác")."""
        items = self.articles
        for i, article in enumerate(items):
            article.newer_article = items[i - 1] if i > 0 else None
            article.older_article = items[i + 1] if i + 1 < len(items) else None

    def featured(self) -> Any | None:
        for article in self.articles:
            if getattr(article, "featured", False):
                return article
        return self.articles[0] if self.articles else None
