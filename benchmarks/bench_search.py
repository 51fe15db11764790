"""Search index at portal scale: ours against plain Pagefind, same run, same articles.

For each size: a real `portal build` of generated articles, in this process, so
that the plugin's own indexing call is timed inside it. Baseline: the same
title, lead and body of every article given to Pagefind as written (one plain
page per article, default options: what Pagefind does without the portal's
work). Reported: index build time, bundle size on disk, and the bytes a fresh
Chromium downloads for a first query on /tim-kiem/, counted as nginx would send
them after `make publish` (brotli files for the text files the publish step
compresses, e.g. pagefind.js; Pagefind's own files as they are, gzip already).

    python benchmarks/bench_search.py [--sizes 1000 10000] [--query "dang uy khoi"]
"""
from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlparse

import brotli

ROOT = Path(__file__).resolve().parent.parent

from pagefind.index import PagefindIndex

from portal.cli import build as portal
from portal.cli.compress import DEFAULTS as COMPRESS
from portal.core.search import indexer

CATEGORIES = ["Xây dựng Đảng", "Kiểm tra - Giám sát", "Tuyên giáo - Dân vận", "Đoàn thể", "Tin hoạt động"]
INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh",
            "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
RHYMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "au", "ay", "ăn", "ăng", "âm", "ân", "âng", "ây",
          "e", "em", "en", "eo", "ê", "êm", "ên", "ênh", "i", "im", "in", "inh", "iêm", "iên", "iêng",
          "o", "oa", "oai", "oan", "oang", "oanh", "oi", "om", "on", "ong", "ô", "ôi", "ôm", "ôn", "ông",
          "ơ", "ơi", "ơm", "ơn", "u", "ui", "um", "un", "ung", "uy", "uyên", "ư", "ưa", "ưng", "ương"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
# Phrases readers look for, so that queries hit real postings.
PHRASES = ["Đảng ủy Khối các cơ quan tỉnh", "xây dựng Đảng", "đồng chí Nguyễn Văn Thông",
           "kiểm tra, giám sát", "đoàn viên thanh niên", "học tập và làm theo"]


def vocabulary(rng: random.Random) -> list[str]:
    """Vietnamese-shaped syllables (about 9,000), in random frequency order."""
    words = []
    for initial in INITIALS:
        for rhyme in RHYMES:
            for tone in TONES:
                words.append(unicodedata.normalize("NFC", initial + rhyme[0] + tone + rhyme[1:]))
    rng.shuffle(words)
    return words


def sentence(rng: random.Random, words: list[str], weights: list[float], n: int) -> str:
    text = " ".join(rng.choices(words, weights, k=n))
    if rng.random() < 0.3:
        text += " " + rng.choice(PHRASES)
    return text[0].upper() + text[1:] + "."


def write_content(root: Path, n: int, seed: int = 11, extra_settings: str = "") -> None:
    rng = random.Random(seed)
    words = vocabulary(rng)
    # Zipf-Mandelbrot: the most common syllable is about 2.6 % of the text, close
    # to "và"/"của" in Vietnamese news (plain Zipf would make it 10 %).
    weights = [1 / (rank + 5) for rank in range(len(words))]
    start = datetime(2016, 1, 1, 7)
    for i in range(n):
        day = start + timedelta(hours=rng.randrange(24 * 365 * 10))
        folder = root / "content" / "articles" / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        title = sentence(rng, words, weights, rng.randint(7, 14)).rstrip(".")
        lead = sentence(rng, words, weights, rng.randint(25, 40))
        body = "\n\n".join(" ".join(sentence(rng, words, weights, rng.randint(12, 25)) for _ in range(4))
                           for _ in range(rng.randint(4, 7)))
        (folder / f"tin-{i}.md").write_text(
            f"Title: {title}\nDate: {day:%Y-%m-%d %H:%M}\nCategory: {rng.choice(CATEGORIES)}\n"
            f"Slug: tin-{i}\nSummary: {lead}\n\n{body}\n", encoding="utf-8")
    (root / "conf.py").write_text(
        f"from pelicanconf import *\n"
        f"PATH = {str(root / 'content')!r}\nSIDEBAR_LINKS = []\nSITE_LOGO = ''\n"
        # In-process, so that the indexing call can be timed here.
        "SEARCH_BACKGROUND = False\n" + extra_settings, encoding="utf-8")


