"""Saving runs the core's one-file check (``portal.core.check``) against the newsroom's header index."""
from __future__ import annotations

from pathlib import Path

from portal.core import problems
from portal.core.check import check_text
from portal.core.site import Site, read_settings


class Checker:
    def __init__(self, settings_file: Path):
        self.settings = read_settings(settings_file)
        self._site: tuple[int, Site] | None = None

    def check(self, path: Path, text: str, index) -> list[problems.Problem]:
        """What ``python -m portal check`` says of ``text`` saved as ``path``, the other articles as the index has them."""
        entries = index.all()
        if self._site is None or self._site[0] != index.version:
            self._site = (index.version, Site(self.settings, [e.listed for e in entries]))
        return check_text(self._site[1], path, text)
