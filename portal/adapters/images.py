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
from urllib.parse import unquote

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from portal.adapters import forget_rendered_content
from portal.core import problems

from portal.core.images import messages, workpool
from portal.core.images.documents import Publisher, report_failures, rewrite, scan
from portal.core.images.markup import PLACEHOLDER, placeholder_attributes
from portal.core.images.pipeline import BadImage
from portal.core.images.settings import FEATURE, encoding, kinds
from portal.core.settings import fill

log = logging.getLogger("portal.images")
LOG_PREFIX = "[images]"



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


def _site_assets(generators, settings: dict) -> dict[str, tuple[str, int, str]]:
    """Images the site shows at their own address: URL path -> (where it is named, line, what).

    The logo, banner and sidebar link images of the settings, and person photos.
    """
    assets: dict[str, tuple[str, int, str]] = {}
    where = settings.get("PORTAL_SETTINGS_FILE") or "pelicanconf.py"
    for key in ("SITE_LOGO", "SITE_BANNER"):
        if settings.get(key):
            assets.setdefault(settings[key].lstrip("/"), (where, 0, key))
    # Single files the settings publish by name (STATIC_PATHS = [..., "favicon.ico"], EXTRA_PATH_METADATA).
    content_root = Path(settings["PATH"])
    for name in settings.get("STATIC_PATHS") or []:
        if (content_root / name).is_file():
            assets.setdefault(name.strip("/"), (where, 0, "STATIC_PATHS"))
    for name, meta in (settings.get("EXTRA_PATH_METADATA") or {}).items():
        if isinstance(meta, dict) and meta.get("path") and (content_root / name).is_file():
            assets.setdefault(meta["path"].strip("/"), (where, 0, "EXTRA_PATH_METADATA"))
    for _label, image, _url in settings.get("SIDEBAR_LINKS") or []:
        if image:
            assets.setdefault(image.lstrip("/"), (where, 0, "SIDEBAR_LINKS"))
    for generator in generators:  # the people feature's registry, when it ran
        for entry in getattr(generator, "entries", None) or []:
            person = getattr(entry, "person", None)
            photo = getattr(person, "photo", None)
            if photo and getattr(entry, "photo_size", None) is not None:
                assets.setdefault(photo.lstrip("/"), (person.path, person.lines.get("photo", 1), "Photo"))
            # Photos in a biography keep their address (person pages are not documents of the pipeline).
            for match in PLACEHOLDER.finditer(getattr(entry, "biography_html", "") or ""):
                src = unquote(placeholder_attributes(match.group(0)).get("src", ""))
                if src.startswith("/") and not src.startswith("//"):
                    assets.setdefault(src.lstrip("/"), (person.path, 0, "tiểu sử"))
    return assets


def _publish_static(generators, publisher: Publisher, referenced: set[Path], settings: dict) -> None:
    """Nothing under content/ is copied as it is: site images are re-encoded without metadata, the rest stays out.

    Photos in articles are published as derivatives, videos by ``rewrite``; an
    image the site names that cannot be re-encoded is refused, never copied raw.
    """
    assets = _site_assets(generators, settings)
    wanted: dict[Path, list[str]] = defaultdict(list)  # source -> output paths
    for generator in generators:
        if not isinstance(generator, StaticGenerator):
            continue
        for static in generator.staticfiles:
            if static.save_as in assets:
                wanted[Path(static.source_path).resolve()].append(static.save_as)
                assets.pop(static.save_as)
        generator.staticfiles[:] = []  # the same list object is the context's "staticfiles"
    content_root = publisher.content_root
    for url in list(assets):  # named by the site, not a static file: look under content/
        candidate = content_root / url
        if candidate.is_file() and not candidate.is_symlink():
            wanted[candidate.resolve()].append(url)
            assets.pop(url)
    if settings["IMAGES_COPY_SOURCES"]:
        for source in referenced:
            wanted[source].append(source.relative_to(content_root).as_posix())
    encoding_ = encoding(settings)
    cache = Path(settings["IMAGES_CACHE_DIR"]) / "clean"
    for source, urls in wanted.items():
        try:
            file = workpool.clean_copy(source, cache, encoding_)
        except BadImage as exc:
            where, line, what = _named_by(source, urls, generators, settings)
            problems.error(where, line, f"{what}: " + messages.bad_image(urls[0], source, exc, settings["IMAGES_MAX_PIXELS"]))
            continue
        for url in urls:
            publisher.files[url] = file
    for url, (where, line, what) in assets.items():
        problems.warning(where, line, f"{what}: không tìm thấy ảnh '/{url}' trong content/; trang sẽ thiếu ảnh này")


def _named_by(source: Path, urls: list[str], generators, settings: dict) -> tuple[str, int, str]:
    assets = _site_assets(generators, settings)
    for url in urls:
        if url in assets:
            return assets[url]
    return str(source), 0, "ảnh gốc"


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
    _publish_static(generators, publisher, set(requests), settings)
    _pending[settings["OUTPUT_PATH"]] = publisher


def process_one(content: Content, settings: dict) -> dict[str, Path]:
    """One document read outside a build (the newsroom's preview, the quick page of `portal serve`):
    its derivatives made or found in the cache and its placeholders rewritten, as ``process`` does
    for a site. The files to publish, by output-relative path."""
    content_root = Path(settings["PATH"]).resolve()
    requests: dict[Path, set[str]] = defaultdict(set)
    document = scan(content, content_root, requests)
    outcome = workpool.run(dict(requests), kinds(settings), encoding(settings), Path(settings["IMAGES_CACHE_DIR"]),
                           settings["IMAGES_WORKERS"] or 1, False)
    report_failures([document], outcome, settings["IMAGES_MAX_PIXELS"])
    publisher = Publisher(settings, content_root)
    rewrite(document, outcome, publisher, settings)
    content.get_content.cache.clear()
    return publisher.files


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
