"""Pelican adapter for the problem list: a new list per run, no page written after an error."""
from __future__ import annotations

from pelican import signals

from portal.core import problems


def register() -> None:
    # get_generators is sent at the start of every run, including each
    # autoreload cycle of `make serve`, where `initialized` is sent only once.
    signals.get_generators.connect(problems.reset)
    # get_writer is sent after every generator and plugin has read and checked
    # the content, and before anything is written: a site with content errors
    # is never rendered.
    signals.get_writer.connect(problems.fail_on_errors)
