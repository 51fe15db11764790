"""The pagination bar: which page numbers it shows, for every page of lists of 1 to 16 pages.

The macro (theme/templates/partials/macros.html) walks only the numbers it can show, not the
whole list on every page of it; what it shows is checked here against the rule itself, written
over every page number: the first and the last, this page and two either side, a gap at the third.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader

from portal.adapters.fragments import RenderOnce
from portal.core.vntext import FILTERS

TEMPLATES = Path(__file__).resolve().parents[2] / "theme" / "templates"


@pytest.fixture(scope="module")
def pagination():
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                              lstrip_blocks=True, extensions=[RenderOnce])
    environment.filters.update(FILTERS)
    return environment.get_template("partials/macros.html").make_module({"SITEURL": ""}).pagination


def page_of(number: int, count: int):
    paginator = SimpleNamespace(num_pages=count, page_range=range(1, count + 1))
    paginator.page = lambda n: SimpleNamespace(url=f"ds/trang/{n}/")
    return SimpleNamespace(
        number=number, paginator=paginator,
        has_other_pages=lambda: count > 1, has_previous=lambda: number > 1, has_next=lambda: number < count,
        previous_page_number=lambda: number - 1, next_page_number=lambda: number + 1)


def expected(number: int, count: int) -> list[str]:
    shown = []
    for n in range(1, count + 1):
        if n == number:
            shown.append(f"[{n}]")
        elif n in (1, count) or abs(n - number) <= 2:
            shown.append(str(n))
        elif abs(n - number) == 3:
            shown.append("…")
    return shown


def shown(html: str) -> list[str]:
    items = BeautifulSoup(html, "html.parser").select("nav.pagination li")
    words = []
    for item in items:
        if item.find(attrs={"aria-current": "page"}):
            words.append(f"[{item.get_text(strip=True)}]")
        elif item.find("a", rel=True) is None:
            words.append(item.get_text(strip=True))
    return words


@pytest.mark.parametrize("count", range(1, 17))
def test_the_bar_shows_the_numbers_the_rule_gives_on_every_page(pagination, count):
    for number in range(1, count + 1):
        html = str(pagination(page_of(number, count)))
        assert shown(html) == (expected(number, count) if count > 1 else []), (number, count)


def test_each_number_links_to_its_page(pagination):
    html = str(pagination(page_of(6, 12)))
    links = {a.get_text(strip=True): a["href"] for a in BeautifulSoup(html, "html.parser").select("a")}
    assert links["12"] == "/ds/trang/12/" and links["4"] == "/ds/trang/4/"
    assert links["‹ Trang trước"] == "/ds/trang/5/" and links["Trang sau ›"] == "/ds/trang/7/"
