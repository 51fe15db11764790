"""Documents and their photos: placeholders found, sources resolved, HTML rewritten.

Works on Pelican content objects only through ``source_path``, ``metadata``,
``image`` and the rendered HTML in ``_content``; knows nothing of the site.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from slugify import slugify

from portal.core import problems

from . import messages, workpool
from .markup import GALLERY, INLINE, MEDIA, PLACEHOLDER, VIDEO, is_video, placeholder_attributes
from .render import CardImage, Responsive, picture, video
from .sources import SourceError, line_of, resolve, video_problem


@dataclass
class Use:
    """One placeholder of one document."""

    start: int
    end: int
    attributes: dict[str, str]
    source: Path | None

    @property
    def kind(self) -> str:
        return self.attributes[MEDIA]

    @property
    def src(self) -> str:
        return self.attributes.get("src", "")


@dataclass
class PageMedia:
    content: Any  # a Pelican Article or Page
    uses: list[Use] = field(default_factory=list)
    cover: Path | None = None
    cover_src: str = ""

    @property
    def path(self) -> Path:
        return Path(self.content.source_path)

    def line(self, src: str) -> int:
        """Line of ``src`` in the Markdown file, for error messages (read only then)."""
        lines = self.content.metadata.get("source_lines", {})
        if src == self.cover_src and "image" in lines:
            return lines["image"]
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return 0
        return line_of(text, src)


def scan(content: Any, content_root: Path, requests: dict[Path, set[str]]) -> PageMedia:
    """Find the placeholders and cover of ``content``; add what it needs to ``requests``."""
    document = PageMedia(content)
    for match in PLACEHOLDER.finditer(content._content or ""):
        attributes = placeholder_attributes(match.group(0))
        use = Use(match.start(), match.end(), attributes, None)
        try:
            use.source = resolve(use.src, content_root, document.path)
        except SourceError as exc:
            problems.error(document.path, document.line(use.src), str(exc))
        if use.source and use.kind == VIDEO:
            problem = video_problem(use.source, use.src)
            if problem:
                problems.error(document.path, document.line(use.src), problem)
                use.source = None
        if use.source and use.kind != VIDEO:
            requests[use.source].add("body")
        document.uses.append(use)
    _scan_cover(document, content_root, requests)
    return document


def _scan_cover(document: PageMedia, content_root: Path, requests: dict[Path, set[str]]) -> None:
    content = document.content
    src = getattr(content, "image", None)
    explicit = "image" in content.metadata.get("source_lines", {})
    if src and is_video(src) and not explicit:
        # The reader took the first <img> of the body: a video is no cover.
        src = next((u.src for u in document.uses if u.kind != VIDEO), None)
    if not src:
        return
    document.cover_src = src
    try:
        document.cover = resolve(src, content_root, document.path)
    except SourceError as exc:
        problems.error(document.path, document.line(src), str(exc))
        return
    requests[document.cover] |= {"card", "og"}


class Publisher:
    """Public URLs of derivatives, and the files to place into the output."""

    def __init__(self, settings: dict, content_root: Path):
        self.siteurl = settings["SITEURL"]
        self.folder = settings["IMAGES_OUTPUT_DIR"].strip("/")
        self.content_root = content_root
        self.files: dict[str, Path] = {}  # output-relative path -> file to link or copy

    def responsive(self, source: Path, entry: workpool.CachedImage) -> Responsive:
        relative = source.relative_to(self.content_root)
        folders = [slugify(part) for part in relative.parent.parts]
        if folders[:1] == ["images"]:
            folders = folders[1:]
        stem = slugify(relative.stem) or "anh"
        base = "/".join([self.folder, *folders, stem])
        files = []
        for derivative in entry.files:
            extension = derivative.file.rsplit(".", 1)[1]
            path = f"{base}-{entry.key[:8]}-{derivative.width}.{extension}"
            self.files[path] = entry.directory / derivative.file
            files.append((f"{self.siteurl}/{path}", derivative))
        return Responsive(tuple(files))

    def static_url(self, source: Path) -> str:
        relative = source.relative_to(self.content_root).as_posix()
        self.files.setdefault(relative, source)
        return f"{self.siteurl}/{quote(relative)}"


def rewrite(document: PageMedia, outcome: workpool.Outcome, publisher: Publisher, settings: dict) -> None:
    html = document.content._content
    pieces, position, first = [], 0, True
    for use in document.uses:
        replacement = None
        if use.source and use.kind == VIDEO:
            replacement = video(publisher.static_url(use.source), use.attributes.get("alt", ""))
        elif use.source and (use.source, "body") in outcome.entries:
            image = publisher.responsive(use.source, outcome.entries[(use.source, "body")])
            sizes = settings["IMAGES_GALLERY_SIZES"] if use.kind == GALLERY else settings["IMAGES_SIZES"]
            title = use.attributes.get("title", "") if use.kind == INLINE else ""
            # A figure's caption is visible text under it: an alt repeating it is read twice.
            alt = use.attributes.get("alt", "") if use.kind == INLINE else ""
            replacement = picture(image, alt, sizes, first, title)
            first = False
        if replacement is not None:
            pieces += [html[position:use.start], replacement]
            position = use.end
    document.content._content = "".join(pieces) + html[position:]
    if document.cover:
        card = outcome.entries.get((document.cover, "card"))
        og = outcome.entries.get((document.cover, "og"))
        if card:
            files = publisher.responsive(document.cover, card).files
            document.content.image_card = CardImage(files, settings["IMAGES_CARD_SIZES"], settings["IMAGES_SIZES"])
        if og:
            og_image = publisher.responsive(document.cover, og)
            document.content.og_image = og_image.src.removeprefix(publisher.siteurl)


def report_failures(documents: list[PageMedia], outcome: workpool.Outcome, max_pixels: int) -> None:
    for document in documents:
        srcs = {use.source: use.src for use in document.uses if use.source}
        if document.cover:
            srcs.setdefault(document.cover, document.cover_src)
        for source, src in srcs.items():
            if source in outcome.failures:
                message = messages.bad_image(src, source, outcome.failures[source], max_pixels)
                problems.error(document.path, document.line(src), message)
