"""Keep the last good output's files where the new build made the same bytes.

Run on the staged site just before it replaces the output: a staged file
whose bytes equal the output's file at the same path is replaced by a hard
link to that file, so it keeps its inode and modification time and a deploy
(rsync, or any tool that compares size and time) sends only what changed.
Pages the build did not render at all (portal.adapters.incremental) are
linked already and skipped here.
"""
from __future__ import annotations

import filecmp
import os
from pathlib import Path


def keep_unchanged(staging: Path, previous: Path) -> int:
    """Link identical files of ``previous`` into ``staging``; returns how many were kept."""
    kept = 0
    root, before = os.fspath(staging), os.fspath(previous)
    # Plain strings, not Path objects: a site has tens of thousands of files.
    for folder, _dirs, files in os.walk(root):
        old_folder = before + folder[len(root):]
        for name in files:
            staged, old = os.path.join(folder, name), os.path.join(old_folder, name)
            try:
                new_stat, old_stat = os.stat(staged), os.stat(old)
            except OSError:
                continue
            if new_stat.st_ino == old_stat.st_ino and new_stat.st_dev == old_stat.st_dev:
                continue  # linked by the page memo
            if new_stat.st_size != old_stat.st_size or not filecmp.cmp(staged, old, shallow=False):
                continue
            scratch = os.path.join(folder, f".{name}.keep")
            try:
                os.link(old, scratch)
            except OSError:
                return kept  # another file system: nothing can be kept
            os.replace(scratch, staged)
            kept += 1
    return kept
