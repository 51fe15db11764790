"""The pure plans behind the home page and an article's foot (portal.core.listings.home)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal.core.listings.home import menu_category_slugs, ordered_categories, plan_foot, plan_home


@dataclass(frozen=True, order=True)
class Category:
    name: str
    slug: str


@dataclass(eq=False)
class Item:
    slug: str
    category: Category
    date: datetime = field(default_factory=lambda: datetime(2026, 1, 1))


PARTY = Category("Xây dựng Đảng", "xay-dung-dang")
UNIONS = Category("Đoàn thể", "doan-the")
NEWS = Category("Tin hoạt động", "tin-hoat-dong")


def test_menu_order_comes_from_category_urls_in_the_menu():
    menu = [("Trang chủ", "/"), ("Xây dựng Đảng", "/chuyen-muc/xay-dung-dang/"), ("Giới thiệu", "/gioi-thieu/"),
            ("Đoàn thể", "/chuyen-muc/doan-the/"), ("Lại", "/chuyen-muc/xay-dung-dang/")]
    assert menu_category_slugs(menu, "chuyen-muc/{slug}/") == ["xay-dung-dang", "doan-the"]


def test_categories_named_first_in_that_order_then_the_rest_sorted():
    assert ordered_categories([UNIONS, NEWS, PARTY], ["xay-dung-dang", "Đoàn thể"]) == [PARTY, UNIONS, NEWS]
    assert ordered_categories([UNIONS, NEWS, PARTY], []) == sorted([UNIONS, NEWS, PARTY])


def test_home_never_shows_an_article_twice_and_drops_emptied_blocks():
    party = [Item(f"p{i}", PARTY) for i in range(4)]
    unions = [Item("u0", UNIONS)]
    newest = party[:2] + unions + party[2:]
    page = plan_home(newest, {PARTY: party, UNIONS: unions}, party[0], 3, 2, ["xay-dung-dang", "doan-the"])
    assert page.lead is party[0]
    assert [a.slug for a in page.latest] == ["p1", "u0", "p2"]
    assert [(c.slug, [a.slug for a in items]) for c, items in page.blocks] == [("xay-dung-dang", ["p3"])]
    shown = page.articles()
    assert len(shown) == len({id(a) for a in shown}) == 5  # p0..p3 and u0, once each; no block for Đoàn thể


def test_foot_boxes_never_repeat_an_article():
    items = [Item(f"a{i}", PARTY if i % 2 else UNIONS) for i in range(9)]
    me = items[4]
    related = [items[3], items[6]]
    members = [a for a in items if a.category == me.category]
    foot = plan_foot(me, related, members, members.index(me), items, 4, 2, 3)
    boxes = [foot.related, foot.same_category, foot.other_news]
    listed = [a for box in boxes for a in box]
    assert me not in listed and len(listed) == len({id(a) for a in listed})
    # The nearest older of its category (a6 is already "Tin liên quan"), then the nearest newer.
    assert [a.slug for a in foot.same_category] == ["a2", "a8"]
    assert [a.slug for a in foot.other_news] == ["a1", "a5", "a7"]  # older first, then the nearest newer


def test_a_new_article_changes_only_its_neighbours_feet():
    items = [Item(f"a{i}", PARTY) for i in range(12)]
    feet = [plan_foot(a, [], items, i, items, i, 3, 3) for i, a in enumerate(items)]
    newer = [Item("new", PARTY)] + items
    after = [plan_foot(a, [], newer, i + 1, newer, i + 1, 3, 3) for i, a in enumerate(items)]
    changed = [i for i, (old, new) in enumerate(zip(feet, after))
               if (old.same_category, old.other_news) != (new.same_category, new.other_news)]
    assert changed == []  # "Tin cùng chuyên mục" used to be the newest of the category: every foot changed
