"""Search index at portal scale: ours (folded đ-words) against plain Pagefind, same run.

For each size: a real `portal build` of generated articles (whose post-build step
indexes them), then the same pages with the folded-words element stripped are
indexed again as the baseline. Reported: index build time, bundle size on disk,
and the bytes Chromium downloads for a first query on /tim-kiem/ (network events,
plain http.server without compression: the worst case).

    python benchmarks/bench_search.py [--sizes 1000 10000] [--query "dang uy khoi"]
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "tests"))

from search.indexer import build_index  # noqa: E402
from search.settings import DEFAULTS  # noqa: E402

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
FOLD_ELEMENT = re.compile(r"<div hidden>" + re.escape(DEFAULTS["SEARCH_FOLD_MARK"]) + r".*?</div>", re.S)


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


def write_content(root: Path, n: int, seed: int = 11) -> None:
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
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(root / 'content')!r}\nSIDEBAR_LINKS = []\nSITE_LOGO = ''\n", encoding="utf-8")


def portal_build(root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "portal", "build", "-s", "conf.py", "-o", "output"],
                   cwd=root, check=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                   stdout=subprocess.DEVNULL)
    return root / "output"


def strip_folds(site: Path) -> int:
    stripped = 0
    for page in site.glob("*/*/*/index.html"):
        html = page.read_text(encoding="utf-8")
        plain = FOLD_ELEMENT.sub("", html)
        if plain != html:
            page.write_text(plain, encoding="utf-8")
            stripped += 1
    return stripped


def timed_index(site: Path) -> float:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    settings = {"ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html"}
    started = time.perf_counter()
    # Own thread: Playwright's sync API already runs an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(build_index, site, settings).result()
    return time.perf_counter() - started


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def first_query_bytes(browser, site: Path, query: str) -> tuple[int, int, int]:
    """(bytes of the search bundle, bytes of everything, results) for one fresh page."""
    from conftest import serve_directory

    with serve_directory(site) as base:
        context = browser.new_context()  # empty cache
        page = context.new_page()
        sizes: dict[str, int] = {}

        def finished(request) -> None:
            measured = request.sizes()
            sizes[request.url] = measured["responseBodySize"] + measured["responseHeadersSize"]

        page.on("requestfinished", finished)
        page.goto(f"{base}/tim-kiem/?q={query}")
        page.wait_for_function(
            "/^(Tìm thấy|Không tìm thấy)/.test(document.querySelector('.search-status').textContent)",
            timeout=60_000)
        page.wait_for_load_state("networkidle")
        results = page.locator(".search-result").count()
        context.close()
    bundle = sum(size for url, size in sizes.items() if "/pagefind/" in url)
    return bundle, sum(sizes.values()), results


def kib(n: int) -> str:
    return f"{n / 1024:,.0f}".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--query", default="dang uy khoi")
    args = parser.parse_args()
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for n in args.sizes:
            root = Path(tmp) / f"n{n}"
            write_content(root, n)
            started = time.perf_counter()
            ours_site = portal_build(root)
            full_build = time.perf_counter() - started
            baseline_site = Path(tmp) / f"n{n}-baseline"
            shutil.copytree(ours_site, baseline_site)
            stripped = strip_folds(baseline_site)
            measured = {}
            for name, site in (("baseline", baseline_site), ("ours", ours_site)):
                seconds = timed_index(site)  # re-indexed here so both are timed alike
                size = disk_bytes(site / "pagefind")
                bundle, total, results = first_query_bytes(browser, site, args.query)
                measured[name] = (seconds, size, bundle, total, results)
            rows.append((n, full_build, stripped, measured))
            shutil.rmtree(root)
            shutil.rmtree(baseline_site)
        browser.close()

    print(f'Query: "{args.query}". Baseline = same pages without the folded-words element.\n')
    print("| articles | variant | index build (s) | bundle on disk (KiB) | first query: bundle (KiB) "
          "| first query: whole page (KiB) | results |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n, full_build, stripped, measured in rows:
        for name in ("baseline", "ours"):
            seconds, size, bundle, total, results = measured[name]
            print(f"| {n:,} | {name} | {seconds:.1f} | {kib(size)} | {kib(bundle)} | {kib(total)} | {results} |")
        (bs, bsize, bbundle, btotal, _), (os_, osize, obundle, ototal, _) = measured["baseline"], measured["ours"]
        print(f"| {n:,} | ratio ours/baseline | {os_ / bs:.2f}× | {osize / bsize:.3f}× | "
              f"{obundle / bbundle:.3f}× | {ototal / btotal:.3f}× | |")
    print()
    for n, full_build, stripped, _ in rows:
        print(f"- {n:,} articles: full `portal build` with the index {full_build:.1f} s; "
              f"{stripped:,} pages carried folded words.")


if __name__ == "__main__":
    main()
