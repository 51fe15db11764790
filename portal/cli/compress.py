"""Post-build step: `x.gz` and `x.br` next to every text file, for nginx.

nginx serves them as they are (`gzip_static`, `brotli_static`), so the server
never compresses a page per request and can use the slowest, smallest
settings once at build time. Runs LAST (see PORTAL_POSTBUILD in publishconf.py):
any later change to a file would leave stale compressed copies.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from portal.core.compression import DEFAULTS, TEXT_SUFFIXES, compress_file, options  # noqa: F401 - this step's API


def text_files(output_dir: Path, suffixes: tuple[str, ...]) -> list[str]:
    return sorted(str(p) for p in output_dir.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def precompress(output_dir: Path, settings: dict, workers: int | None = None) -> None:
    chosen = options(settings)
    files = text_files(Path(output_dir), tuple(chosen["PORTAL_COMPRESS_SUFFIXES"]))
    levels = (chosen["PORTAL_COMPRESS_GZIP_LEVEL"], chosen["PORTAL_COMPRESS_BROTLI_QUALITY"])
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 64:
        for path in files:
            compress_file(path, *levels)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Results are consumed so that an error in a worker fails the build.
        list(pool.map(compress_file, files, *[[level] * len(files) for level in levels], chunksize=32))
