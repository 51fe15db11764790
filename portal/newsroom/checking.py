"""Saving runs the core's one-file check (``portal.core.check``) against the newsroom's header index."""
from __future__ import annotations

from pathlib import Path

from portal.core import problems
from portal.core.article import parse_source

try:  # the core's one-file check (package branch)
    from portal.core.check import check_text
    from portal.core.site import Listed, Site, read_settings
except ImportError:  # pragma: no cover - older core: header problems only
    check_text = None


class Checker:
    def __init__(self, settings_file: Path):
        self.settings = read_settings(settings_file) if check_text else None

    def check(self, path: Path, text: str, entries) -> list[problems.Problem]:
        if check_text is None:
            source = parse_source(str(path), text)
            return [problems.Problem(str(path), line, message) for line, message in source.problems]
        articles = [Listed(e.path.resolve(), e.slug, e.title, e.category, e.date, e.draft) for e in entries]
        return check_text(Site(self.settings, articles), path, text)
