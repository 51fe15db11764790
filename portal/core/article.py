"""One Markdown source file read into a typed record, without Pelican.

The build's reader, the one-file check (``python -m portal check PATH``), the
newsroom and the importer all read a file through :func:`read_source`, so they
see the same values, the same header line numbers and the same problems.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.core import problems, schema, workflow

FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")


@dataclass
class SourceFile:
    """An article or page file: typed header values, their lines, the Markdown body."""

    path: str
    values: dict[str, Any]  # lower-case field name -> typed value (schema.py)
    lines: dict[str, int]  # lower-case field name -> 1-based line of its header entry
    body: str  # Markdown after the header
    body_line: int  # 1-based line where the body starts
    problems: list[tuple[int, str]]  # (line, message) found in the header

    @property
    def status(self) -> str:
        """The editorial status (portal.core.workflow); an article without one is published."""
        return self.values.get("status", workflow.PUBLISHED)

    @property
    def is_draft(self) -> bool:
        """Never public whatever the time: Nháp, Chờ duyệt, Trả lại, Đã duyệt, Gỡ xuống."""
        return self.status in workflow.NOT_PUBLIC


def decode_utf8(path: str, data: bytes) -> str:
    """Text of the file; invalid UTF-8 is reported with its line and replaced."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            path,
            line,
            "tệp không phải mã UTF-8 hợp lệ; hãy lưu lại tệp với bảng mã UTF-8 "
            "(trong Notepad: Lưu thành… > Mã hóa: UTF-8)",
        )
        return data.decode("utf-8-sig", errors="replace")


def parse_source(path: str, text: str, *, is_page: bool = False) -> SourceFile:
    """Validate the header of already decoded text (NFC applied here)."""
    header = schema.split_header(schema.nfc(text))
    fields = schema.PAGE_FIELDS if is_page else schema.ARTICLE_FIELDS
    checked = schema.validate(header, fields)
    return SourceFile(path, checked.values, checked.lines, header.body, header.body_line, checked.problems)


def read_source(path: str | Path, *, is_page: bool = False) -> SourceFile:
    """Read and validate one file; undecodable bytes are reported to ``problems``."""
    path = str(path)
    with open(path, "rb") as handle:
        text = decode_utf8(path, handle.read())
    return parse_source(path, text, is_page=is_page)


def split_lead(content: str) -> tuple[str, str]:
    """The first paragraph with text, as plain text, and the body without it."""
    for match in FIRST_PARAGRAPH.finditer(content):
        text = html.unescape(TAG.sub("", match.group(1))).strip()
        if text:
            rest = (content[: match.start()] + content[match.end():]).strip()
            return " ".join(text.split()), rest
    return "", content
