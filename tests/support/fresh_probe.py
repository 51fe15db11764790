"""Functions a background job runs as its ``then`` step, in a fresh process (tests/search/test_background_job.py)."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def probe(data: dict) -> dict:
    return {"got": data, "pid": os.getpid(), "pytest_loaded": "pytest" in sys.modules, "rss_kib": resident_kib()}


def fail(data: dict) -> dict:
    raise ValueError(f"hỏng ở bước {data['step']}")


def hold_scratch(data: dict) -> dict:
    """Make a scratch folder, say where, and wait: stopped, it must still remove it."""
    scratch = tempfile.mkdtemp(prefix="portal-probe-")
    try:
        Path(data["marker"] + ".pid").write_text(str(os.getpid()))
        Path(data["marker"]).write_text(scratch)
        time.sleep(60)
        return {}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
