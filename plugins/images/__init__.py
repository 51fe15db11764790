"""images: captioned photos, galleries and videos, published through a fast, safe pipeline.

Owns: the editor syntax (``markup``: a Markdown extension that leaves
placeholders), the derivatives of every photo the content uses (``pipeline``,
run by ``batch`` over one worker pool per build, cached by ``cache``), the HTML
that replaces the placeholders (``render``), the listing thumbnail
(``article.image_card``) and Open Graph image (``article.og_image``) of cover
photos, and keeping source photos out of ``output/``.

Derivatives are published under ``/{IMAGES_OUTPUT_DIR}/`` (default ``/anh/``),
named ``<folder>/<name>-<key>-<width>.<webp|jpg|png>``; the key changes with the
photo's content and the settings, so the files can be cached forever.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from PIL import Image
from slugify import slugify

import problems

from . import batch, messages
from .markup import GALLERY, INLINE, MEDIA, PLACEHOLDER, VIDEO, is_video, placeholder_attributes
from .pipeline import Encoding, Kind
from .render import CardImage, Responsive, picture, video
from .sources import SourceError, line_of, resolve

log = logging.getLogger("portal.images")
LOG_PREFIX = "[images]"

# Widths of the main text column, from theme/static/css/main.css (.layout).
COLUMN = "(min-width: 72rem) 50.5rem, (min-width: 48rem) calc(100vw - 21.5rem), calc(100vw - 2rem)"
DEFAULTS = {
    "IMAGES_WIDTHS": (480, 960, 1600),
    "IMAGES_CARD_WIDTHS": (240, 480, 960),
    "IMAGES_CARD_RATIO": (4, 3),
    "IMAGES_OG_SIZE": (1200, 630),
    "IMAGES_WEBP_QUALITY": 80,
    "IMAGES_JPEG_QUALITY": 82,
    # Larger photos are refused (decompression bombs); 100 million covers 108 MP phones.
    "IMAGES_MAX_PIXELS": 100_000_000,
    "IMAGES_CACHE_DIR": ".cache/images",
    "IMAGES_OUTPUT_DIR": "anh",
    "IMAGES_COPY_SOURCES": False,
    "IMAGES_WORKERS": None,  # all cores
    "IMAGES_PROGRESS": True,  # only ever shown on an interactive terminal
    "IMAGES_SIZES": COLUMN,
    "IMAGES_GALLERY_SIZES": "(min-width: 72rem) 25rem, (min-width: 48rem) calc(50vw - 11rem), calc(50vw - 1.25rem)",
    "IMAGES_CARD_SIZES": "(min-width: 48rem) 12rem, 7.5rem",
}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}
GPS_IFD = 0x8825


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def kinds(settings: dict) -> dict[str, Kind]:
    og_width, og_height = settings["IMAGES_OG_SIZE"]
    return {
        "body": Kind("body", tuple(settings["IMAGES_WIDTHS"]), None, ("webp", "jpeg")),
        "card": Kind("card", tuple(settings["IMAGES_CARD_WIDTHS"]), tuple(settings["IMAGES_CARD_RATIO"]), ("webp", "jpeg")),
        "og": Kind("og", (og_width,), (og_width, og_height), ("jpeg",)),
    }


def encoding(settings: dict) -> Encoding:
    return Encoding(settings["IMAGES_WEBP_QUALITY"], settings["IMAGES_JPEG_QUALITY"], settings["IMAGES_MAX_PIXELS"])


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
class Document:
    content: Content
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


def add_markdown_extension(pelican) -> None:
    apply_defaults(pelican.settings)
    pelican.settings["MARKDOWN"].setdefault("extension_configs", {}).setdefault("images.markup", {})


def _documents(generators, published: bool = True) -> list[Content]:
    """Published articles and pages, or (``published=False``) the drafts."""
    found: list[Content] = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            found += generator.articles + generator.hidden_articles if published else generator.drafts
        elif isinstance(generator, PagesGenerator):
            found += generator.pages + generator.hidden_pages if published else generator.draft_pages
    return found


def _draft_sources(generators, content_root: Path) -> set[Path]:
    """Photos of drafts: not published yet, so neither are their source files."""
    found = set()
    for content in _documents(generators, published=False):
        srcs = [placeholder_attributes(m.group(0)).get("src", "") for m in PLACEHOLDER.finditer(content._content or "")]
        for src in srcs + [getattr(content, "image", None) or ""]:
            try:
                found.add(resolve(src, content_root, Path(content.source_path)))
            except SourceError:
                pass  # reported when the draft is published
    return found


def _scan(content: Content, content_root: Path, requests: dict[Path, set[str]]) -> Document:
    document = Document(content)
    for match in PLACEHOLDER.finditer(content._content or ""):
        attributes = placeholder_attributes(match.group(0))
        use = Use(match.start(), match.end(), attributes, None)
        try:
            use.source = resolve(use.src, content_root, document.path)
        except SourceError as exc:
            problems.error(document.path, document.line(use.src), str(exc))
        if use.source and use.kind != VIDEO:
            requests[use.source].add("body")
        document.uses.append(use)
    _scan_cover(document, content_root, requests)
    return document


def _scan_cover(document: Document, content_root: Path, requests: dict[Path, set[str]]) -> None:
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

    def responsive(self, source: Path, entry: batch.Entry) -> Responsive:
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


def _rewrite(document: Document, outcome: batch.Outcome, publisher: Publisher, settings: dict) -> None:
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
            replacement = picture(image, use.attributes.get("alt", ""), sizes, first, title)
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


def _report_failures(documents: list[Document], outcome: batch.Outcome, max_pixels: int) -> None:
    for document in documents:
        srcs = {use.source: use.src for use in document.uses if use.source}
        if document.cover:
            srcs.setdefault(document.cover, document.cover_src)
        for source, src in srcs.items():
            if source in outcome.failures:
                message = messages.bad_image(src, source, outcome.failures[source], max_pixels)
                problems.error(document.path, document.line(src), message)


def _has_gps(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            return bool(image.getexif().get_ifd(GPS_IFD))
    except Exception:  # noqa: BLE001 - not an image Pillow understands: nothing to strip
        return False


def _filter_static(generators, referenced: set[Path], settings: dict) -> None:
    """Source photos stay out of output/; no file with a GPS position is ever published."""
    copy_sources = settings["IMAGES_COPY_SOURCES"]
    for generator in generators:
        if not isinstance(generator, StaticGenerator):
            continue
        kept = []
        for static in generator.staticfiles:
            path = Path(static.source_path).resolve()
            if path in referenced and not copy_sources:
                continue
            if path.suffix.lower() in PHOTO_SUFFIXES and _has_gps(path):
                problems.warning(
                    path, 0,
                    "tệp ảnh gốc có ghi vị trí GPS nên không được chép nguyên bản lên trang "
                    "(ảnh bài viết dùng vẫn được đăng, đã xóa vị trí)",
                )
                continue
            kept.append(static)
        generator.staticfiles[:] = kept  # the same list object is the context's "staticfiles"


_pending: dict[str, Publisher] = {}


def process(generators) -> None:
    """Scan every published document, make the derivatives, rewrite the placeholders."""
    settings = apply_defaults(generators[0].settings)
    content_root = Path(settings["PATH"]).resolve()
    requests: dict[Path, set[str]] = defaultdict(set)
    documents = [_scan(content, content_root, requests) for content in _documents(generators)]
    outcome = batch.run(
        dict(requests), kinds(settings), encoding(settings), Path(settings["IMAGES_CACHE_DIR"]),
        settings["IMAGES_WORKERS"], settings["IMAGES_PROGRESS"],
    )
    log.info("%s %d ảnh: %d phiên bản dùng lại từ bộ nhớ đệm, %d ảnh xử lý mới",
             LOG_PREFIX, len(requests), outcome.reused, outcome.encoded)
    _report_failures(documents, outcome, settings["IMAGES_MAX_PIXELS"])
    publisher = Publisher(settings, content_root)
    for document in documents:
        _rewrite(document, outcome, publisher, settings)
    # Pelican memoizes rendered content; anything read before now is stale.
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()
    _filter_static(generators, set(requests) | _draft_sources(generators, content_root), settings)
    _pending[settings["OUTPUT_PATH"]] = publisher


def publish(pelican) -> None:
    """Place this build's derivatives (and videos) into the output: hard links to the cache."""
    publisher = _pending.pop(pelican.settings["OUTPUT_PATH"], None)
    if publisher is None:
        return
    batch.place(publisher.files, Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(add_markdown_extension)
    signals.all_generators_finalized.connect(process)
    signals.finalized.connect(publish)
