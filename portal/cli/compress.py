"""Post-build step: `x.gz` and `x.br` next to every text file, for nginx.

nginx serves them as they are (`gzip_static`, `brotli_static`), so the server
never compresses a page per request and can use the slowest, smallest
settings once at build time. Runs LAST (see PORTAL_POSTBUILD in publishconf.py):
any later change to a file would leave stale compressed copies.

A rebuild links most pages from the last good output (the page memo): such a file
is that output's own file, so the copies made of it there are linked too, unless
either was written before the file's last change. Compressing every page again
took ~2 of the ~2,8 minutes of a 10.000-article rebuild that rendered 3 pages.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from portal.core.compression import DEFAULTS, TEXT_SUFFIXES, compress_file, options  # noqa: F401 - this step's API


def text_files(output_dir: Path, suffixes: tuple[str, ...]) -> list[str]:
    return sorted(str(p) for p in output_dir.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


COPIES = (".gz", ".br")


def reuse_copies(path: str, output_dir: str, previous: str) -> bool:
    """Link the last output's compressed copies of ``path`` when ``path`` is that output's own file
    and they were made after its last change; False (nothing linked) otherwise."""
    old = previous + path[len(output_dir):]
    try:
        new_stat, old_stat = os.stat(path), os.stat(old)
        if (new_stat.st_ino, new_stat.st_dev) != (old_stat.st_ino, old_stat.st_dev) \
                or any(os.stat(old + suffix).st_mtime_ns < old_stat.st_mtime_ns for suffix in COPIES):
            return False
        for suffix in COPIES:
            if not os.path.exists(path + suffix) or not os.path.samefile(old + suffix, path + suffix):
                scratch = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}{suffix}.reuse")
                os.link(old + suffix, scratch)
                os.replace(scratch, path + suffix)
    except OSError:
        return False  # compressed again
    return True


def precompress(output_dir: Path, settings: dict, workers: int | None = None) -> None:
    chosen = options(settings)
    files = text_files(Path(output_dir), tuple(chosen["PORTAL_COMPRESS_SUFFIXES"]))
    previous = settings.get("BUILD_PREVIOUS_OUTPUT")
    if previous and os.path.isdir(previous):
        root, before = os.fspath(output_dir), os.fspath(previous)
        files = [path for path in files if not reuse_copies(path, root, before)]
    levels = (chosen["PORTAL_COMPRESS_GZIP_LEVEL"], chosen["PORTAL_COMPRESS_BROTLI_QUALITY"])
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 64:
        for path in files:
            compress_file(path, *levels)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Results are consumed so that an error in a worker fails the build.
        list(pool.map(compress_file, files, *[[level] * len(files) for level in levels], chunksize=32))
