"""Pre-compression at publish time: brotli qualities against gzip -9, same run.

Publishes a synthetic portal (N articles, publishconf.py) into a temporary
folder, then compresses its text files serially with gzip -9 (the baseline:
what nginx's gzip_static alone would need), brotli 11 and brotli 10, and
finally runs the real post-build step (`portal.compress.precompress`, all cores).

    python benchmarks/bench_compress.py [--articles 500]
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent

from portal.cli.compress import TEXT_SUFFIXES, precompress, text_files

CATEGORIES = ["Xây dựng Đảng", "Kiểm tra - Giám sát", "Tuyên giáo - Dân vận", "Đoàn thể", "Tin hoạt động"]
WORDS = ("Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị sơ kết công tác xây dựng Đảng và hệ thống chính trị "
         "sáu tháng đầu năm triển khai nhiệm vụ trọng tâm đồng chí Bí thư phát biểu chỉ đạo").split()


def synthetic_site(root: Path, articles: int) -> None:
    rng = random.Random(3)
    (root / "conf.py").write_text(
        f"from publishconf import *\n"
        f"PATH = {str(root / 'content')!r}\nPORTAL_POSTBUILD = PORTAL_POSTBUILD[:-1]\n", encoding="utf-8")
    for i in range(articles):
        year = 2016 + i % 10
        folder = root / "content" / "articles" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(80)).capitalize() + "." for _ in range(6))
        (folder / f"tin-{i}.md").write_text(
            f"Title: Tin số {i} {' '.join(rng.sample(WORDS, 6))}\nDate: {year}-{1 + i % 12:02d}-{1 + i % 28:02d} 08:00\n"
            f"Category: {CATEGORIES[i % 5]}\nTags: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n\n{body}\n",
            encoding="utf-8")


def timed(label: str, function, datas: list[bytes]) -> tuple[float, int]:
    start = time.perf_counter()
    size = sum(len(function(d)) for d in datas)
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-compress-") as scratch:
        root = Path(scratch)
        synthetic_site(root, args.articles)
        env = dict(os.environ, SITEURL="https://example.test")
        subprocess.run([sys.executable, "-m", "portal", "build", "-s", "conf.py", "-o", "output"],
                       cwd=root, env=env, check=True, capture_output=True)
        files = text_files(root / "output", TEXT_SUFFIXES)
        datas = [Path(f).read_bytes() for f in files]
        raw = sum(map(len, datas))
        print(f"{len(files)} text files, {raw / 1e6:.1f} MB, {os.cpu_count()} cores")
        base_time, base_size = timed("gzip", lambda d: gzip.compress(d, 9, mtime=0), datas)
        rows = [("gzip -9 (baseline)", base_time, base_size)]
        for quality in (11, 10):
            seconds, size = timed("br", lambda d, q=quality: brotli.compress(d, mode=brotli.MODE_TEXT, quality=q), datas)
            rows.append((f"brotli {quality}, one core", seconds, size))
        start = time.perf_counter()
        precompress(root / "output", {})
        rows.append(("precompress() step: gzip -9 + brotli 10, all cores", time.perf_counter() - start, 0))
        print(f"{'':52} {'seconds':>8} {'x gzip time':>12} {'bytes':>11} {'x gzip size':>12}")
        for label, seconds, size in rows:
            sizes = f"{size:>11,} {size / base_size:>12.3f}" if size else f"{'':>11} {'':>12}"
            print(f"{label:52} {seconds:>8.2f} {seconds / base_time:>12.1f} {sizes}")


if __name__ == "__main__":
    main()
