"""The quick page of `portal serve`: a saved article is shown at once, before the rebuild.

Rebuilding a 10.000-article preview takes tens of seconds, even when only the
pages that changed are rendered again. So after each good build the preview
keeps that build's articles generator and context. When every change is to an
article that build read, each is read again with the build's own reader, its
people and photos are prepared as a build prepares them (the adapters'
``detect_in_one`` and ``process_one``), and its page is rendered with the last
build's context: the menus, sidebars and calendar, and what the build set on
the article from the rest of the site (its related articles, neighbours and
the boxes at its foot), carried over from the article it replaces. The page
replaces the old file in one rename, and the open browser reloads it.

The full rebuild follows at once and overwrites it (the page's file is no
longer the one the last build wrote, so the incremental build renders it
again); until then whatever depends on the rest of the site stays the last
build's: other pages that list the article, its related articles, search. A
change the quick page cannot show faithfully is left to the rebuild alone: a
new, deleted or renamed file, an article whose address, status or template
changed, anything outside the articles. Errors found while reading are shown
at once, as the rebuild would show them. (Hugo's "fast render mode" makes the
same trade.)
"""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pelican.generators import ArticlesGenerator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from portal.adapters import forget_rendered_content, incremental
from portal.adapters.images import process_one
from portal.adapters.people import detect_in_one
from portal.core import problems
from portal.core.images import workpool

# More files than this saved at once (a checkout, a search-and-replace): the rebuild shows them.
MOST_FILES = 5


@dataclass
class QuickResult:
    pages: list[str] = field(default_factory=list)  # output-relative files written
    errors: list[str] = field(default_factory=list)  # "file:line: lỗi: …", when reading found errors


class LastBuild:
    """The articles generator of the last preview build, and quick pages from it."""

    def __init__(self) -> None:
        self._building: ArticlesGenerator | None = None
        self._kept: ArticlesGenerator | None = None
        self._broken: set[str] = set()  # files whose errors stopped the last build

    def capture(self, generators) -> None:
        """``all_generators_finalized`` of a preview build: remember its articles generator."""
        self._building = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)

    def start(self) -> None:
        """A build starts: the last one's site is let go (one site in memory, not two), here, by the
        page memo (the values its pages showed) and by Pelican's memo of their HTML. Its articles name
        one another (neighbours, related articles), so only the cycle collector frees them, and a
        build collects rarely: without this, each save kept one more site in memory (+145 MiB a save
        at 10.000 articles, measured; the collection takes 0,4-0,9 s there)."""
        self._kept = self._building = None
        incremental.release()
        forget_rendered_content()
        gc.unfreeze()
        gc.collect()

    def finish(self, errors_in: set[str] | None) -> None:
        """The build is over: it succeeded (``errors_in`` empty), was stopped by content errors in
        these files (its site was read in full: quick pages may follow once they are all saved
        again), or failed otherwise (None: only a rebuild can tell)."""
        self._kept = self._building if errors_in is not None else None
        self._broken = {os.path.realpath(p) for p in errors_in or ()}
        self._building = None
        # Everything alive now lives until the next build: set aside from the collector, which would
        # otherwise walk the whole site (left young by the build's rare collections) while a quick
        # page is made (0,3 s of its 0,7 s at 10.000 articles, measured).
        gc.freeze()

    def render(self, changed: set[str], output: Path) -> QuickResult | None:
        """Quick pages for the changed files (absolute paths); None when the rebuild alone should show them."""
        generator = self._kept
        paths = {os.path.realpath(p) for p in changed}
        if generator is None or not paths or len(paths) > MOST_FILES or not self._broken <= paths:
            return None
        try:
            return _render(generator, paths, output)
        except Exception:  # noqa: BLE001 - whatever stops a quick page, the rebuild reports it
            return None


def _render(generator: ArticlesGenerator, paths: set[str], output: Path) -> QuickResult | None:
    by_source = {os.path.realpath(a.source_path): a for a in chain(
        generator.articles, generator.drafts, generator.hidden_articles)}
    if not paths <= by_source.keys() or not all(os.path.isfile(p) for p in paths):
        return None
    problems.reset()
    ready = []
    for path in sorted(paths):
        old = by_source[path]
        new = read_again(generator, old, path)
        if problems.errors():
            continue
        if new is None or (new.save_as, new.status, new.template) != (old.save_as, old.status, old.template):
            return None
        ready.append((old, new))
    files: dict[str, Path] = {}
    for old, new in ready:
        files.update(prepare_again(generator, old, new))
    errors = [p.format() for p in problems.errors()]
    if errors:
        return QuickResult(errors=errors)
    workpool.place(files, output)
    pages = [(new.save_as, page(generator, new)) for _old, new in ready]
    for name, html in pages:
        target = Path(sanitised_join(os.fspath(output), name))
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f".{target.name}.nhanh-{os.getpid()}")
        scratch.write_text(html, encoding="utf-8")
        os.replace(scratch, target)  # the server never sends half a page
    return QuickResult(pages=[name for name, _html in pages])


def read_again(generator: ArticlesGenerator, old, path: str):
    """``old``'s file read again with the build's own reader; None when the reader stopped (it
    reports why: a date that is no date)."""
    try:
        return generator.readers.read_file(base_path=generator.path, path=path, content_class=type(old),
                                           context=generator.context)
    except Exception:  # noqa: BLE001 - what stopped it is in the problems already
        return None


def prepare_again(generator: ArticlesGenerator, old, new) -> dict[str, Path]:
    """``new`` (``old`` read again) prepared as a build prepares an article: its people and photos,
    and what the build set on ``old`` from the rest of the site (related articles, neighbours, the
    boxes at the foot): whatever ``old`` has and the file alone does not give. Returns the photo
    files to publish, by output-relative path."""
    detect_in_one(new, generator.context, generator.settings)
    files = process_one(new, generator.settings)
    for name, value in vars(old).items():
        if name not in vars(new) and name not in old.metadata:
            setattr(new, name, value)
    return files


def page(generator: ArticlesGenerator, article) -> str:
    """The article's page, rendered as ``generate_articles`` renders it."""
    name = article.save_as
    context = dict(generator.context, localsiteurl=generator.context.get("localsiteurl"))
    if generator.settings["RELATIVE_URLS"]:
        context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(name))
    context.update(output_file=name, article=article, category=getattr(article, "category", None),
                   url=article.url, blog=True)
    return generator.get_template(article.template).render(context)
