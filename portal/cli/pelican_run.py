"""Run Pelican in-process, either fully or only its reading phase."""
from __future__ import annotations

import copy
import logging
import tempfile
from contextlib import contextmanager
from typing import Iterator

from pelican import Pelican, signals
from pelican.settings import read_settings


class ErrorCounter(logging.Handler):
    """Counts ERROR records from Pelican and plugins: any of them fails the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def counting_errors() -> Iterator[ErrorCounter]:
    counter = ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    try:
        yield counter
    finally:
        root.removeHandler(counter)


def load_settings(settings_file: str, output_path: str | None = None, **overrides) -> dict:
    # Named in settings errors (portal.core.settings), so editors know which file to open.
    override = dict(overrides, PORTAL_SETTINGS_FILE=settings_file)
    if output_path is not None:
        override["OUTPUT_PATH"] = output_path
    return _own_copy(read_settings(settings_file, override=override))


def _own_copy(settings: dict) -> dict:
    """The settings with values of their own. A settings file's lists and dicts come from modules
    Python imports once per process (``from pelicanconf import *``), and the features fill them in
    (the Markdown extensions, the paginated templates): without a copy, the second build in one
    process (`portal serve`) would read settings the first one changed, and see another site."""
    copied = {}
    for key, value in settings.items():
        try:
            copied[key] = copy.deepcopy(value)
        except (TypeError, copy.Error):  # a module or a handle: nothing a feature fills in
            copied[key] = value
    return copied


def run_full(settings: dict) -> None:
    """Read, validate and write the whole site into settings['OUTPUT_PATH']."""
    Pelican(settings).run()


def run_read_phase(settings: dict) -> list:
    """Everything a build checks, without rendering a page (for `make check`).

    Mirrors the first half of ``Pelican.run``: generators read and index the
    content and plugins validate it on ``all_generators_finalized``.
    """
    with tempfile.TemporaryDirectory(prefix="portal-check-") as scratch:
        settings = dict(settings, OUTPUT_PATH=scratch)
        pelican = Pelican(settings)
        context = settings.copy()
        context.update(generated_content={}, static_links=set(), static_content={},
                       localsiteurl=settings["SITEURL"])
        generators = [
            cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
                output_path=scratch)
            for cls in pelican._get_generator_classes()  # no public API for this list
        ]
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
        signals.all_generators_finalized.send(generators)
        return generators

