"""Where the pages Pagefind reads are written (indexer.scratch_folder, SEARCH_SCRATCH_DIR)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from portal.core.search import indexer
from portal.core.search.indexer import SCRATCH_PREFIX, scratch_folder
from portal.core.search.records import SearchRecord
from tests.support.processes import dead_pid

RECORDS = [SearchRecord(f"tin-{n}/index.html", f"Tin số {n}", "Phần mở đầu.", "Nội dung " * 50,
                        "Tin hoạt động", 2025, "20250110") for n in range(20)]


def test_the_preferred_folder_when_it_has_room(tmp_path):
    made = Path(scratch_folder(RECORDS, str(tmp_path)))
    assert made.parent == tmp_path and made.name.startswith(f"{SCRATCH_PREFIX}{os.getpid()}-")


def test_the_system_temporary_folder_when_the_preferred_one_is_missing_or_not_asked_for(tmp_path):
    for preferred in (str(tmp_path / "khong-co"), ""):
        made = Path(scratch_folder(RECORDS, preferred))
        try:
            assert made.parent == Path(tempfile.gettempdir())
        finally:
            shutil.rmtree(made)


def test_the_system_temporary_folder_when_the_preferred_one_is_too_small(tmp_path, monkeypatch):
    # A tmpfs of 64 KB (a container's /dev/shm can be 64 MB for a far larger site).
    usage = type(shutil.disk_usage(tmp_path))
    monkeypatch.setattr(indexer.shutil, "disk_usage", lambda _path: usage(65536, 0, 65536))
    made = Path(scratch_folder(RECORDS, str(tmp_path)))
    try:
        assert made.parent == Path(tempfile.gettempdir())
    finally:
        shutil.rmtree(made)


def test_folders_of_ended_builds_are_removed_and_running_ones_kept(tmp_path):
    ended = tmp_path / f"{SCRATCH_PREFIX}{dead_pid()}-abc"
    running = tmp_path / f"{SCRATCH_PREFIX}{os.getppid()}-def"
    other = tmp_path / "khac"
    for folder in (ended, running, other):
        (folder / "0").mkdir(parents=True)
    made = Path(scratch_folder(RECORDS, str(tmp_path)))
    assert sorted(tmp_path.iterdir()) == sorted([made, running, other])