def portal_build(root: Path) -> tuple[float, float, list]:
    """(seconds for the whole build, seconds of its search indexing, the records indexed)."""
    # The adapter indexes in two steps (prepare_index, then index_parts): both are timed.
    seen: dict = {"seconds": 0.0}
    real = {"prepare_index": indexer.prepare_index, "index_parts": indexer.index_parts}

    def timed(name: str):
        def step(*args, **kwargs):
            started = time.perf_counter()
            result = real[name](*args, **kwargs)
            seen["seconds"] += time.perf_counter() - started
            if name == "prepare_index":
                seen["records"] = args[0]
            return result
        return step

    for name in real:
        setattr(indexer, name, timed(name))
    started = time.perf_counter()
    try:
        status = portal.build(str(root / "conf.py"), str(root / "output"))
    finally:
        for name, function in real.items():
            setattr(indexer, name, function)
    if status or "records" not in seen:
        raise SystemExit(f"portal build failed for {root}, or did not index it")
    return time.perf_counter() - started, seen["seconds"], seen["records"]


def plain_page(record) -> str:
    """The article as plain Pagefind would read it: title, lead, body as written."""
    return (
        f'<!DOCTYPE html><html lang="vi"><body><main data-pagefind-body data-category="{escape(record.category)}"'
        f' data-year="{record.year}" data-day="{record.day}"'
        ' data-pagefind-filter="chuyen_muc[data-category], nam[data-year]" data-pagefind-meta="ngay[data-day]">'
        f"<h1>{escape(record.title)}</h1><p>{escape(record.lead)}</p><p>{escape(record.body)}</p></main></body></html>"
    )


def baseline_index(records: list, bundle: Path) -> float:
    """Plain Pagefind over the same articles into ``bundle``; returns seconds."""
    async def index(pages: Path) -> None:
        async with PagefindIndex(config={"force_language": "vi", "output_path": str(bundle)}) as pagefind:
            await pagefind.add_directory(str(pages))

    with tempfile.TemporaryDirectory() as scratch:
        for record in records:
            page = Path(scratch) / record.save_as
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(plain_page(record), encoding="utf-8")
        started = time.perf_counter()
        asyncio.run(index(Path(scratch)))
        seconds = time.perf_counter() - started
    for name in indexer.UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    return seconds


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def sent_bytes(path: Path) -> int:
    """What nginx sends for ``path`` after `make publish`: the .br of a text file, else the file."""
    data = path.read_bytes()
    if path.suffix in COMPRESS["PORTAL_COMPRESS_SUFFIXES"]:
        return len(brotli.compress(data, mode=brotli.MODE_TEXT, quality=COMPRESS["PORTAL_COMPRESS_BROTLI_QUALITY"]))
    return len(data)


def kind_of(url_path: str) -> str:
    if "/pagefind/" not in url_path:
        return "page"  # the search page, CSS, scripts
    found = re.search(r"/pagefind/(?:\d+/)?(index|fragment|filter)/", url_path)  # any part of the index
    if found:
        return found[1]
    return "meta" if url_path.endswith(".pf_meta") else "code"  # pagefind.js, worker, WASM, entries


