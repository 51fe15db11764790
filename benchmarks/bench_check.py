"""The one-file check (`python -m portal check PATH`) on a generated 10,000-article site,
against the whole-site check (`python -m portal check`, Pelican's reading phase) as baseline.

Also times what the newsroom does on every save: `check_text` with the site's
headers already loaded (`Site.load` once). Results: docs/performance.md.

    python -m benchmarks.bench_check --articles 10000
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.related_corpus import generate
from portal.core.check import check_text
from portal.core.site import Site


def write_site(root: Path, count: int) -> Path:
    articles = generate(count, seed=11)
    for index, a in enumerate(articles):
        folder = root / "content" / "articles" / str(a.date.year)
        folder.mkdir(parents=True, exist_ok=True)
        related = f"Related: {articles[index - 1].slug}\n" if index % 10 == 0 and index else ""
        (folder / f"{a.slug}.md").write_text(
            f"Title: {a.title}\nDate: {a.date:%Y-%m-%d %H:%M}\nCategory: {a.category}\n"
            f"Tags: {', '.join(a.tags)}\nSlug: {a.slug}\n{related}\n{a.summary}\n\n{a.body}\n",
            encoding="utf-8",
        )
    (root / "conf.py").write_text(
        f"from pelicanconf import *\nPATH = {str(root / 'content')!r}\nSIDEBAR_LINKS = []\nSTATS_ENABLED = False\n",
        encoding="utf-8",
    )
    return next((root / "content" / "articles").rglob("*.md"))


def seconds(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        root = Path(tmp)
        one = write_site(root, args.articles)
        cli = [sys.executable, "-m", "portal", "check", "-s", "conf.py"]
        single = statistics.median(seconds(cli + [str(one)], root) for _ in range(args.rounds))
        whole = seconds(cli, root)
        started = time.perf_counter()
        site = Site.load(root / "conf.py")
        load = time.perf_counter() - started
        text = one.read_text(encoding="utf-8")
        saves = []
        for _ in range(args.rounds * 4):
            started = time.perf_counter()
            check_text(site, one, text)
            saves.append(time.perf_counter() - started)
    print(f"| {args.articles:,} articles | seconds | / whole-site check |")
    print("|---|---:|---:|")
    print(f"| whole-site check (`python -m portal check`, baseline) | {whole:.2f} | 1 |")
    print(f"| one file, command line (`python -m portal check FILE`), median of {args.rounds} | {single:.2f} | {single / whole:.3f}× |")
    print(f"| one file in process, headers loaded once (`Site.load`: {load:.2f} s), median | "
          f"{statistics.median(saves) * 1000:.0f} ms | {statistics.median(saves) / whole:.4f}× |")


if __name__ == "__main__":
    main()
