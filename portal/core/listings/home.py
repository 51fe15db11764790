"""What the home page and an article's foot show, each article at most once.

Pure: knows articles only through ``slug``, ``category`` (with ``name`` and
``slug``) and identity. The home page fills its parts in reading order (lead,
latest, then one block per category in the menu's order), and every part skips
what an earlier part already shows. An article's foot does the same with
"Tin liên quan", "Tin cùng chuyên mục" and "Các tin khác".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence


@dataclass
class HomePage:
    lead: Any | None = None
    latest: list = field(default_factory=list)
    blocks: list[tuple[Any, list]] = field(default_factory=list)

    def articles(self) -> list:
        """Every article the page shows, in reading order."""
        shown = [self.lead] if self.lead is not None else []
        return shown + self.latest + [a for _, items in self.blocks for a in items]


def menu_category_slugs(menu: Iterable[tuple[str, str]], category_url: str) -> list[str]:
    """Category slugs in the menu's order, from entries whose URL matches CATEGORY_URL."""
    prefix, _, suffix = category_url.partition("{slug}")
    pattern = re.compile("^/?" + re.escape(prefix) + r"([^/]+)" + re.escape(suffix) + "$")
    slugs = []
    for entry in menu:
        found = pattern.match(entry[1]) if len(entry) > 1 else None
        if found and found.group(1) not in slugs:
            slugs.append(found.group(1))
    return slugs


def ordered_categories(categories: Iterable[Any], wanted: Sequence[str]) -> list:
    """Categories named (by name or slug) in ``wanted`` first, in that order; the others after, as sorted."""
    rest = sorted(categories)
    rank = {}
    for position, key in enumerate(wanted):
        rank.setdefault(key.casefold(), position)
    first = [c for c in rest if c.slug.casefold() in rank or c.name.casefold() in rank]
    first.sort(key=lambda c: min(rank.get(c.slug.casefold(), len(wanted)), rank.get(c.name.casefold(), len(wanted))))
    return first + [c for c in rest if c not in first]


def plan_home(
    newest: Sequence[Any],
    by_category: dict[Any, list],
    lead: Any | None,
    latest: int,
    block: int,
    order: Sequence[str],
) -> HomePage:
    """Lead, latest and category blocks with no article twice; empty blocks are left out."""
    page = HomePage(lead=lead)
    shown = {id(lead)} if lead is not None else set()

    def take(candidates: Iterable[Any], count: int) -> list:
        return take_unshown(candidates, count, shown)

    page.latest = take(newest, latest)
    for category in ordered_categories(by_category, order):
        items = take(by_category[category], block)
        if items:
            page.blocks.append((category, items))
    return page


@dataclass
class ArticleFoot:
    related: list
    same_category: list
    other_news: list


def plan_foot(
    article: Any,
    related: Sequence[Any],
    category_members: Sequence[Any],
    category_position: int,
    newest: Sequence[Any],
    position: int,
    same_count: int,
    other_count: int,
) -> ArticleFoot:
    """The three boxes under an article, in page order; each article in at most one box.

    ``newest`` is every article newest first and ``position`` this article's
    place in it; ``category_members`` and ``category_position`` the same within
    its category. "Tin cùng chuyên mục" and "Các tin khác" are the nearest older
    articles (of the category, of the site), then the nearest newer ones when
    the older run out: an article's foot changes only when its neighbours do,
    not with every new article (so a rebuild after a new article rewrites its
    neighbours, not the whole category).
    """
    shown = {id(article)} | {id(a) for a in related}
    same = _nearest(category_members, category_position, same_count, shown)
    other = _nearest(newest, position, other_count, shown)
    return ArticleFoot(list(related), same, other)


def _nearest(items: Sequence[Any], position: int, count: int, shown: set[int]) -> list:
    """Up to ``count`` unshown items after ``position`` (older), then before it (newer), in list order."""
    older = take_unshown((items[i] for i in range(position + 1, len(items))), count, shown)
    newer = take_unshown((items[i] for i in range(min(position, len(items)) - 1, -1, -1)), count - len(older), shown)
    return list(reversed(newer)) + older


def take_unshown(candidates: Iterable[Any], count: int, shown: set[int]) -> list:
    """Up to ``count`` of ``candidates`` not shown yet, in order; they are then marked as shown."""
    picked = []
    for article in candidates:
        if len(picked) >= count:
            break
        if id(article) not in shown:
            shown.add(id(article))
            picked.append(article)
    return picked
