"""Photos and videos sent from the form: recognised by content, checked by the pipeline, stored with an ASCII name.

A refusal leaves nothing behind: the upload is checked in a scratch file in
the data folder and only a file that passed is moved into content/.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from portal.core.images import messages
from portal.core.images.pipeline import BadImage, Encoding, Kind, decode

PHOTO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
VIDEO_EXTENSIONS = {"mp4": "mp4", "webm": "webm"}
# Markup in a photo or video is how polyglots (a JPEG that is also an HTML page) work. Each token is
# long enough that random compressed bytes practically never contain it (a short one such as "<a "
# occurs by chance in about every other 2 MB camera photo).
MARKUP = re.compile(rb"<script|<!doctype\s+html|<html[\s>]|<\?php|<iframe|<object[\s>]|<embed[\s>]|javascript:"
                    rb"|<svg[\s>][^<]{0,200}?(?:xmlns|on[a-z]+\s*=)|\son(?:load|error)\s*=", re.I)
CHUNK = 1 << 20


class UploadRefused(ValueError):
    """The message is for the editor."""


@dataclass
class Stored:
    path: Path  # in content/
    src: str  # as written in Markdown: /images/2025/x.jpg
    kind: str  # "photo" | "video"


def sniff(head: bytes) -> str | None:
    """The format by content: JPEG, PNG, WEBP, mp4, webm; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"iso5", b"iso6"):
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "webm"
    return None


def _has_markup(path: Path) -> bool:
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if MARKUP.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def check_and_store(scratch: Path, original_name: str, content_root: Path, year: int, limits: dict[str, int],
                    max_pixels: int) -> Stored:
    """Check ``scratch`` (already on disk, size known) and move it into content/; UploadRefused otherwise."""
    size = scratch.stat().st_size
    with open(scratch, "rb") as handle:
        head = handle.read(64)
    found = sniff(head)
    shown = original_name or "tệp"
    if found is None:
        raise UploadRefused(
            f"'{shown}' không phải ảnh JPEG, PNG, WebP hay video MP4, WebM (nhận biết theo nội dung tệp, "
            "không theo đuôi tên); ảnh SVG, GIF, HEIC và tệp HTML không được nhận")
    kind = "video" if found in VIDEO_EXTENSIONS else "photo"
    limit = limits[kind]
    if size > limit:
        raise UploadRefused(f"'{shown}' nặng {size / 1048576:.1f} MB, vượt giới hạn {limit // 1048576} MB".replace(".", ","))
    if size == 0:
        raise UploadRefused(f"'{shown}' là tệp rỗng")
    if _has_markup(scratch):
        raise UploadRefused(f"'{shown}' có chứa mã trang web (HTML/SVG/script) bên trong, nên không được nhận; "
                            "hãy xuất lại ảnh bằng phần mềm xem ảnh")
    if kind == "photo":
        try:
            decode(str(scratch), [Kind("body", (480,), None, ("webp",))], Encoding(max_pixels=max_pixels))
        except BadImage as error:
            raise UploadRefused(messages.bad_image(shown, Path(shown), error, max_pixels)) from None
        extension = PHOTO_EXTENSIONS[found]
        folder = content_root / "images" / str(year)
    else:
        extension = VIDEO_EXTENSIONS[found]
        folder = content_root / "videos" / str(year)
    stem = slugify(Path(original_name).stem)[:80].strip("-") or ("anh" if kind == "photo" else "video")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.{extension}"
    number = 1
    while True:
        try:
            # Claim the name first (never overwrite another photo), then move the checked file over it.
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            os.close(fd)
            break
        except FileExistsError:
            number += 1
            target = folder / f"{stem}-{number}.{extension}"
    try:
        shutil.move(str(scratch), target)
        os.chmod(target, 0o644)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Stored(target, "/" + target.relative_to(content_root).as_posix(), kind)


def scratch_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="upload-", dir=folder)
    os.close(handle)
    return Path(name)


def figure_markdown(src: str, caption: str, credit: str, kind: str = "photo") -> str:
    """The portal's figure syntax: ![caption](/images/… "Ảnh: credit")."""
    caption = " ".join(caption.split()).replace("[", "(").replace("]", ")")
    credit = " ".join(credit.split()).replace('"', "'")
    title = ""
    if credit:
        title = f' "{credit}"' if credit.lower().startswith(("ảnh", "video", "nguồn")) else f' "{"Video" if kind == "video" else "Ảnh"}: {credit}"'
    return f"![{caption}]({src}{title})"
