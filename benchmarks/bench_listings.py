"""Listing/archive grouping at portal scale: ours against Pelican's own, same run.

Pelican 4.12 builds period archives with ``[a for a in articles if a in dates]``
per period and tag/category/author pages with ``[a for a in dates if a in
articles]`` per term. Both are reproduced here verbatim on the same synthetic
articles and timed next to ``ListingIndex`` + ``NewsCalendar``.

    python benchmarks/bench_listings.py [--sizes 1000 5000 10000] [--full-build 10000]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent

from portal.core.listings.calendar import NewsCalendar
from portal.core.listings.grouping import ListingIndex

CATEGORIES = ["Xây dựng Đảng", "Kiểm tra - Giám sát", "Tuyên giáo - Dân vận", "Đoàn thể", "Tin hoạt động"]


def synthetic(n: int, seed: int = 7) -> list[SimpleNamespace]:
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, 8)
    return [
        SimpleNamespace(
            slug=f"tin-{i}",
            date=start + timedelta(hours=rng.randrange(24 * 365 * 10)),
            category=rng.choice(CATEGORIES),
            tags=rng.sample([f"the-{t}" for t in range(n // 10 + 5)], 3),
            authors=[f"tac-gia-{rng.randrange(40)}"],
        )
        for i in range(n)
    ]


def pelican_way(articles: list) -> int:
    """Pelican 4.12 generators.py: _build_period_archives + generate_tags/categories/authors."""
    dates = sorted(articles, key=attrgetter("date"), reverse=True)
    pages = 0
    for key in (attrgetter("date.year"), attrgetter("date.year", "date.month"),
                attrgetter("date.year", "date.month", "date.day")):
        for _period, group in groupby(dates, key=key):
            period_dates = list(group)
            _ = [a for a in articles if a in period_dates]
            pages += 1
    terms: dict = {}
    for a in articles:
        terms.setdefault(("c", a.category), []).append(a)
        for t in a.tags:
            terms.setdefault(("t", t), []).append(a)
        for au in a.authors:
            terms.setdefault(("a", au), []).append(a)
    for members in terms.values():
        _ = [a for a in dates if a in members]
        pages += 1
    return pages


def our_way(articles: list) -> int:
    index = ListingIndex(articles)
    index.link_neighbours()
    index.link_same_category(5)
    counts = {date(*k): len(v) for k, v in index.by_day.items()}
    calendar = NewsCalendar(counts, lambda d: f"{d:%Y/%m/%d}/", lambda d: f"{d:%Y/%m}/")
    for year, month in {(a.date.year, a.date.month) for a in articles}:
        calendar.month(year, month)
    return sum(len(g) for g in (index.by_year, index.by_month, index.by_day,
                                index.by_category, index.by_tag, index.by_author))


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def full_build(n: int) -> float:
    """Build n generated Markdown articles with the real CLI; seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for a in synthetic(n):
            folder = root / "content" / "articles" / str(a.date.year)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{a.slug}.md").write_text(
                f"Title: Tin số {a.slug}\nDate: {a.date:%Y-%m-%d %H:%M}\nCategory: {a.category}\n"
                f"Tags: {', '.join(a.tags)}\nAuthor: {a.authors[0]}\n\n"
                "Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị quán triệt nghị quyết.\n",
                encoding="utf-8",
            )
        (root / "conf.py").write_text(
            f"from pelicanconf import *\n"
            f"PATH = {str(root / 'content')!r}\nSIDEBAR_LINKS = []\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "portal", "build", "-s", "conf.py", "-o", "output"],
                       cwd=root, check=True, env={"PATH": "/usr/bin:/bin"},
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000])
    parser.add_argument("--full-build", type=int, default=0, help="also time a real build of N articles")
    args = parser.parse_args()
    print("| articles | Pelican 4.12 grouping (s) | ours (s) | speed-up |")
    print("|---:|---:|---:|---:|")
    for n in args.sizes:
        articles = synthetic(n)
        baseline = timed(pelican_way, articles)
        ours = timed(our_way, articles)
        print(f"| {n:,} | {baseline:.2f} | {ours:.3f} | {baseline / ours:.0f}× |")
    if args.full_build:
        seconds = full_build(args.full_build)
        print(f"\nFull build of {args.full_build:,} generated articles: {seconds:.1f} s "
              f"({args.full_build / seconds:.0f} articles/s)")


if __name__ == "__main__":
    main()
