"""Collects content problems from every plugin so one run reports them all.

Features call :func:`error` / :func:`warning` with the source file and line; the
portal CLI prints the report and decides the exit status. The Pelican adapter
(``portal.adapters.problems``) starts a new list at the beginning of every run
and stops a run with errors before anything is written.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = "error"

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = LABELS[self.severity]
        return f"{where}: {label}: {self.message}"


# "note": what an editor should know but need not fix (a scheduled or expired article).
LABELS = {"error": "lỗi", "warning": "cảnh báo", "note": "ghi chú"}
# Insertion-ordered and de-duplicated in O(1): a large site can report thousands of warnings.
_collected: dict[Problem, None] = {}
_captures: list[list[Problem]] = []


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


def note(path: str | os.PathLike, line: int, message: str) -> None:
    _add(Problem(display_path(path), line, message, "note"))


def _add(problem: Problem) -> None:
    _collected[problem] = None
    for captured in _captures:
        captured.append(problem)


def add(problem: Problem) -> None:
    """Report a problem found earlier again (a cached reading replays what it found)."""
    _add(problem)


@contextmanager
def capture() -> Iterator[list[Problem]]:
    """Also collect, into the yielded list, what is reported inside the ``with`` block."""
    captured: list[Problem] = []
    _captures.append(captured)
    try:
        yield captured
    finally:
        _captures.remove(captured)


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
