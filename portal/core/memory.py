"""Heap memory the build has freed, given back to the system before it forks.

CPython hands large objects (a reading's bytes, the related index's tables) to
the C library's malloc, which keeps their pages once they are freed, for reuse:
the process stays at its high-water mark. A forked child maps every one of those
pages, and the summed RSS of the build counts them once per process. glibc's
``malloc_trim`` returns the whole free pages to the kernel: at 10.000 articles,
527 → 304 MiB in 19 ms before the page writing (docs/performance.md). Where
there is no such function (another C library), nothing happens.
"""
from __future__ import annotations

import ctypes
import ctypes.util
from typing import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


_TRIM = _malloc_trim()


def give_back_freed() -> bool:
    """Return the heap's free pages to the system; True when some were."""
    return bool(_TRIM(0)) if _TRIM is not None else False
