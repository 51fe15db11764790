"""`x.gz` and `x.br` next to a text file, for nginx's `gzip_static` and `brotli_static`.

Used by the publish step (portal.cli.compress) and by the search index that
follows a rebuild (its new files join a published output after that step ran).
"""
from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from portal.core.files import write_atomic

TEXT_SUFFIXES = (".html", ".css", ".js", ".xml", ".json", ".txt", ".svg")
DEFAULTS = {
    "PORTAL_COMPRESS_SUFFIXES": TEXT_SUFFIXES,
    "PORTAL_COMPRESS_GZIP_LEVEL": 9,
    # 10, not the maximum 11: 4 % larger files for 42 % of the time
    # (docs/performance.md, `make bench-compress`).
    "PORTAL_COMPRESS_BROTLI_QUALITY": 10,
}
# The post-build step that compresses a published output (publishconf.py).
POSTBUILD_STEP = "portal.cli.compress:precompress"


def options(settings: dict) -> dict:
    return {key: settings.get(key, value) for key, value in DEFAULTS.items()}


def compress_file(path: str, gzip_level: int = 9, brotli_quality: int = 10) -> None:
    data = Path(path).read_bytes()
    # mtime=0: the same page gives the same bytes, so rsync skips it next time.
    # Written aside and renamed: an old copy there may be a hard link to the last output's, which a
    # write in place would change too.
    write_atomic(Path(path + ".gz"), gzip.compress(data, compresslevel=gzip_level, mtime=0), sync=False)
    write_atomic(Path(path + ".br"), brotli.compress(data, mode=brotli.MODE_TEXT, quality=brotli_quality), sync=False)


def compressed_copies(path: str, settings: dict) -> list[str]:
    """Compress ``path`` when the settings' publish step would; returns the copies made."""
    chosen = options(settings)
    if POSTBUILD_STEP not in settings.get("PORTAL_POSTBUILD", []) \
            or not path.lower().endswith(tuple(chosen["PORTAL_COMPRESS_SUFFIXES"])):
        return []
    compress_file(path, chosen["PORTAL_COMPRESS_GZIP_LEVEL"], chosen["PORTAL_COMPRESS_BROTLI_QUALITY"])
    return [path + ".gz", path + ".br"]
