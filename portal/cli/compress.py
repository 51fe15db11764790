"""Post-build step: `x.gz` and `x.br` next to every text file, for nginx.

nginx serves them as they are (`gzip_static`, `brotli_static`), so the server
never compresses a page per request and can use the slowest, smallest
settings once at build time. Runs LAST (see PORTAL_POSTBUILD in publishconf.py):
any later change to a file would leave stale compressed copies.
"""
from __future__ import annotations

import gzip
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import brotli

TEXT_SUFFIXES = (".html", ".css", ".js", ".xml", ".json", ".txt", ".svg")
DEFAULTS = {
    "PORTAL_COMPRESS_SUFFIXES": TEXT_SUFFIXES,
    "PORTAL_COMPRESS_GZIP_LEVEL": 9,
    # 10, not the maximum 11: 4 % larger files for 42 % of the time
    # (docs/performance.md, `make bench-compress`).
    "PORTAL_COMPRESS_BROTLI_QUALITY": 10,
}


def compress_file(path: str, gzip_level: int = 9, brotli_quality: int = 10) -> None:
    data = Path(path).read_bytes()
    # mtime=0: the same page gives the same bytes, so rsync skips it next time.
    Path(path + ".gz").write_bytes(gzip.compress(data, compresslevel=gzip_level, mtime=0))
    Path(path + ".br").write_bytes(brotli.compress(data, mode=brotli.MODE_TEXT, quality=brotli_quality))


def text_files(output_dir: Path, suffixes: tuple[str, ...]) -> list[str]:
    return sorted(str(p) for p in output_dir.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def precompress(output_dir: Path, settings: dict, workers: int | None = None) -> None:
    options = {key: settings.get(key, value) for key, value in DEFAULTS.items()}
    files = text_files(Path(output_dir), tuple(options["PORTAL_COMPRESS_SUFFIXES"]))
    levels = (options["PORTAL_COMPRESS_GZIP_LEVEL"], options["PORTAL_COMPRESS_BROTLI_QUALITY"])
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 64:
        for path in files:
            compress_file(path, *levels)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Results are consumed so that an error in a worker fails the build.
        list(pool.map(compress_file, files, *[[level] * len(files) for level in levels], chunksize=32))
