"""The Pagefind bundle of the published articles, written into the site being built.

Pagefind reads one small page per article (records.record_html), written to a
scratch folder at the article's own path, so each result links to the article.
The `pagefind` command (the binary of PyPI's pagefind[bin]) indexes that folder
in one run per part of the index (see "parts" below). Not its Python API: that
talks to the same binary through a service that answers one request per 0.1 s (a page per request: 225 s for
2.000 pages, against 22 s for the folder), needs 7 % more memory for the same
bundle, and can wait forever when the binary dies instead of failing.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import astuple
from pathlib import Path
from typing import Callable

from pagefind_bin import get_executable

from portal.core.digest import Digest, code_version
from portal.core.files import write_atomic

from .records import SearchRecord, Spellings, record_html, word_counts, word_ranks
from .settings import LOG_PREFIX, log

# Pagefind also writes its ready-made interfaces; the portal has its own
# (theme/static/js/search.js), so they would only be dead weight to publish.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    pass


def write_pages(records: list[SearchRecord], folder: Path, settings: dict) -> None:
    counts = [word_counts(record) for record in records]
    ranks = word_ranks(records, counts)
    spellings = Spellings(settings["SEARCH_FOLD_BODY_WEIGHT"])
    for record, words in zip(records, counts):
        page = folder / record.save_as
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(record_html(record, ranks, settings, words, spellings), encoding="utf-8")


def pagefind_command() -> str:
    # PAGEFIND_BINARY_PATH: the variable Pagefind's own Python package reads to use another binary.
    return os.environ.get("PAGEFIND_BINARY_PATH") or str(get_executable())


# --- parts ------------------------------------------------------------------------------------
# One Pagefind index holds every posting of its pages in memory while it writes
# (about 280 KB per article here), and must be written again whole for any change.
# So a large site's articles are split into parts of about SEARCH_PART_SIZE
# articles, each its own Pagefind index: an edit re-indexes one part, and the
# indexer never holds more than one part. The browser merges them (search.js,
# Pagefind's mergeIndex): part 0 is the bundle folder itself, with pagefind.js
# and the WASM every part shares; part i > 0 is the subfolder "i".

# How many parts, and which part an article is in: linear hashing. The site has
# ceil(articles / SEARCH_PART_SIZE) parts; an article's part comes from a hash of
# its address alone. Going from n to n + 1 parts splits one part in two and
# leaves the others as they are, so an article added or removed where the count
# changes re-indexes two half parts, never the whole site.

# Pagefind closes an index chunk after this many postings of a word (its default). A part
# holding a share s of the site's addresses gets chunks of s × that many postings: a query then
# loads about the same postings from all parts as it would from one index.
PAGEFIND_CHUNK_POSTINGS = 20_000
CHUNK_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"  # read by the pinned Pagefind 1.5.2
# Pagefind 1.5.2 (the musl build of pagefind_bin) allocates with jemalloc, which reads its options
# from this variable. Memory freed between its phases (every page parsed, copied, then a word map
# per page, all alive at once) is returned at once instead of kept for reuse: a part of 2.500
# pages peaked at 610 MiB instead of 750, for ~4 % more time (docs/performance.md). A value set
# in the environment is left alone.
ALLOCATOR_VARIABLE = "_RJEM_MALLOC_CONF"
ALLOCATOR_OPTIONS = "dirty_decay_ms:0,muzzy_decay_ms:0"
# Part 0's files that the other parts need not repeat: the browser loads them once.
SHARED_BUNDLE_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
# How many parts the bundle has, for search.js: in the bundle rather than in the search page, so that
# a rebuild whose new article adds a part can put its pages live before its index, as any other.
COUNT_FILE = "parts.json"


def part_count(addresses: list[str], part_size: int) -> int:
    """How many parts the articles at ``addresses`` are indexed in: one per ``part_size``
    articles, fewer while a part would have no article, which Pagefind cannot index (only tiny
    sites come near one). No articles, no part."""
    if not addresses:
        return 0
    parts = -(-len(addresses) // part_size)
    hashes = [_address_hash(address) for address in addresses]
    while parts > 1 and len({_part(value, parts) for value in hashes}) < parts:
        parts -= 1
    return parts


def part_of(save_as: str, parts: int) -> int:
    """The part an article belongs to, from its address alone: it stays there while it exists, and
    while the site grows moves only into the part split off from its own."""
    return _part(_address_hash(save_as), parts)


def part_share(part: int, parts: int) -> int:
    """1 / the share of all addresses part ``part`` of ``parts`` holds (a part split in two holds half
    of what one not yet split holds). It changes only when that part is split or joined again."""
    level = 1 << (parts - 1).bit_length()  # the smallest power of two >= parts
    not_yet_split = range(parts - level // 2, level // 2)
    return level // 2 if part in not_yet_split else level


def _address_hash(save_as: str) -> int:
    return int.from_bytes(hashlib.sha256(save_as.encode("utf-8")).digest()[:4], "big")


def _part(value: int, parts: int) -> int:
    level = 1 << (parts - 1).bit_length()
    part = value % level
    return part if part < parts else value % (level // 2)


def split(records: list[SearchRecord], parts: int) -> list[list[SearchRecord]]:
    members: list[list[SearchRecord]] = [[] for _ in range(parts)]
    for record in records:
        members[part_of(record.save_as, parts)].append(record)
    return members


def part_folder(bundle: Path, part: int) -> Path:
    return bundle if part == 0 else bundle / str(part)


def _is_part_folder(path: Path) -> bool:
    return path.is_dir() and path.name.isdigit()


def _index(pages: Path, bundle: Path, language: str, chunk_postings: int) -> int:
    command = [pagefind_command(), "--site", str(pages), "--output-path", str(bundle),
               "--force-language", language]
    environment = {ALLOCATOR_VARIABLE: ALLOCATOR_OPTIONS, **os.environ, CHUNK_VARIABLE: str(chunk_postings)}
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace", env=environment)
    except OSError as exc:
        raise SearchIndexError(f"{LOG_PREFIX} không chạy được Pagefind ({command[0]}): {exc}") from exc
    if done.returncode:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-5:]
        raise SearchIndexError(f"{LOG_PREFIX} không lập được chỉ mục tìm kiếm (Pagefind, mã {done.returncode})"
                               + (": " + " / ".join(said) if said else ""))
    found = re.findall(r"Indexed (\d+) page", done.stdout)  # the last one: the total
    return int(found[-1]) if found else 0


def _clear(folder: Path) -> None:
    """Remove a part's own files left in ``folder`` (a preview built in place), not other parts nor
    their count."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if _is_part_folder(path) or path.name == COUNT_FILE:
            continue
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


