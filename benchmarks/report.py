"""Writing a benchmark's results into its marked section of docs/performance.md."""
from __future__ import annotations

from pathlib import Path


def write_section(path: Path, section: str, start: str, end: str, heading: str) -> None:
    """Replace the text between ``start`` and ``end`` (included in ``section``), or append it under ``heading``."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if start in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
