"""Collects content problems from every plugin so one run reports them all.

Plugins call :func:`error` / :func:`warning` with the source file and line; the
portal CLI prints the report and decides the exit status. When Pelican is run
directly (``pelican -r`` in ``make serve``), :func:`register` makes the run fail
loudly at the end instead of publishing a half-valid site.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from pelican import signals

log = logging.getLogger("portal.problems")
LOG_PREFIX = "[problems]"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = "error"

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "lỗi" if self.severity == "error" else "cảnh báo"
        return f"{where}: {label}: {self.message}"


_collected: list[Problem] = []


def display_path(path: str | os.PathLike) -> str:
    """Path as the editor knows it: relative to the working directory when possible."""
    path = os.fspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # different drive
        return path
    return path if rel.startswith("..") else rel


def error(path: str | os.PathLike, line: int, message: str) -> None:
    _add(Problem(display_path(path), line, message, "error"))


def warning(path: str | os.PathLike, line: int, message: str) -> None:
    _add(Problem(display_path(path), line, message, "warning"))


def _add(problem: Problem) -> None:
    if problem not in _collected:
        _collected.append(problem)


def collected() -> list[Problem]:
    return sorted(_collected)


def errors() -> list[Problem]:
    return [p for p in collected() if p.severity == "error"]


def reset(*_args, **_kwargs) -> None:
    _collected.clear()


class ContentErrors(Exception):
    """Raised at the end of a Pelican run that found content errors."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(p.format() for p in problems)
        super().__init__(f"{len(problems)} lỗi nội dung:\n{lines}")


def fail_on_errors(*_args, **_kwargs) -> None:
    found = errors()
    if found:
        raise ContentErrors(found)


def register() -> None:
    signals.initialized.connect(reset)
    # get_writer is sent after every generator and plugin has read and checked
    # the content, and before anything is written: a site with content errors
    # is never rendered.
    signals.get_writer.connect(fail_on_errors)