SCRATCH_PREFIX = "portal-search-"
# Each page's file and folder take a block or two in a tmpfs besides the words.
SCRATCH_BYTES_PER_PAGE = 16384


def scratch_folder(records: list[SearchRecord], preferred: str) -> str:
    """A new folder for the pages Pagefind reads: in ``preferred`` (SEARCH_SCRATCH_DIR, a tmpfs)
    when it can hold them with room to spare, else in the system's temporary folder."""
    if preferred:
        # A page holds each distinct word of its article once or twice, and the title and lead: less
        # than the article's text, counted here as 4 bytes a character (UTF-8 is at most that).
        need = sum(4 * (len(r.title) + len(r.lead) + len(r.body)) + SCRATCH_BYTES_PER_PAGE for r in records)
        try:
            if os.access(preferred, os.W_OK) and shutil.disk_usage(preferred).free > 2 * need:
                _remove_abandoned(Path(preferred))
                return tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=preferred)
        except OSError:
            pass
    return tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")


def _remove_abandoned(folder: Path) -> None:
    """Scratch folders of builds that were killed: in memory, they would hold it until a reboot."""
    for path in folder.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = path.name[len(SCRATCH_PREFIX):].partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def prepare_index(records: list[SearchRecord], bundle: Path, settings: dict,
                  kept: dict[str, tuple[Path, list[str]]] | None = None) -> dict:
    """What of the index needs the records: each part's key, the parts in ``kept``
    (``reusable_parts``) linked into ``bundle``, and the pages Pagefind reads for each other part
    written to a scratch folder. Returns the plan ``index_parts`` follows: plain data, so that the
    rest can run in a process that holds none of the build (``background.Job``'s ``then``).

    ``settings`` holds the SEARCH_ settings (``settings.FEATURE``).
    """
    kept = kept or {}
    parts = part_count([record.save_as for record in records], settings["SEARCH_PART_SIZE"])
    environment = index_environment(settings)
    scratch = scratch_folder(records, settings["SEARCH_SCRATCH_DIR"])
    plan = {"bundle": os.fspath(bundle), "scratch": scratch, "language": settings["SEARCH_LANGUAGE"],
            "parts": parts, "keys": [], "to_index": []}
    try:
        for part, members in enumerate(split(records, parts)):
            share = part_share(part, parts)
            key = records_key(members, environment, part, share)
            if key in kept:
                reuse_part(kept[key], bundle, part)
            else:
                pages = os.path.join(scratch, str(part))
                write_pages(members, Path(pages), settings)
                plan["to_index"].append([part, pages, max(1, PAGEFIND_CHUNK_POSTINGS // share)])
            plan["keys"].append(key)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return plan


def index_parts(plan: dict) -> dict:
    """Pagefind on each part the plan of ``prepare_index`` lists, into its folder of the bundle; the
    scratch pages are removed, whatever happens. Returns the parts' keys and what was indexed."""
    bundle, indexed = Path(plan["bundle"]), 0
    try:
        for part, pages, chunk_postings in plan["to_index"]:
            folder = part_folder(bundle, part)
            _clear(folder)
            indexed += _index(Path(pages), folder.resolve(), plan["language"], chunk_postings)
            for pattern in UNUSED_BUNDLE_FILES + (SHARED_BUNDLE_FILES if part else ()):
                for path in folder.glob(pattern):
                    path.unlink()
            shutil.rmtree(pages, ignore_errors=True)
        if plan["parts"]:  # no article, no bundle
            write_count(bundle, plan["parts"])
    finally:
        shutil.rmtree(plan["scratch"], ignore_errors=True)
    return {"keys": plan["keys"], "indexed": indexed, "rebuilt": len(plan["to_index"]), "parts": plan["parts"],
            "bundle": plan["bundle"]}


def report(done: dict) -> list[str]:
    """Log what ``index_parts`` did; its parts' keys."""
    log.info("%s đã lập chỉ mục tìm kiếm cho %d bài viết (%d/%d phần) trong %s/",
             LOG_PREFIX, done["indexed"], done["rebuilt"], done["parts"], Path(done["bundle"]).name)
    return done["keys"]


def build_index(records: list[SearchRecord], bundle: Path, settings: dict,
                kept: dict[str, tuple[Path, list[str]]] | None = None) -> list[str]:
    """Write the Pagefind bundle for ``records`` into ``bundle``, part by part, in this process;
    returns each part's records key. A part whose key is in ``kept`` is linked from there."""
    return report(index_parts(prepare_index(records, bundle, settings, kept)))


# --- reusing the last good bundle's parts -----------------------------------------------------

MEMO_FILE = "search.json"
ENTRY_FILE = "pagefind-entry.json"


def index_environment(settings: dict) -> str:
    """What every part is made with: the SEARCH_ settings, the code and Pagefind's version."""
    return Digest().of(code_version(), {k: v for k, v in settings.items() if k.startswith("SEARCH_")})


def records_key(records: list[SearchRecord], environment: str, part: int, share: int) -> str:
    """What one part is made of: its records, its number, its share of the site and
    ``index_environment``."""
    return Digest().of(environment, part, share, [astuple(record) for record in records])


def _entry_digest(folder: Path) -> str | None:
    try:
        return hashlib.sha256((folder / ENTRY_FILE).read_bytes()).hexdigest()
    except OSError:
        return None


def part_files(bundle: Path, part: int) -> list[str]:
    """The files of part ``part`` of ``bundle``, relative to its folder (part 0: not the other parts'
    nor their count)."""
    folder = part_folder(bundle, part)
    found = []
    for current, folders, files in os.walk(folder):
        if current == os.fspath(folder):
            folders[:] = [name for name in folders if not name.isdigit()]
            files = [name for name in files if not name.startswith(COUNT_FILE)]
        found += [os.path.relpath(os.path.join(current, name), folder) for name in files]
    return sorted(found)


def write_count(bundle: Path, parts: int) -> None:
    bundle.mkdir(parents=True, exist_ok=True)
    write_atomic(bundle / COUNT_FILE, json.dumps({"parts": parts}), sync=False)


def _remembered(cache_dir: str) -> list:
    try:
        parts = json.loads((Path(cache_dir) / MEMO_FILE).read_text(encoding="utf-8"))["parts"]
    except (OSError, ValueError, TypeError, KeyError):
        return []
    return parts if isinstance(parts, list) else []


def _verified(remembered: object, folder: Path) -> list[str] | None:
    """The files of a remembered part when its folder still holds that part, else None."""
    if not isinstance(remembered, dict) or remembered.get("entry") is None \
            or remembered.get("entry") != _entry_digest(folder) or not isinstance(remembered.get("files"), list):
        return None
    files = [str(name) for name in remembered["files"]]
    # Names inside the part's folder only: a damaged memo never links anything from elsewhere; and
    # each still there (a part that lost a file is indexed again, never half linked).
    if any(os.path.isabs(name) or ".." in Path(name).parts for name in files) or not set(files) <= _present(folder):
        return None
    return files


def _present(folder: Path) -> set[str]:
    """The files under ``folder``, relative to it: one walk, not a stat per remembered file (12.000
    at 10.000 articles: 0,13 s against 0,04 s, twice in a quick rebuild)."""
    root, found = os.fspath(folder), set()
    for current, _folders, files in os.walk(root):
        inside = current[len(root) + 1:]
        found.update(f"{inside}/{name}" if inside else name for name in files)
    return found


def reusable_parts(cache_dir: str, previous_output: str, bundle_dir: str) -> dict[str, tuple[Path, list[str]]]:
    """The last good output's parts still as indexed then, by records key: (folder, files)."""
    if not cache_dir or not previous_output:
        return {}
    bundle = Path(previous_output) / bundle_dir
    found = {}
    for part, remembered in enumerate(_remembered(cache_dir)):
        folder = part_folder(bundle, part)
        files = _verified(remembered, folder)
        if files is not None:
            found[str(remembered.get("records"))] = (folder, files)
    return found


def live_parts(cache_dir: str, previous_output: str, bundle_dir: str) -> list[tuple[Path, list[str]]] | None:
    """Every part of the last good output's bundle with its files, or None when the bundle is not
    the one remembered (then it cannot stand in for the next index)."""
    if not cache_dir or not previous_output:
        return None
    bundle = Path(previous_output) / bundle_dir
    parts = []
    for part, remembered in enumerate(_remembered(cache_dir)):
        files = _verified(remembered, part_folder(bundle, part))
        if files is None:
            return None
        parts.append((part_folder(bundle, part), files))
    return parts or None


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileExistsError:  # replaced, never removed first: a reader always finds the file
        if os.path.samefile(source, target):
            return  # a rename between two names of one file does nothing, and would leave the scratch
        scratch = f"{target}.{os.getpid()}.new"
        if os.path.lexists(scratch):
            os.unlink(scratch)
        _link(source, scratch)
        os.replace(scratch, target)
    except OSError:
        shutil.copy2(source, target)


def reuse_part(kept: tuple[Path, list[str]], bundle: Path, part: int) -> None:
    """The same records give the same part: link the last good part's files in (a deploy sends none),
    with the compressed copies a publish made of them."""
    source, files = kept
    folder = part_folder(bundle, part)
    if source.resolve() == folder.resolve():
        return  # built over the last output (the preview): the part is already in place
    for name in files:
        for variant in (name, name + ".gz", name + ".br"):
            if variant != name and not (source / variant).is_file():
                continue
            (folder / variant).parent.mkdir(parents=True, exist_ok=True)
            _link(os.fspath(source / variant), os.fspath(folder / variant))


def put_in_place(new_bundle: Path, keys: list[str], live_bundle: Path, cache_dir: str,
                 compress: Callable[[str], list[str]] | None = None) -> int:
    """Put the parts of ``new_bundle`` that differ from the live bundle's into it, one part at a time,
    each one's entry file last (the switch: Pagefind reads it first, the rest are named by content),
    and the count of parts; remember them. ``compress`` makes the .gz/.br copies of a file a publish
    keeps and returns them. The files of the replaced parts stay until the next build, for readers
    who loaded them. Returns the parts put.

    When the count changes, a reader may find an article twice for that moment, never miss one: a
    new part goes in before the count that names it, and a part that takes articles back from the
    parts to be removed goes in before the count that drops them."""
    remembered, put = _remembered(cache_dir), 0
    live_count = len(remembered)

    def put_part(part: int) -> None:
        nonlocal put
        before = remembered[part] if part < len(remembered) and isinstance(remembered[part], dict) else {}
        folder = part_folder(live_bundle, part)
        if before.get("records") == keys[part] and _verified(before, folder) is not None:
            return
        files = part_files(new_bundle, part)
        for name in [name for name in files if name != ENTRY_FILE] + [ENTRY_FILE]:
            _put_file(part_folder(new_bundle, part) / name, folder / name, compress)
        put += 1

    growing = len(keys) >= live_count
    for part in range(live_count, len(keys)):
        put_part(part)
    if not growing:
        for part in range(len(keys)):
            put_part(part)
    if keys:
        _put_file(new_bundle / COUNT_FILE, live_bundle / COUNT_FILE, compress)
    if growing:
        for part in range(min(live_count, len(keys))):
            put_part(part)
    for extra in sorted(p for p in live_bundle.iterdir() if _is_part_folder(p) and int(p.name) >= len(keys)):
        shutil.rmtree(extra)  # the count no longer names them
    remember_parts(cache_dir, live_bundle, keys, files_from=new_bundle)
    return put


def _put_file(source: Path, target: Path, compress: Callable[[str], list[str]] | None) -> None:
    """``source``'s file at ``target``, its compressed copies first: a reader never gets a stale one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for copy in compress(os.fspath(source)) if compress else []:
        _link(copy, os.fspath(target) + copy[len(os.fspath(source)):])
    _link(os.fspath(source), os.fspath(target))


def remember_parts(cache_dir: str, bundle: Path, keys: list[str], files_from: Path | None = None) -> None:
    """Each part's records key, entry file digest and files (those of ``files_from`` when the bundle
    still holds a replaced part's files too)."""
    if not cache_dir:
        return
    parts = [{"records": key, "entry": _entry_digest(part_folder(bundle, part)), "files": part_files(files_from or bundle, part)}
             for part, key in enumerate(keys)]
    write_atomic(Path(cache_dir) / MEMO_FILE, json.dumps({"parts": parts}), sync=False)
