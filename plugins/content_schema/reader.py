"""A Markdown reader that validates the header before Pelican sees it."""
from __future__ import annotations

import html
import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from markdown import Markdown
from pelican.readers import MarkdownReader

import problems

from . import schema

FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
FIRST_IMAGE = re.compile(r"<img[^>]*\ssrc=\"([^\"]+)\"")
TAG = re.compile(r"<[^>]+>")


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


def split_lead(content: str) -> tuple[str, str]:
    """The first paragraph with text, as plain text, and the body without it."""
    for match in FIRST_PARAGRAPH.finditer(content):
        text = html.unescape(TAG.sub("", match.group(1))).strip()
        if text:
            rest = (content[: match.start()] + content[match.end():]).strip()
            return " ".join(text.split()), rest
    return "", content


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the portal's schema, NFC text and slugs."""

    def read(self, source_path: str):
        with open(source_path, "rb") as handle:
            text = schema.nfc(decode_utf8(source_path, handle.read()))
        header = schema.split_header(text)
        fields = schema.PAGE_FIELDS if self._is_page(source_path) else schema.ARTICLE_FIELDS
        checked = schema.validate(header, fields)
        for line, message in checked.problems:
            problems.error(source_path, line, message)

        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        # The header was parsed above: the body must never be read as metadata.
        if "meta" in self._md.preprocessors:
            self._md.preprocessors.deregister("meta")
        content = self._md.convert(header.body)
        if "summary" not in checked.values:
            # Without a Summary the first paragraph is the lead, shown once.
            checked.values["summary"], content = split_lead(content)
        return content, self._metadata(source_path, checked, content)

    def _is_page(self, source_path: str) -> bool:
        content_root = os.path.abspath(self.settings["PATH"])
        relative = os.path.relpath(os.path.abspath(source_path), content_root)
        top = relative.split(os.sep, 1)[0]
        return top in self.settings["PAGE_PATHS"]

    def _metadata(self, source_path: str, checked: schema.Validated, content: str) -> dict:
        values = dict(checked.values)
        # Placeholders keep Pelican going after an error was reported, so one
        # run lists every problem; the build still fails on the report.
        stem = os.path.splitext(os.path.basename(source_path))[0]
        values.setdefault("title", stem)
        values.setdefault("category", "Chưa phân loại")
        if "date" not in values:
            values["date"] = datetime(1970, 1, 1)
        zone = ZoneInfo(self.settings["TIMEZONE"])
        for key in ("date", "modified"):
            if key in values:
                values[key] = values[key].replace(tzinfo=zone)
        values.setdefault("slug", schema.slugify(values["title"]) or schema.slugify(stem))
        if "image" not in values:
            found = FIRST_IMAGE.search(content)
            if found:
                values["image"] = html.unescape(found.group(1))
        values.setdefault("status", "published")
        values.setdefault("featured", False)
        values["source_lines"] = checked.lines

        metadata = {}
        for name, value in values.items():
            if name in ("category", "author"):
                wrapper = self.process_metadata(name, value)
                wrapper.slug = schema.slugify(value)
                metadata[name] = wrapper
            elif name == "tags":
                wrapped = self.process_metadata(name, ", ".join(value)) if value else []
                for tag in wrapped or []:
                    tag.slug = schema.slugify(tag.name)
                if wrapped:
                    metadata[name] = wrapped
            else:
                metadata[name] = value
        return metadata
