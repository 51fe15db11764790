"""images: captioned photos, galleries and videos, published through a fast, safe pipeline.

Owns: the editor syntax (``markup``: a Markdown extension that leaves
placeholders), the derivatives of every photo the content uses (``pipeline``,
run by ``batch`` over one worker pool per build, cached by ``cache``), the HTML
that replaces the placeholders (``documents``, ``render``), the listing thumbnail
(``article.image_card``) and Open Graph image (``article.og_image``) of cover
photos, and keeping source photos out of ``output/``.

Derivatives are published under ``/{IMAGES_OUTPUT_DIR}/`` (default ``/anh/``),
named ``<folder>/<name>-<key>-<width>.<webp|jpg|png>``; the key changes with the
photo's content and the settings, so the files can be cached forever.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from PIL import Image

import problems

from . import batch
from .documents import Publisher, report_failures, rewrite, scan, sources_of
from .pipeline import Encoding, Kind

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
    """Scan every document that will be written, make the derivatives, rewrite the placeholders."""
    settings = apply_defaults(generators[0].settings)
    content_root = Path(settings["PATH"]).resolve()
    requests: dict[Path, set[str]] = defaultdict(set)
    written = _documents(generators)
    if settings.get("DRAFT_SAVE_AS"):  # the editors' preview writes drafts too
        written += _documents(generators, published=False)
    documents = [scan(content, content_root, requests) for content in written]
    outcome = batch.run(
        dict(requests), kinds(settings), encoding(settings), Path(settings["IMAGES_CACHE_DIR"]),
        settings["IMAGES_WORKERS"], settings["IMAGES_PROGRESS"],
    )
    log.info("%s %d ảnh: %d phiên bản dùng lại từ bộ nhớ đệm, %d ảnh xử lý mới",
             LOG_PREFIX, len(requests), outcome.reused, outcome.encoded)
    report_failures(documents, outcome, settings["IMAGES_MAX_PIXELS"])
    publisher = Publisher(settings, content_root)
    for document in documents:
        rewrite(document, outcome, publisher, settings)
    # Pelican memoizes rendered content; anything read before now is stale.
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()
    _filter_static(generators, set(requests) | sources_of(_documents(generators, published=False), content_root), settings)
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
