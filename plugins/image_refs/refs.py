"""Find /images/... references in a Markdown file and judge them: pure text."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from slugify import slugify

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_URL = r"(?P<url>/(?:{prefixes})/[^)\"'<>\n]*?)"
PATTERNS = (
    # ![caption](/images/2024/a b.jpg "Ảnh: X") -- spaces allowed, as editors type them
    r"\]\(\s*<?" + _URL + r">?\s*(?:\"[^\"\n]*\"|'[^'\n]*')?\s*\)",
    # [ref]: /images/2024/a.jpg "title"
    r"^\s{0,3}\[[^\]\n]+\]:\s*<?" + _URL + r">?\s*(?:\"[^\"\n]*\")?\s*$",
    # <img src="/images/2024/a.jpg">
    r"\b(?:src|href|poster)\s*=\s*[\"']" + _URL + r"[\"']",
)


@dataclass(frozen=True)
class Reference:
    line: int
    url: str  # as written, without the surrounding syntax

    @property
    def path(self) -> str:
        """File path below the content folder, NFC, percent-decoded."""
        return unicodedata.normalize("NFC", unquote(self.url)).lstrip("/")


def compile_patterns(folders: list[str]) -> list[re.Pattern]:
    prefixes = "|".join(re.escape(f.strip("/")) for f in folders)
    return [re.compile(p.replace("{prefixes}", prefixes), re.M) for p in PATTERNS]


def find_references(text: str, patterns: list[re.Pattern]) -> list[Reference]:
    found = set()
    for pattern in patterns:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start("url")) + 1
            found.add(Reference(line, match["url"].strip()))
    return sorted(found, key=lambda r: (r.line, r.url))


def safe_name(name: str) -> str:
    """'Ảnh Hội nghị 01.JPG' -> 'anh-hoi-nghi-01.jpg'."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    cleaned = slugify(stem) or "anh"
    return f"{cleaned}.{suffix.lower()}" if suffix else cleaned


def name_problem(path: str) -> str | None:
    """Why a file name is unsafe in a web address, or None."""
    name = PurePosixPath(path).name
    if SAFE_NAME.match(name):
        return None
    return "tên tệp có dấu cách, chữ có dấu hoặc ký tự đặc biệt"


def rename_advice(url_path: str) -> str:
    path = PurePosixPath(url_path)
    new = path.with_name(safe_name(path.name))
    return (
        f"hãy đổi tên tệp thành '{new.name}' (chữ thường không dấu, nối bằng dấu gạch ngang) "
        f"và sửa đường dẫn trong bài thành '/{new}'"
    )


def closest(wanted: str, candidates: list[str]) -> str | None:
    """A file the editor probably meant: same name once made safe, or a near spelling."""
    wanted_safe = safe_name(PurePosixPath(wanted).name)
    for candidate in candidates:
        if safe_name(PurePosixPath(candidate).name) == wanted_safe:
            return candidate
    names = {PurePosixPath(c).name: c for c in candidates}
    match = difflib.get_close_matches(PurePosixPath(wanted).name, list(names), n=1, cutoff=0.75)
    return names[match[0]] if match else None
