"""The build's manifest file (format: ``portal.core.stats.manifest``), re-read when it changes.

The static build replaces the file atomically; it is re-read when its
modification time or inode changes, so a new build needs no restart.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from portal.core.stats.manifest import Manifest

log = logging.getLogger("stats_service.manifest")


class ManifestFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._signature: tuple[int, int] | None = None
        self._current = Manifest()

    def current(self) -> Manifest:
        try:
            stat = os.stat(self.path)
        except OSError:
            if self._signature is not None:
                log.warning("manifest %s is missing; keeping the last one", self.path)
                self._signature = None
            return self._current
        signature = (stat.st_ino, stat.st_mtime_ns)
        if signature != self._signature:
            self._signature = signature
            try:
                self._current = Manifest.parse(json.loads(self.path.read_text(encoding="utf-8")))
                log.info("manifest %s: %d paths", self.path, len(self._current.paths))
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                log.error("manifest %s is unreadable (%s); keeping the last one", self.path, exc)
        return self._current
