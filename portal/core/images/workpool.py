"""One build's photos: cache look-ups first, then one worker pool for every miss."""
from __future__ import annotations

import ctypes
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Callable, Iterator

from . import cache as cache_module
from .cache import ImageCache, entry_key
from .pipeline import BadImage, Derivative, Encoding, Kind, render, workload
from .pipeline import clean_copy as encode_clean

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


@dataclass(frozen=True)
class CachedImage:
    key: str
    directory: Path
    files: list[Derivative]


@dataclass
class Outcome:
    entries: dict[tuple[Path, str], CachedImage] = field(default_factory=dict)  # (source, kind name)
    failures: dict[Path, BadImage] = field(default_factory=dict)
    encoded: int = 0  # sources decoded in this run
    reused: int = 0  # (source, kind) pairs served from the cache


def run(
    requests: dict[Path, set[str]],
    kinds: dict[str, Kind],
    encoding: Encoding,
    cache_dir: Path,
    workers: int | None = None,
    progress: bool = False,
) -> Outcome:
    """Derivatives of every requested (source, kinds), from the cache or freshly encoded."""
    store = ImageCache(cache_dir)
    outcome = Outcome()
    jobs: dict[Path, list[tuple[Kind, str]]] = {}
    for source in sorted(requests):
        try:
            digest = store.content_hash(source)
        except OSError as exc:
            outcome.failures[source] = BadImage("unreadable", str(exc))
            continue
        for name in sorted(requests[source]):
            key = entry_key(digest, kinds[name], encoding)
            files = store.load(key)
            if files is None:
                jobs.setdefault(source, []).append((kinds[name], key))
            else:
                outcome.entries[(source, name)] = CachedImage(key, store.entry_dir(key), files)
                outcome.reused += 1
    store.save_index()
    if jobs:
        _encode(jobs, store, encoding, outcome, workers or os.cpu_count() or 1, progress)
    return outcome


def _encode(jobs, store: ImageCache, encoding: Encoding, outcome: Outcome, workers: int, progress: bool) -> None:
    # Heaviest photos first (a sideways 12-megapixel photo costs twice an upright
    # one): otherwise one core may be left finishing a big photo alone at the end.
    order = sorted(jobs, key=lambda source: -workload(str(source), [kind for kind, _ in jobs[source]]))
    # Forked workers start in milliseconds; the pool is created before the
    # progress bar starts its refresh thread.
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=keep_freed_memory) as pool:
        futures = {
            pool.submit(encode_source, str(source), jobs[source], str(store.root), encoding): source
            for source in order
        }
        with progress_bar(progress, len(futures)) as advance:
            for future in as_completed(futures):
                source = futures[future]
                advance()
                try:
                    made = future.result()
                except BadImage as error:
                    outcome.failures[source] = error
                    continue
                outcome.encoded += 1
                for kind, key in jobs[source]:
                    outcome.entries[(source, kind.name)] = CachedImage(key, store.entry_dir(key), made[kind.name])


def keep_freed_memory() -> None:
    """Worker start: let glibc keep freed image buffers for the next photo.

    By default glibc hands every large freed block back to the kernel, so each
    photo's buffers (tens of megabytes) page-fault in again: 18,000 faults and a
    few per cent of the time of a sideways photo. A worker lives only for one
    build's images step. Elsewhere than glibc this does nothing.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_MMAP_THRESHOLD, 32 * 2**20)  # glibc's ceiling; Pillow allocates in 16 MiB blocks
    mallopt(M_TRIM_THRESHOLD, 2**31 - 1)


def encode_source(source: str, orders: list[tuple[Kind, str]], cache_root: str, encoding: Encoding) -> dict[str, list[Derivative]]:
    """Worker side: render every missing kind of one source, then commit each entry."""
    store = ImageCache(cache_root)
    scratch = {kind.name: store.scratch_dir(key) for kind, key in orders}
    try:
        made = render(source, [(kind, str(scratch[kind.name])) for kind, _ in orders], encoding)
        for kind, key in orders:
            cache_module.commit(scratch[kind.name], store.entry_dir(key), made[kind.name])
        return made
    finally:
        for directory in scratch.values():
            shutil.rmtree(directory, ignore_errors=True)


def place(files: dict[str, Path], output: Path) -> None:
    """Put each file at its output-relative path: a hard link to the cache, else a copy."""
    for relative, file in files.items():
        target = output / relative
        if target.exists():
            continue  # a static file Pelican already copied (a video)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(file, target)
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(file, target)


@contextmanager
def progress_bar(enabled: bool, total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar on an interactive terminal; silence in CI and logs."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("[images] Đang xử lý ảnh"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ảnh", total=total)
        yield lambda: bar.advance(task)


CLEAN_VERSION = b"clean-1"  # change when clean_copy's output changes


def clean_copy(source: Path, cache_dir: Path, encoding: Encoding) -> Path:
    """A metadata-free re-encoding of ``source`` for publishing at its own address, cached by content."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BadImage("unreadable", str(exc)) from exc
    digest = sha256(CLEAN_VERSION + repr(encoding).encode() + data).hexdigest()[:32]
    for found in cache_dir.glob(f"{digest}.*") if cache_dir.is_dir() else []:
        if not found.name.endswith(".tmp"):
            return found
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = cache_dir / f"{digest}.{os.getpid()}.tmp"
    try:
        fmt = encode_clean(str(source), scratch, encoding)
        final = cache_dir / f"{digest}.{ {'jpeg': 'jpg'}.get(fmt, fmt) }"
        os.replace(scratch, final)
    finally:
        scratch.unlink(missing_ok=True)
    return final
