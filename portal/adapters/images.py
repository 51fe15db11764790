"""images: captioned photos, galleries and videos, published through a fast, safe pipeline.

Owns: the editor syntax (``markup``: a Markdown extension that leaves
placeholders), the derivatives of every photo the content uses (``pipeline``,
run by ``workpool`` over one worker pool per build, cached by ``cache``), the HTML
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

from portal.adapters import forget_rendered_content
from portal.core import problems

from portal.core.images import workpool
from portal.core.images.documents import Publisher, report_failures, rewrite, scan, sources_of
from portal.core.images.settings import FEATURE, encoding, kinds
from portal.core.settings import fill

log = logging.getLogger("portal.images")
LOG_PREFIX = "[images]"

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}
GPS_IFD = 0x8825


def add_markdown_extension(pelican) -> None:
    fill(pelican.settings, FEATURE)
    pelican.settings["MARKDOWN"].setdefault("extension_configs", {}).setdefault("portal.core.images.markup", {})


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


# This run's publisher per output folder, from reading to `finalized`; emptied when a run starts.
_pending: dict[str, Publisher] = {}


def _start_run(_pelican) -> None:
    _pending.clear()


def process(generators) -> None:
    """Scan every document that will be written, make the derivatives, rewrite the placeholders."""
    settings = generators[0].settings
    content_root = Path(settings["PATH"]).resolve()
    requests: dict[Path, set[str]] = defaultdict(set)
    written = _documents(generators)
    if settings.get("DRAFT_SAVE_AS"):  # the editors' preview writes drafts too
        written += _documents(generators, published=False)
    documents = [scan(content, content_root, requests) for content in written]
    outcome = workpool.run(
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
    forget_rendered_content()
    _filter_static(generators, set(requests) | sources_of(_documents(generators, published=False), content_root), settings)
    _pending[settings["OUTPUT_PATH"]] = publisher


def publish(pelican) -> None:
    """Place this build's derivatives (and videos) into the output: hard links to the cache."""
    publisher = _pending.pop(pelican.settings["OUTPUT_PATH"], None)
    if publisher is None:
        return
    workpool.place(publisher.files, Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(add_markdown_extension)
    signals.get_generators.connect(_start_run)
    signals.all_generators_finalized.connect(process)
    signals.finalized.connect(publish)
