"""image_refs: every /images/... (and /videos/...) file an article names exists
and has a web-safe name, or the editor gets file:line and how to fix it.

Runs in `make check` and in every build. Names with spaces or diacritics
("Ảnh hội nghị.jpg") break Markdown links and differ between Windows, macOS
and the server, so they are reported with the exact new name to use.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

import problems

from .refs import Reference, closest, compile_patterns, find_references, name_problem, rename_advice, safe_name

log = logging.getLogger("portal.image_refs")
LOG_PREFIX = "[image_refs]"

DEFAULTS = {
    # Folders (from STATIC_PATHS) whose references are checked.
    "IMAGE_REFS_FOLDERS": None,
    # False turns unsafe names into warnings (when an image pipeline renames them).
    "IMAGE_REFS_NAMES_ARE_ERRORS": True,
}


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if settings["IMAGE_REFS_FOLDERS"] is None:
        settings["IMAGE_REFS_FOLDERS"] = list(settings.get("STATIC_PATHS", ["images"]))
    return settings


def _sources(generators) -> list:
    found = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            found += generator.articles + generator.drafts + generator.hidden_articles
        elif isinstance(generator, PagesGenerator):
            found += generator.pages + generator.draft_pages + generator.hidden_pages
    return found


def _siblings(content_root: Path, relative: str) -> list[str]:
    folder = (content_root / relative).parent
    if not folder.is_dir():
        return []
    base = folder.relative_to(content_root).as_posix()
    return sorted(f"/{base}/{name}" for name in os.listdir(folder) if (folder / name).is_file())


def check_reference(source: str, content_root: Path, ref: Reference, names_are_errors: bool) -> None:
    target = content_root / ref.path
    if target.is_file():
        if name_problem(ref.path):
            report = problems.error if names_are_errors else problems.warning
            report(source, ref.line, f"ảnh '{ref.url}': {name_problem(ref.path)}; {rename_advice(ref.path)}")
        return
    guess = closest("/" + ref.path, _siblings(content_root, ref.path))
    message = f"không tìm thấy tệp '{ref.url}' (cần có tệp {Path(content_root.name, ref.path).as_posix()})"
    if guess and name_problem(guess) and safe_name(Path(guess).name) == Path(ref.path).name:
        message += f"; trong thư mục có tệp '{Path(guess).name}': hãy đổi tên tệp đó thành '{Path(ref.path).name}'"
    elif guess and name_problem(guess):
        message += f"; trong thư mục có tệp '{guess}' nhưng {name_problem(guess)}: {rename_advice(guess.lstrip('/'))}"
    elif guess:
        message += f"; có phải ý bạn là '{guess}'?"
    elif name_problem(ref.path):
        message += f"; {rename_advice(ref.path)}"
    problems.error(source, ref.line, message)


def check_all(generators) -> None:
    if not generators:
        return
    settings = apply_defaults(generators[0].settings)
    content_root = Path(settings["PATH"]).resolve()
    patterns = compile_patterns(settings["IMAGE_REFS_FOLDERS"])
    for content in _sources(generators):
        try:
            text = Path(content.source_path).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        refs = find_references(text, patterns)
        lines = content.metadata.get("source_lines", {})
        image = content.metadata.get("image")
        if "image" in lines and isinstance(image, str) and image.startswith("/"):
            refs.append(Reference(lines["image"], image))
        for ref in refs:
            check_reference(content.source_path, content_root, ref, settings["IMAGE_REFS_NAMES_ARE_ERRORS"])


def register() -> None:
    signals.all_generators_finalized.connect(check_all)
