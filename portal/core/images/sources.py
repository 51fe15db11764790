"""Where a photo written in Markdown lives on disk, and on which line it was written."""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from slugify import slugify

from .markup import is_video


WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|file:)", re.I)
CURLY_QUOTES = "“”‘’„«»"
# What a published video may be, recognised by its first bytes: MP4 (ISO BMFF "ftyp") or WebM (EBML).
VIDEO_SIGNATURES = {"MP4": lambda head: head[4:8] == b"ftyp", "WebM": lambda head: head[:4] == b"\x1a\x45\xdf\xa3"}


def video_problem(path: Path, src: str) -> str | None:
    """Why the file behind a video reference cannot be published, or None for an MP4 or WebM."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        return f"không đọc được video '{src}': {exc.strerror}"
    if any(test(head) for test in VIDEO_SIGNATURES.values()):
        return None
    return (f"video '{src}' không phải tệp MP4 hay WebM (xét theo nội dung tệp, không theo đuôi tên); "
            "hãy xuất lại video dạng MP4 (H.264) rồi đưa lên")


class SourceError(Exception):
    """A reference that does not lead to a usable file; the message is for editors."""


def resolve(src: str, content_root: Path, document: Path) -> Path:
    """The file behind ``src``: '/images/a.jpg' from the content root, 'a.jpg' from the document.

    Percent-encoded (``h%E1%BB%99i%20ngh%E1%BB%8B.jpg``) and raw names with spaces
    or Vietnamese letters both work, in either Unicode normal form.
    """
    if WINDOWS_PATH.match(src) or "\\" in src:
        raise SourceError(
            f"'{src}' là đường dẫn trên máy tính của bạn, trang web không đọc được; "
            "hãy chép ảnh vào content/images/ (ví dụ content/images/2024/) rồi ghi đường dẫn /images/2024/ten-anh.jpg"
        )
    if any(mark in src for mark in CURLY_QUOTES):
        raise SourceError(
            f"'{src}' có dấu ngoặc kép cong (“ ” ‘ ’) nên dòng tác giả bị đọc thành tên tệp; hãy gõ lại "
            'bằng dấu ngoặc kép thẳng: ![Chú thích](/images/anh.jpg "Ảnh: Tên tác giả")'
        )
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        raise SourceError(
            f"ảnh '{src}' lấy từ trang web khác; cổng thông tin không tải gì từ bên ngoài. "
            "Hãy tải ảnh về, đặt vào content/images/ rồi ghi đường dẫn /images/…"
        )
    path = unquote(parts.path)
    for prefix in ("{static}", "{attach}"):
        path = path.removeprefix(prefix)
    base = content_root if path.startswith("/") else document.parent
    candidate = Path(os.path.normpath(base / path.lstrip("/")))
    if not candidate.is_relative_to(content_root):
        raise SourceError(f"ảnh '{src}' nằm ngoài thư mục content/; hãy chép ảnh vào content/images/")
    for form in ("NFC", "NFD"):
        named = candidate.with_name(unicodedata.normalize(form, candidate.name))
        if named.is_file():
            return named
    raise SourceError(_missing_message(src, candidate, content_root))


def _missing_message(src: str, candidate: Path, content_root: Path) -> str:
    shown = candidate.relative_to(content_root.parent) if content_root.parent in candidate.parents else candidate
    what = "video" if is_video(src) else "ảnh"
    message = f"không tìm thấy {what} '{src}' (tệp {shown} không có)"
    similar = _similar_names(candidate)
    if similar:
        return message + f"; trong thư mục có tệp gần giống: {', '.join(similar)}. Hãy sửa đường dẫn cho đúng từng chữ (kể cả chữ hoa, chữ thường)"
    if not candidate.parent.is_dir():
        return message + f"; thư mục {candidate.parent.name}/ cũng không có. Kiểm tra lại năm, thư mục trong đường dẫn"
    return message + f". Kiểm tra lại tên tệp, hoặc chép {what} vào đúng thư mục"


def _similar_names(candidate: Path) -> list[str]:
    """Files whose names differ only in case, accents, spaces or punctuation,
    else one near spelling (a typo: "le-ky-nien.jpg" for "le-ky-niem.jpg")."""
    if not candidate.parent.is_dir():
        return []
    names = [entry.name for entry in candidate.parent.iterdir() if entry.is_file()]
    wanted = slugify(candidate.stem)
    same = sorted(name for name in names if slugify(Path(name).stem) == wanted)[:3]
    return same or difflib.get_close_matches(candidate.name, names, n=1, cutoff=0.75)


def line_of(text: str, src: str, first_line: int = 1) -> int:
    """The line where ``src`` is written, searched from ``first_line``; 0 if nowhere."""
    needles = [src, unquote(src)]
    lines = text.splitlines()
    for number, line in enumerate(lines[first_line - 1:], start=first_line):
        if any(needle and needle in line for needle in needles):
            return number
    return 0
