"""The quick rebuild: when only the text of a few articles changed, only their pages are made again.

A rebuild of a large site spends most of its time learning that nothing else
changed: at 10.000 articles it reads every article from the reading cache,
joins the people and the related lists, and computes the key of each of 20.000
pages, about 14 s, to render three pages. So each good full build leaves, in
its cache folder, the articles' context as it prepared them (pickled: 70 MB,
0,6 s at 10.000 articles) and a record of the content folder
(core/source_tree.py). The next build looks at the folder first, and when

- the settings, the code and the templates are that build's (the page memo's
  environment), the page memo and the working folder are the ones it left, it
  is the same day (the calendar and the people's roles "today"), no scheduled
  or expiring article's time has come since, and the statistics are the same;
- what changed is at most ``MOST_FILES`` published articles, read without
  errors, at the same address, status and template;
- what other pages show of each is the same: its header, its card (title, date,
  category, tags, summary, photo: ``incremental.card_digest``), and the people it
  names with the roles it states,

it renders those pages alone, as the quick page of `portal serve` does (the
tests compare them with a cold build, byte for byte), with the publish steps a
page needs (fingerprinted assets, compressed copies), puts each in place with
one rename, and has the search follower index their parts again. With feeds on
(``publishconf.py``: Atom carries the newest articles' text), Pelican makes them
again from the kept site and those whose bytes changed go in place too. When the edit
reaches the part of the text the related lists are found by (the first ~250
syllables), every list is found again (``related.relate``, ~1,6 s at 10.000
articles: the other articles' documents, their terms counted, and the weights of
their index are kept beside the context after the full build) with the boxes at each article's foot
(``listings.finish_feet``), and the pages whose boxes changed are rendered too,
with /related.json; the lists are kept for the next build by a detached process.
The new text, and the boxes that changed, are kept beside the context (``bodies``,
``feet``) for the next quick rebuild. Anything
else, or anything that fails before a page is written, is a full build, which
records the state again; a rebuild with nothing changed writes nothing.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import secrets
import sys
import tempfile
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator
from pelican.utils import sanitised_join
from pelican.writers import Writer

from portal.adapters import forget_rendered_content, incremental, search, stats
from portal.adapters.listings import finish_feet
from portal.adapters.related import PEOPLE_PLUGIN, counted_documents, document_for, lists_json, relate, weights_of
from portal.core import compression, detached, problems, read_cache, source_tree, workflow
from portal.core.files import write_atomic
from portal.core.images import workpool
from portal.core.listings.grouping import ListingIndex
from portal.core.related.index import Config
from portal.core.related.tokens import syllables
from portal.core.search import follow

from .fingerprint import renamed_in, rewrite_references
from .pelican_run import load_settings
from .quick_page import MOST_FILES, page, prepare_again, read_again

log = logging.getLogger("portal.quick")
FOLDER = "quick"  # in the build's cache folder
STATE_FILE = "state.json"
LOCK_FILE = "state.lock"  # held by the process that writes the state after a full build
DOCUMENTS_LOCK = "documents.lock"  # held by the one that counts the related documents' terms beside it
SCHEMA = 2
FINGERPRINT_STEP = "portal.cli.fingerprint:fingerprint_assets"
# The publish steps a quick rebuild can do for one page; any other step means a full build.
PAGE_STEPS = {"portal.importer.redirects:write_pages", FINGERPRINT_STEP, compression.POSTBUILD_STEP}
# Bodies and feet kept beside the pickled context before a full build records it anew.
MOST_BODIES = 500
MOST_FEET = 5000
# Each article names its neighbours, which name theirs: pickling the context goes as deep as the site is long.
PICKLE_STACK = 512 * 1024 * 1024
PICKLE_DEPTH = 1_000_000
SEARCH_PLUGIN = "portal.adapters.search"
RELATED_PLUGIN = "portal.adapters.related"
LISTINGS_PLUGIN = "portal.adapters.listings"


class Declined(Exception):
    """Why this change needs a full build (for the log)."""


@dataclass
class Attempt:
    look: source_tree.Look | None = None  # the content folder before reading, for the full build to record
    rendered: int | None = None  # pages the quick rebuild wrote; None when it did not build
    read: int = 0  # source files it read again
    kept: int = 0
    read_at: datetime | None = None  # when the quick rebuild read the content


class Capture:
    """The articles generator of the build in progress (``all_generators_finalized``)."""

    def __init__(self) -> None:
        self.generator: ArticlesGenerator | None = None

    def __call__(self, generators) -> None:
        self.generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)


@contextmanager
def capturing() -> Iterator[Capture]:
    capture = Capture()
    signals.all_generators_finalized.connect(capture, weak=False)
    try:
        yield capture
    finally:
        signals.all_generators_finalized.disconnect(capture)


def folder_of(cache_dir: Path) -> Path:
    return Path(cache_dir) / FOLDER


# --- after a full build --------------------------------------------------------------------------

def record(cache_dir: Path, output: Path, look: source_tree.Look | None, capture: Capture, read_at: datetime) -> None:
    """After a good full build of ``output``: what the next build needs to rebuild quickly, written by
    a detached process (pickling the site takes about a second at 10.000 articles, and the build
    command need not wait for it); the next build waits for it (``LOCK_FILE``). The related documents
    are counted by another (``DOCUMENTS_LOCK``), which only a quick rebuild that finds the related lists
    again waits for. Any older state is forgotten first, so a state is never taken for a build it does
    not describe."""
    folder = folder_of(cache_dir)
    detached.wait(folder / LOCK_FILE)
    forget(folder)
    run, generator = incremental.current(), capture.generator
    if look is None or generator is None or run is None or run.cache_dir is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    name, documents = f"site-{token}.pickle", f"related-{token}.pickle"
    state = {
        "schema": SCHEMA, "environment": run.environment, "output": os.fspath(output), "cwd": os.getcwd(),
        "memo": _digest(run.cache_dir / incremental.MEMO_FILE), "context": name, "bodies": {}, "feet": {},
        "record": look.record, "taken_at": look.taken_at, "day": read_at.date().isoformat(),
        "due": _due_after(generator.context, read_at), "problems": [_problem(p) for p in problems.collected()],
    }
    context, settings = generator.context, generator.settings

    if RELATED_PLUGIN in settings["PLUGINS"]:
        state["documents"] = documents

        def count() -> None:
            # After the build, so that an edit's related lists need count only its own terms and weigh
            # only the texts it can change; in a process of its own, which only such an edit waits for
            # (3,5 s at 10.000 articles).
            scratch = folder / f"{documents}.{os.getpid()}.part"
            try:
                counted = counted_documents(context.get("articles", []), settings)
                _pickle({"documents": counted, "weighed": weights_of(counted, settings)}, scratch)
                os.replace(scratch, folder / documents)
            finally:
                scratch.unlink(missing_ok=True)

        detached.start(count, folder / DOCUMENTS_LOCK)

    def write() -> None:
        try:
            _pickle(context, folder / name)
            state["files"] = _output_files(output, settings)
            root = settings["PATH"]
            state["heads"] = {_name(a, root): _head(a.source_path) for a in context.get("articles", [])}
            write_atomic(folder / STATE_FILE, json.dumps(state, ensure_ascii=False), sync=False)
        except Exception:  # noqa: BLE001 - a value that cannot be kept: the next build is a full one
            (folder / name).unlink(missing_ok=True)

    detached.start(write, folder / LOCK_FILE)


def forget(folder: Path) -> None:
    """No quick rebuild from this state (the state file goes first: without it nothing is read)."""
    (folder / STATE_FILE).unlink(missing_ok=True)
    detached.wait(folder / DOCUMENTS_LOCK)  # its file is written last
    for pattern in ("site-*.pickle", "related-*.pickle", "related-*.part"):
        for old in folder.glob(pattern) if folder.is_dir() else ():
            old.unlink(missing_ok=True)


class _Unavailable:
    """Stands in for a function that cannot be pickled (a lambda made during the build): calling it
    stops the quick rebuild, and the full build that follows has the real one."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *_args, **_kwargs):
        raise Declined(f"hàm {self.name} không được lưu")


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, types.FunctionType) and "<locals>" in obj.__qualname__:
            return _Unavailable, (obj.__qualname__,)
        return NotImplemented