def first_query(browser, site: Path, query: str) -> tuple[dict[str, int], int]:
    """(bytes sent by kind and the number of search files fetched ("requests"), number of results)
    for one query from an empty cache."""
    from tests.support.sites import serve_directory

    with serve_directory(site) as base:
        context = browser.new_context()
        page = context.new_page()
        paths: list[str] = []
        page.on("requestfinished", lambda request: paths.append(unquote(urlparse(request.url).path)))
        page.goto(f"{base}/tim-kiem/?q={query}")
        page.wait_for_function(
            "/^(Tìm thấy|Không tìm thấy)/.test(document.querySelector('.search-status').textContent)",
            timeout=120_000)
        page.wait_for_load_state("networkidle")
        results = int(page.evaluate("document.querySelector('.search-status').textContent.replace(/\\D/g, '') || 0"))
        context.close()
    sizes: dict[str, int] = {}
    for path in paths:
        file = site / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        if file.is_file():  # not /api/: the counting service is not running here
            sizes[kind_of(path)] = sizes.get(kind_of(path), 0) + sent_bytes(file)
            sizes["requests"] = sizes.get("requests", 0) + ("/pagefind/" in path)
    return sizes, results


def one_index(bundle: Path) -> None:
    """Plain Pagefind's bundle is one index: the search page must not merge the portal's parts."""
    indexer.write_count(bundle, 1)


def kb(n: float) -> str:
    return f"{n / 1000:,.0f}".replace(",", ".")


COLUMNS = ("code", "meta", "index", "fragment")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--query", default="dang uy khoi")
    parser.add_argument("--part-size", type=int, help="SEARCH_PART_SIZE for the portal (default: the setting's)")
    args = parser.parse_args()
    from tests.support.sites import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(1) as worker:
        for n in args.sizes:
            root = Path(tmp) / f"n{n}"
            write_content(root, n, extra_settings=f"SEARCH_PART_SIZE = {args.part_size}\n" if args.part_size else "")
            # Own thread: asyncio.run (Pagefind) must not meet Playwright's event loop.
            full_build, ours_seconds, records = worker.submit(portal_build, root).result()
            site = root / "output"
            baseline = root / "pagefind-baseline"
            base_seconds = worker.submit(baseline_index, records, baseline).result()
            measured = {"ours": [ours_seconds, disk_bytes(site / "pagefind")],
                        "baseline": [base_seconds, disk_bytes(baseline)]}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                measured["ours"] += first_query(browser, site, args.query)
                (site / "pagefind").rename(root / "pagefind-ours")
                baseline.rename(site / "pagefind")
                one_index(site / "pagefind")
                measured["baseline"] += first_query(browser, site, args.query)
                browser.close()
            rows.append((n, full_build, measured))
            shutil.rmtree(root)

    print(f'Query: "{args.query}". KB = 1000 bytes, as nginx sends them after `make publish`.\n')
    print("| articles | variant | index build (s) | bundle on disk (MB) | pagefind.js + worker + WASM | pf_meta "
          "| index chunks | 10 fragments | first query: search files | first query: whole page | results |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, full_build, measured in rows:
        totals = {}
        for name in ("baseline", "ours"):
            seconds, disk, sizes, results = measured[name]
            search_files = sum(sizes.get(kind, 0) for kind in COLUMNS + ("filter",))
            totals[name] = (seconds, disk, search_files, search_files + sizes.get("page", 0), sizes)
            cells = " | ".join(kb(sizes.get(kind, 0)) for kind in COLUMNS)
            print(f"| {n:,} | {name} | {seconds:.1f} | {disk / 1e6:.1f} | {cells} | {kb(search_files)} "
                  f"| {kb(totals[name][3])} | {results:,} |".replace(",", "."))
        (bs, bd, bf, bw, bsz), (os_, od, of, ow, osz) = totals["baseline"], totals["ours"]
        ratios = " | ".join(f"{osz.get(k, 0) / bsz[k]:.2f}×" if bsz.get(k) else "" for k in COLUMNS)
        print(f"| {n:,} | ratio ours/baseline | {os_ / bs:.2f}× | {od / bd:.2f}× | {ratios} | {of / bf:.2f}× "
              f"| {ow / bw:.2f}× | |".replace(",", "."))
    print()
    for n, full_build, measured in rows:
        requests = {name: measured[name][2].get("requests", 0) for name in ("baseline", "ours")}
        print(f"- {n:,} articles: full `portal build` with the index {full_build:.1f} s; the first query"
              f" fetched {requests['ours']} search files ({requests['baseline']} from plain Pagefind).".replace(",", "."))


if __name__ == "__main__":
    main()
