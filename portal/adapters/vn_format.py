"""vn_format: Vietnamese dates and numbers as Jinja filters (``portal.core.vntext``)."""
from __future__ import annotations

from pelican import signals

from portal.core.vntext import FILTERS


def _add_filters(generator) -> None:
    generator.env.filters.update(FILTERS)


def register() -> None:
    signals.generator_init.connect(_add_filters)