def _pickle(value: Any, path: Path) -> None:
    failed: list[BaseException] = []

    def dump() -> None:
        depth = sys.getrecursionlimit()
        sys.setrecursionlimit(max(depth, PICKLE_DEPTH))
        try:
            with open(path, "wb") as handle:
                _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            failed.append(error)
        finally:
            sys.setrecursionlimit(depth)

    stack = threading.stack_size(PICKLE_STACK)
    try:
        worker = threading.Thread(target=dump, name="quick-state")
        worker.start()
    finally:
        threading.stack_size(stack)
    worker.join()
    if failed:
        raise failed[0]


def _output_files(output: Path, settings: dict) -> dict[str, list]:
    """The output's files as the build left them (the search bundle aside: its follower and its
    memo look after it)."""
    return source_tree.files_of(output, settings.get("SEARCH_BUNDLE_DIR", ""))


def _started(function: Callable[..., Any], *args) -> Callable[[], Any]:
    """``function(*args)`` run in a thread from now on; the call returned waits for its value."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="quick")
    future = pool.submit(function, *args)
    pool.shutdown(wait=False)
    return future.result


def _name(article, root: str) -> str:
    """An article's file as the content folder's record names it."""
    return os.path.relpath(article.source_path, root).replace(os.sep, "/")


def _head(path: str) -> str | None:
    """The digest of a source file's header: what a change there alters (the title, the date, the
    summary, the people, the editor's related picks) goes to other pages, so the quick rebuild
    declines it without reading the site."""
    try:
        text = Path(path).read_bytes().replace(b"\r\n", b"\n")
    except OSError:
        return None
    header_end = text.find(b"\n\n")
    return hashlib.sha256(text if header_end < 0 else text[:header_end]).hexdigest()


def _due_after(context: dict, moment: datetime) -> list[str]:
    """The moments after ``moment`` at which an article shows or hides by itself."""
    found = set()
    for key in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
        for content in context.get(key) or []:
            times = workflow.due_times(getattr(content, "workflow_status", ""), getattr(content, "date", None),
                                       getattr(content, "expires", None))
            found.update(t.isoformat() for t in times if t > moment)
    return sorted(found)


def _problem(problem: problems.Problem) -> list:
    return [problem.path, problem.line, problem.message, problem.severity]


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# --- before a build ------------------------------------------------------------------------------

def attempt(settings_file: str, output: Path, overrides: dict) -> Attempt:
    """Look at the content folder, and rebuild quickly when the change allows it."""
    cache_dir = Path(overrides.get("BUILD_CACHE_PATH") or "")
    try:
        settings = load_settings(settings_file, output_path=os.fspath(output), **overrides)
    except Exception:  # noqa: BLE001 - the full build reports a broken settings file
        return Attempt()
    if not (overrides.get("BUILD_CACHE_PATH") and settings.get("BUILD_INCREMENTAL", True)):
        return Attempt()
    if not settings.get("BUILD_QUICK", True):
        detached.wait(folder_of(cache_dir) / LOCK_FILE)
        forget(folder_of(cache_dir))
        return Attempt()
    detached.wait(folder_of(cache_dir) / LOCK_FILE)
    state = _load_state(folder_of(cache_dir), output)
    look = source_tree.look(settings["PATH"], state["record"] if state else None, state["taken_at"] if state else 0.0)
    if state is None or not output.is_dir():
        return Attempt(look)
    read_at = workflow.current_time(ZoneInfo(settings["TIMEZONE"]))
    try:
        read, rendered, kept = _Quick(settings, state, look, output, cache_dir).run(read_at)
    except Declined as reason:
        log.info("[quick] dựng đầy đủ: %s", reason)
        problems.reset()
        return Attempt(look)
    except Exception as error:  # noqa: BLE001 - a state it cannot use: the full build does it all
        log.warning("[quick] không dựng nhanh được (%s: %s); dựng đầy đủ", type(error).__name__, error)
        forget(folder_of(cache_dir))
        problems.reset()
        return Attempt(look)
    finally:
        incremental.release()
    return Attempt(look, rendered, read, kept, read_at)


def _load_state(folder: Path, output: Path) -> dict | None:
    try:
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("schema") != SCHEMA or state.get("output") != os.fspath(output) \
            or not (folder / str(state.get("context"))).is_file():
        return None
    return state


class _Quick:
    def __init__(self, settings: dict, state: dict, look: source_tree.Look, output: Path, cache_dir: Path):
        self.settings, self.state, self.look, self.output, self.cache_dir = settings, state, look, output, cache_dir
        self.folder = folder_of(cache_dir)
        self.later: list[Callable[[], None]] = []  # what is kept for the next build once the pages are in place

    def run(self, now: datetime) -> tuple[int, int, int]:
        """Files read, pages rendered, pages kept."""
        state, settings = self.state, self.settings
        changed = sorted(self.look.changed)
        if len(changed) > MOST_FILES:
            raise Declined(f"{len(changed)} tệp đổi")
        if any(self.look.record.get(name, [""])[0] != "file" or name not in state["record"] for name in changed):
            raise Declined("có tệp được thêm, bị xóa hoặc là liên kết")
        heads = state.get("heads", {})
        moved = [name for name in changed if heads.get(name) != _head(os.path.join(settings["PATH"], name))]
        if moved:
            raise Declined(f"{moved[0]}: phần thông tin đầu bài đổi")
        if state["cwd"] != os.getcwd() or state["memo"] != _digest(self.cache_dir / incremental.MEMO_FILE):
            raise Declined("bản dựng trước không còn như lúc ghi lại")
        steps = [step for step in settings.get("PORTAL_POSTBUILD", []) if step not in PAGE_STEPS]
        if steps:
            raise Declined(f"bước sau khi dựng {steps[0]}")
        translated = [key for key in ("TRANSLATION_FEED_ATOM", "TRANSLATION_FEED_RSS") if settings.get(key)]
        if translated:
            raise Declined(f"{translated[0]}: nguồn tin theo ngôn ngữ")
        if now.date().isoformat() != state["day"] or any(datetime.fromisoformat(t) <= now for t in state["due"]):
            raise Declined("đã sang ngày mới hoặc có bài đến giờ đăng, hết hạn")
        # The index of the last build, or of a quick rebuild since, is in place: one that failed is made
        # again by a full build (a failure older than the state was, by the build that recorded it).
        indexed = follow.wait(self.cache_dir)
        if indexed.get("state") == "failed" and indexed.get("at", 0) >= state["taken_at"]:
            raise Declined("chỉ mục tìm kiếm lần trước không lập được")
        Pelican(settings)  # the plugins registered and the settings filled in, as a build's
        # Looked at while the site is unpickled and its lists found (the look waits on the disk, they
        # on the processor), compared last: 32.000 files at 10.000 articles.
        output_files = _started(_output_files, self.output, settings)
        run = incremental.current()
        if run is None or run.environment != state["environment"]:
            raise Declined("cài đặt, mã hoặc giao diện đã đổi")
        read_cache.activate(None)  # a few files are read: no read-ahead of the site (it hashes every file)
        context = _unpickle(self.folder / state["context"])
        root = settings["PATH"]
        articles = {_name(a, root): a for a in context.get("articles", [])}
        for name, body in state["bodies"].items():
            articles[name]._content = body
        _put_feet(context.get("articles", []), state["feet"])
        if not set(changed) <= articles.keys():
            raise Declined("tệp đổi không phải bài đã đăng")
        problems.reset()
        if settings.get("STATS_ENABLED") and stats.current_snapshot(settings) != context.get("stats_snapshot"):
            raise Declined("số liệu thống kê đã đổi")
        generator = ArticlesGenerator(context=context, settings=settings, path=root, theme=settings["THEME"],
                                      output_path=os.fspath(self.output))
        renewed = [self._read(generator, run, articles[name]) for name in changed]
        relisted, lists = [], None
        if RELATED_PLUGIN in settings["PLUGINS"] \
                and any(self._indexed(old) != self._indexed(new) for old, new, _files in renewed):
            edited = {articles[name].url for name in (*state["bodies"], *changed)}
            relisted, lists = self._relate(context, renewed, edited)
        index_again = None
        if SEARCH_PLUGIN in settings["PLUGINS"] and changed:
            index_again = search.follow_edit(settings, context["articles"], self.output)
            if index_again is None:
                raise Declined("chỉ mục tìm kiếm không dùng lại được")
        if output_files() != state["files"]:
            raise Declined(f"thư mục {self.output.name}/ đã bị sửa ngoài lần dựng")
        # From here on the output changes.
        shown = [new for _old, new, _files in renewed] + relisted
        pages = {article.save_as: self._finished(page(generator, article)) for article in shown}
        written = set()
        for _old, _new, files in renewed:
            workpool.place(files, self.output)
            written.update(files)
        for name, html in pages.items():
            written.update(self._put(name, html))
        if lists is not None:
            written.update(self._put_lists(lists))
        for old, new, _files in renewed:
            old._content = new._content  # the search records read it; and it is kept in ``bodies``
            if lists is not None:
                old.__dict__.update(_boxes(new))
        forget_rendered_content()
        written.update(self._put_feeds(generator, context))
        refooted = [*relisted, *(old for old, _new, _files in renewed)] if lists is not None else []
        kept = self._remember(pages, changed, articles, written, refooted)
        if index_again is not None:
            index_again()
        if self.later:
            jobs = self.later
            detached.start(lambda: [job() for job in jobs], self.folder / LOCK_FILE)
        return len(changed), len(pages), kept

    def _read(self, generator: ArticlesGenerator, run, old) -> tuple[Any, Any, dict]:
        """``old`` read again and prepared; Declined unless only its own page can show the change."""
        new = read_again(generator, old, old.source_path)
        if new is None or problems.errors():
            raise Declined(f"{old.source_path} có lỗi")
        if (new.save_as, new.status, new.template) != (old.save_as, old.status, old.template):
            raise Declined(f"{old.source_path}: địa chỉ, trạng thái hoặc khuôn trang đổi")
        files = prepare_again(generator, old, new)
        if problems.errors():
            raise Declined(f"{old.source_path} có lỗi")
        if getattr(old, "translations", None) or getattr(new, "translations", None):
            raise Declined(f"{old.source_path} có bản dịch")
        if run.card_digest(old, ("people_entries",)) != run.card_digest(new, ("people_entries",)):
            raise Declined(f"{old.source_path}: thẻ bài đổi")
        if _people(old) != _people(new):
            raise Declined(f"{old.source_path}: nhân vật hoặc chức vụ ghi trong bài đổi")
        return old, new, files

    def _relate(self, context: dict, renewed: list, edited_urls: set[str]) -> tuple[list, str]:
        """Every related list found again with the edited articles' new text, and the boxes at each
        article's foot with them, as a full build makes them; returns the other articles whose boxes
        changed, and /related.json's text. The documents of the articles not edited since the state was
        recorded (``edited_urls``) are the ones it kept, their terms counted."""
        drafts = context.get("drafts", [])
        if self.settings.get("DRAFT_SAVE_AS") and drafts:
            raise Declined("bản xem trước có bài nháp trong tin liên quan")
        edited = {id(old): new for old, new, _files in renewed}
        articles = [edited.get(id(article), article) for article in context.get("articles", [])]
        before = {id(article): _foot(article) for article in articles}
        kept = self._kept_documents()
        known = {url: document for url, document in kept["documents"].items() if url not in edited_urls}
        lists = relate(articles, drafts, self.settings, known=known, later=self.later.append, weighed=kept["weighed"])
        if LISTINGS_PLUGIN in self.settings["PLUGINS"]:  # the other two boxes, which share its articles
            finish_feet(ListingIndex(articles), drafts, self.settings)
        shown = {id(new) for new in edited.values()}
        relisted = [a for a in articles if id(a) not in shown and _foot(a) != before[id(a)]]
        return relisted, lists_json(lists)

    def _kept_documents(self) -> dict:
        """The documents the full build's state kept, once counted, and its index's weights; none if
        they could not be."""
        nothing = {"documents": {}, "weighed": None}
        name = self.state.get("documents")
        if not name:
            return nothing
        detached.wait(self.folder / DOCUMENTS_LOCK)
        try:
            return _unpickle(self.folder / name)
        except FileNotFoundError:
            return nothing

    def _put_lists(self, text: str) -> list[str]:
        """/related.json with the new lists, unless it has them already."""
        name = self.settings.get("RELATED_JSON_SAVE_AS")
        if not name:
            return []
        try:
            if (self.output / name).read_text(encoding="utf-8") == text:
                return []
        except OSError:
            pass
        return self._put(name, text)

    def _indexed(self, article) -> tuple:
        """What the related index reads of an article: its address, date and keywords, and the first
        syllables of its text (the title and lead twice, then the body: ``news_text``)."""
        limit = Config.from_settings(self.settings).text_syllables
        document = document_for(article, limit, PEOPLE_PLUGIN in self.settings["PLUGINS"])
        return document.id, document.date, document.keywords, syllables(document.text, limit)

    def _finished(self, html: str) -> str:
        """The publish steps of one page: its asset references fingerprinted as the output's are."""
        if FINGERPRINT_STEP in self.settings.get("PORTAL_POSTBUILD", []):
            renamed = renamed_in(self.output, self.settings.get("THEME_STATIC_DIR", "theme"))
            html = rewrite_references(html, renamed, self.settings.get("SITEURL", ""))
        return html

    def _put_feeds(self, generator: ArticlesGenerator, context: dict) -> list[str]:
        """The feeds (``publishconf.py``: Atom carries each of the newest articles' text), made again by
        Pelican from the site as it is now; those whose bytes changed go in place."""
        if not any(value for key, value in self.settings.items() if "FEED_" in key and key.endswith(("ATOM", "RSS"))):
            return []
        generator.articles, generator.translations = context.get("articles", []), []
        generator.categories, generator.authors = context.get("categories", []), context.get("authors", [])
        generator.tags = context.get("tags", {})
        written = []
        with tempfile.TemporaryDirectory(prefix="portal-feeds-") as scratch:
            generator.generate_feeds(Writer(scratch, settings=self.settings))
            for made in sorted(Path(scratch).rglob("*")):
                if not made.is_file():
                    continue
                name, data = made.relative_to(scratch).as_posix(), made.read_bytes()
                try:
                    if (self.output / name).read_bytes() == data:
                        continue
                except OSError:
                    pass
                written += self._put(name, data)
        return written

    def _put(self, name: str, content: str | bytes) -> list[str]:
        """The page (or feed) in place, with its compressed copies; returns the files written."""
        target = Path(sanitised_join(os.fspath(self.output), name))
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f".nhanh-{os.getpid()}-{target.name}")
        scratch.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        written = [name]
        for copy in compression.compressed_copies(os.fspath(scratch), self.settings):
            suffix = copy[len(os.fspath(scratch)):]
            os.replace(copy, os.fspath(target) + suffix)
            written.append(name + suffix)
        os.replace(scratch, target)  # a reader never gets half a page
        return written

    def _remember(self, pages: dict[str, str], changed: list[str], articles: dict, written: set[str],
                  refooted: list) -> int:
        """The page memo and the state after this rebuild (``written``: the output's files it wrote);
        returns the pages kept."""
        memo_file = self.cache_dir / incremental.MEMO_FILE
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
        for name, html in pages.items():
            stat = (self.output / name).stat()
            # A key no full build computes: the next one renders these pages again, to the same bytes.
            memo["pages"][name] = [f"quick:{hashlib.sha256(html.encode()).hexdigest()}", stat.st_size,
                                   stat.st_mtime_ns, stat.st_ino]
        write_atomic(memo_file, json.dumps(memo, ensure_ascii=False), sync=False)
        state = self.state
        changed_paths = {problems.display_path(articles[name].source_path) for name in changed}
        for kept in state["problems"]:
            if kept[0] not in changed_paths:
                problems.add(problems.Problem(*kept))
        state["problems"] = [_problem(p) for p in problems.collected()]
        state["bodies"].update((name, articles[name]._content) for name in changed)
        state["feet"].update((article.url, _foot(article)) for article in refooted)
        state.update(record=self.look.record, taken_at=self.look.taken_at, memo=_digest(memo_file))
        for name in written:
            try:
                stat = os.lstat(self.output / name)
            except OSError:
                state["files"].pop(name, None)
            else:
                state["files"][name] = [stat.st_ino, stat.st_size, stat.st_mtime_ns]
        if len(state["bodies"]) > MOST_BODIES or len(state["feet"]) > MOST_FEET:
            forget(self.folder)  # the next build is a full one, and records the site anew
        else:
            write_atomic(self.folder / STATE_FILE, json.dumps(state, ensure_ascii=False), sync=False)
        return len(memo["pages"]) - len(pages)


# The boxes at an article's foot, each a list of articles: set by related and listings from the whole site.
FOOT = ("related_articles", "same_category", "other_news")


def _boxes(article) -> dict[str, list]:
    """Those of the boxes the article has (the other two only with listings)."""
    return {name: getattr(article, name) for name in FOOT if hasattr(article, name)}


def _foot(article) -> dict[str, list[str]]:
    return {name: [other.url for other in box or []] for name, box in _boxes(article).items()}


def _put_feet(articles: list, feet: dict[str, dict[str, list[str]]]) -> None:
    """The boxes a quick rebuild changed since the context was pickled, put back on its articles."""
    if not feet:
        return
    by_url = {article.url: article for article in articles}
    for url, boxes in feet.items():
        for name, urls in boxes.items():
            setattr(by_url[url], name, [by_url[other] for other in urls])


def _people(article) -> list[tuple[str, str]]:
    """Who the article names, with the role it states for each (shown on their pages)."""
    return [(entry.key or entry.name, entry.stated.get(article, ""))
            for entry in getattr(article, "people_entries", None) or []]


def _unpickle(path: Path) -> dict:
    with open(path, "rb") as handle:
        return pickle.load(handle)
