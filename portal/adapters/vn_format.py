"""vn_format: Vietnamese dates and numbers as Jinja filters (``portal.core.vntext``).

Also ``build_today``: the build's date in ``TIMEZONE``, which the header shows
("Thứ Ba, 01/12/2026") until the site's script puts the reader's today there.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from pelican import signals

from portal.core import workflow
from portal.core.vntext import FILTERS


def _add_filters(generator) -> None:
    generator.env.filters.update(FILTERS)
    zone = ZoneInfo(generator.settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")
    generator.env.globals["build_today"] = workflow.current_time(zone).date()  # PORTAL_CLOCK moves it


def register() -> None:
    signals.generator_init.connect(_add_filters)
