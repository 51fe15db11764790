"""A whole site at portal scale: `python -m portal build` against plain Pelican 4.12, same files, same run.

The corpus (written once into a temporary folder): N articles whose paragraphs
are sentences of the sample site's own articles (content/articles, real portal
prose) mixed with a sentence of benchmarks/related_corpus.py's planted story
words, so related articles and search see topics; 8–20 paragraphs each; 1–4
people of a registry written to content/people (the sample site's people, no
photos, plus generated ones), named in the header and in the text; tags; one
article in ten with `Related:`; no photos.

Compared, each as a separate process tree started from here:

* portal: `python -m portal build` with the repository's pelicanconf (every
  feature on), empty output, no cache (its .out-portal.cache and .out-portal.spare removed too);
* plain Pelican: `python -m pelican` on the same content folder, its default
  theme and Markdown reader, year/month/day archives, pagination 20, its
  default feeds, no cache (a minimal pelicanconf written next to the content).

Full builds alternate (portal, Pelican, then Pelican, portal): median of the
pairs. Then the rebuilds, one run each: after one article's body changed at its
end, after another's first paragraph changed (the text related articles are
found by: every list is computed again), after a new article was added
(twice, a copy of an article in the middle of the archive), and after a new
article dated now, as an editor publishes one (the newest: the first of its day
changes the month calendar every listing page shows; a second one the same day
changes only the pages that list it) — the portal builds again into its existing
output (what `make build` does), Pelican with its content cache primed by one
untimed-in-the-table build. A rebuild's time is the command's, until its pages
are in place; its search index follows them, and the time until that index is
in place too (`python -m portal wait-search`, started as the build returns) is
reported beside it; nothing else runs meanwhile. Memory: the peak, over the
build, of the summed RSS of the process and all its children, sampled every
50 ms (PSS beside it, at most every 0,5 s: pages shared by forked workers counted
once; reading a process's memory map for it takes ~13 ms at 1 GiB, which taken
every 50 ms slowed what it measured, the portal's processes more than Pelican's).

    python -m benchmarks.bench_build [--articles 10000] [--pairs 2] [--full-only] [--write docs/performance.md]
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks import report

import psutil

from benchmarks.related_corpus import _name, _sentence, _Vocabulary, generate

ROOT = Path(__file__).resolve().parent.parent
MARK_START, MARK_END = "<!-- bench-build:start -->", "<!-- bench-build:end -->"
GENERATED_PEOPLE = 150
REUSE = re.compile(r"(?:dựng nhanh: )?đọc lại \d+ tệp; dựng \d+ trang, giữ nguyên \d+ trang")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ỹ\"“])")

PLAIN_PELICANCONF = """\
# Plain Pelican 4.12 on the portal's articles: default theme, Markdown reader, no cache.
SITENAME = "Đảng ủy Khối các cơ quan tỉnh"
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_PAGINATION = 20
# Pelican's default "{name}{number}" makes page 2 of tag "…-3" the file of tag "…-32".
PAGINATION_PATTERNS = ((1, "{name}{extension}", "{name}{extension}"),
                       (2, "{name}-trang-{number}{extension}", "{name}-trang-{number}{extension}"))
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/index.html"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""
CACHED_PELICANCONF = PLAIN_PELICANCONF + """\
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "pelican-cache"
"""


# --- corpus -------------------------------------------------------------------

def sample_sentences() -> list[str]:
    """The sentences of the sample site's article bodies (no headings, photos or headers)."""
    found = []
    for path in sorted((ROOT / "content" / "articles").rglob("*.md")):
        _, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        for paragraph in body.split("\n\n"):
            paragraph = " ".join(paragraph.split())
            if paragraph and not paragraph.startswith(("!", "#", "|", "-", ">", "<")):
                found.extend(s for s in _SENTENCE_END.split(paragraph) if len(s.split()) >= 5)
    return found


@dataclass(frozen=True)
class Person:
    key: str  # what `People:` names: the registry key, so namesakes are never ambiguous
    name: str
    unique: bool  # only a name no one else bears is mentioned bare in the text


def write_people(folder: Path, rng: random.Random, vocabulary: _Vocabulary) -> list[Person]:
    """The registry: the sample site's people (photos dropped) and generated ones."""
    folder.mkdir(parents=True, exist_ok=True)
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "content" / "people").glob("*.md")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("Photo:")]
        (folder / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        header = dict(ln.split(":", 1) for ln in lines[:3] if ":" in ln)
        found.append((header.get("Slug", path.stem).strip(), header["Name"].strip()))
    names = {name for _, name in found}
    generated: set[str] = set(names)
    while len(generated) < len(names) + GENERATED_PEOPLE:
        generated.add(_name(rng, vocabulary.rare))
    for number, name in enumerate(sorted(generated - names)):
        (folder / f"nguoi-{number:04d}.md").write_text(
            f"Name: {name}\nSlug: nguoi-{number:04d}\nRoles:\n    {2010 + number % 12}-01: Ủy viên Ban Chấp hành"
            f" Đảng bộ Khối\n\nCán bộ hư cấu của bộ dữ liệu thử.\n", encoding="utf-8")
        found.append((f"nguoi-{number:04d}", name))
    bearers = Counter(name for _, name in found)
    return [Person(key, name, bearers[name] == 1) for key, name in found]


@dataclass
class Corpus:
    root: Path
    articles: list[Path]


def write_corpus(root: Path, count: int, seed: int = 15) -> Corpus:
    rng = random.Random(seed)
    vocabulary = _Vocabulary(random.Random(seed))
    stories = generate(count, seed=seed, body_words=10)
    prose = sample_sentences()
    content = root / "content"
    people = write_people(content / "people", rng, vocabulary)
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "gioi-thieu.md").write_text(
        "Title: Giới thiệu\nSlug: gioi-thieu\n\nĐảng ủy Khối các cơ quan tỉnh.\n", encoding="utf-8")
    by_topic: dict[int, str] = {}
    paths = []
    for number, story in enumerate(stories):
        named = rng.sample(people, rng.randint(1, 4))
        planted = story.title.split()[:4]  # the story's words live in its title and summary
        paragraphs = []
        for index in range(rng.randint(8, 20)):
            sentences = [rng.choice(prose)]
            sentences.insert(rng.randrange(len(sentences) + 1),
                             _sentence(rng, vocabulary, 8, planted, 2).capitalize() + ".")
            if index < len(named) and named[index].unique:
                sentences.append(f"Đồng chí {named[index].name} phát biểu tại buổi làm việc.")
            paragraphs.append(" ".join(sentences))
        header = [
            f"Title: {story.title.capitalize()}",
            f"Date: {story.date:%Y-%m-%d %H:%M}",
            f"Category: {story.category}",
            f"Tags: {', '.join(story.tags)}",
            f"People: {', '.join(person.key for person in named)}",
            f"Slug: {story.slug}",
            f"Summary: {story.summary.capitalize()}.",
        ]
        if story.topic is not None:
            if story.topic in by_topic and number % 10 == 0:
                header.append(f"Related: {by_topic[story.topic]}")
            by_topic[story.topic] = story.slug
        folder = content / "articles" / str(story.date.year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{story.slug}.md"
        path.write_text("\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    (root / "conf.py").write_text(
        f"from pelicanconf import *\nPATH = {str(content)!r}\nSIDEBAR_LINKS = []\n", encoding="utf-8")
    (root / "plainconf.py").write_text(PLAIN_PELICANCONF, encoding="utf-8")
    (root / "cachedconf.py").write_text(CACHED_PELICANCONF, encoding="utf-8")
    return Corpus(root, paths)


# --- measuring ------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    rss_mib: float  # peak of the summed RSS of the process tree
    pss_mib: float  # peak of the summed PSS (shared pages split between sharers)
    reuse: str = ""  # the portal's own account: files read again, pages rendered and kept
    indexed: float | None = None  # a rebuild: seconds until its search index was in place too


def _tree_memory(process: psutil.Process, with_pss: bool) -> tuple[int, int]:
    """The summed RSS of ``process`` and its children, and their summed PSS when ``with_pss``
    (else 0): RSS is read from one line of /proc, PSS from each memory map."""
    rss = pss = 0
    try:
        members = [process] + process.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0
    for member in members:
        try:
            info = member.memory_full_info() if with_pss else member.memory_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss) if with_pss else 0
    return rss, pss


PSS_EVERY = 0.5  # seconds


# The search indexer's scratch pages live in memory (SEARCH_SCRATCH_DIR, a tmpfs): no process's
# RSS, so what the build adds there is counted beside its processes.
SCRATCH_TMPFS = "/dev/shm"


def _tmpfs_used() -> int:
    try:
        return shutil.disk_usage(SCRATCH_TMPFS).used
    except OSError:
        return 0


def measure(command: list[str], cwd: Path, log: Path) -> Run:
    """Run ``command``; wall seconds and peak memory of its whole process tree (with what it put
    in the tmpfs)."""
    peak = [0, 0]
    tmpfs_before = _tmpfs_used()
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        process = psutil.Process(child.pid)
        done = threading.Event()

        def sample() -> None:
            pss_at = 0.0
            while not done.is_set():
                with_pss = time.perf_counter() - pss_at >= PSS_EVERY
                pss_at = time.perf_counter() if with_pss else pss_at
                rss, pss = _tree_memory(process, with_pss)
                in_tmpfs = max(0, _tmpfs_used() - tmpfs_before)
                peak[0] = max(peak[0], rss + in_tmpfs)
                if with_pss:
                    peak[1] = max(peak[1], pss + in_tmpfs)
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status = child.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    if status:
        raise SystemExit(f"{' '.join(command)} failed ({status}); see {log}:\n{log.read_text()[-3000:]}")
    found = REUSE.search(log.read_text(encoding="utf-8", errors="replace"))
    return Run(seconds, peak[0] / 2**20, peak[1] / 2**20, found[0] if found else "")


class Sides:
    def __init__(self, corpus: Corpus, logs: Path):
        self.root, self.logs = corpus.root, logs
        self.count = 0

    def _log(self, name: str) -> Path:
        self.count += 1
        return self.logs / f"{self.count:02d}-{name}.log"

    def portal(self, clean: bool = True) -> Run:
        if clean:  # a cold build: no output to reuse and no cache beside it
            shutil.rmtree(self.root / "out-portal", ignore_errors=True)
            shutil.rmtree(self.root / ".out-portal.cache", ignore_errors=True)
            shutil.rmtree(self.root / ".out-portal.spare", ignore_errors=True)
        started = time.perf_counter()
        run = measure([sys.executable, "-m", "portal", "build", "-s", "conf.py", "-o", "out-portal"],
                      self.root, self._log("portal"))
        subprocess.run([sys.executable, "-m", "portal", "wait-search", "-o", "out-portal"], cwd=self.root, check=True)
        run.indexed = time.perf_counter() - started
        return run

    def pelican(self, conf: str = "plainconf.py", clean: bool = True) -> Run:
        if clean:
            shutil.rmtree(self.root / "out-pelican", ignore_errors=True)
        return measure([sys.executable, "-m", "pelican", "content", "-s", conf, "-o", "out-pelican", "-q"],
                       self.root, self._log("pelican"))


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(count: int, pairs: int, rebuilds: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        corpus = write_corpus(root, count)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.articles)
        say(f"corpus: {count} articles, {words / count:.0f} words each on average, {time.perf_counter() - started:.0f} s")
        logs = Path(tempfile.mkdtemp(prefix="bench-build-logs-"))
        sides = Sides(corpus, logs)
        full = {"portal": [], "pelican": []}
        for pair in range(pairs):
            for side in (("portal", "pelican") if pair % 2 == 0 else ("pelican", "portal")):
                full[side].append(getattr(sides, side)())
                say(f"full build {pair + 1}/{pairs}, {side}: {full[side][-1]}")
        if not rebuilds:  # 50.000 articles: Pelican's cached rebuilds alone take 40 minutes here
            shutil.rmtree(logs)
            return {"count": count, "words": words / count, "full": full}
        primed = sides.pelican("cachedconf.py")
        say(f"Pelican, cache primed: {primed}")
        edited = corpus.articles[len(corpus.articles) // 2]
        unchanged = sides.portal(clean=False)
        say(f"nothing changed: {unchanged}")
        edited.write_text(edited.read_text(encoding="utf-8") + "\nMột đoạn mới được thêm vào bài.\n",
                          encoding="utf-8")
        one = {"portal": sides.portal(clean=False), "pelican": sides.pelican("cachedconf.py", clean=False)}
        say(f"one article changed: {one}")
        # An edit near the top (a word of the first paragraph): the text related articles are found
        # by (title, lead and the body's first syllables) changes, and with it every list.
        opened = corpus.articles[len(corpus.articles) // 3]
        head, _, body = opened.read_text(encoding="utf-8").partition("\n\n")
        opened.write_text(f"{head}\n\nSáng nay, {body}", encoding="utf-8")
        lead = {"portal": sides.portal(clean=False), "pelican": sides.pelican("cachedconf.py", clean=False)}
        say(f"one article's first paragraph changed: {lead}")
        new = edited.with_name("tin-moi-them.md")
        text = edited.read_text(encoding="utf-8").replace(f"Slug: {edited.stem}", "Slug: tin-moi-them", 1)
        new.write_text(re.sub(r"^Related: .*\n", "", text, flags=re.M), encoding="utf-8")
        added = {"portal": sides.portal(clean=False), "pelican": sides.pelican("cachedconf.py", clean=False)}
        say(f"new article: {added}")
        # At 10.000 the first new article also adds a part to the search index (one per
        # SEARCH_PART_SIZE articles: two half parts indexed again); the next one re-indexes one part.
        second = edited.with_name("tin-moi-them-2.md")
        second.write_text(new.read_text(encoding="utf-8").replace("Slug: tin-moi-them", "Slug: tin-moi-them-2", 1),
                          encoding="utf-8")
        added_again = {"portal": sides.portal(clean=False), "pelican": sides.pelican("cachedconf.py", clean=False)}
        say(f"second new article: {added_again}")
        # What an editor publishes: an article dated now, the newest of the site. The first of its
        # day links the day in the latest month's calendar, which every listing page shows.
        now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None) - timedelta(minutes=10)
        first_of_day = {"portal": None, "pelican": None}
        same_day = dict(first_of_day)
        for runs, slug, moment in ((first_of_day, "tin-trong-ngay", now), (same_day, "tin-trong-ngay-2",
                                                                            now + timedelta(minutes=5))):
            text = new.read_text(encoding="utf-8").replace("Slug: tin-moi-them", f"Slug: {slug}", 1)
            text = re.sub(r"^Date: .*$", f"Date: {moment:%Y-%m-%d %H:%M}", text, count=1, flags=re.M)
            folder = corpus.root / "content" / "articles" / str(moment.year)
            folder.mkdir(exist_ok=True)
            (folder / f"{slug}.md").write_text(text, encoding="utf-8")
            runs.update(portal=sides.portal(clean=False), pelican=sides.pelican("cachedconf.py", clean=False))
            say(f"{slug}: {runs}")
        shutil.rmtree(logs)
        return {"count": count, "words": words / count, "full": full, "primed": primed, "one": one, "lead": lead,
                "added": added, "added_again": added_again, "unchanged": unchanged,
                "first_of_day": first_of_day, "same_day": same_day}


# --- report ---------------------------------------------------------------------

def vn(number: float, digits: int = 0) -> str:
    """15.527 / 1,5: the portal's number format, as the rest of docs/performance.md."""
    text = f"{number:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def table(result: dict) -> str:
    full = result["full"]
    portal_s = statistics.median(r.seconds for r in full["portal"])
    pelican_s = statistics.median(r.seconds for r in full["pelican"])
    portal_rss = max(r.rss_mib for r in full["portal"])
    pelican_rss = max(r.rss_mib for r in full["pelican"])
    portal_pss = max(r.pss_mib for r in full["portal"])
    pelican_pss = max(r.pss_mib for r in full["pelican"])
    rows = [
        f"| {vn(result['count'])} articles | this portal | plain Pelican | ratio |",
        "|---|---:|---:|---:|",
        f"| full build, wall (median of {len(full['portal'])} alternated pairs) | {vn(portal_s, 1)} s "
        f"| {vn(pelican_s, 1)} s | **{vn(portal_s / pelican_s, 2)}×** |",
        f"| peak memory, all processes (summed RSS) | {vn(portal_rss)} MiB | {vn(pelican_rss)} MiB "
        f"| **{vn(portal_rss / pelican_rss, 2)}×** |",
        f"| peak memory, all processes (summed PSS) | {vn(portal_pss)} MiB | {vn(pelican_pss)} MiB "
        f"| {vn(portal_pss / pelican_pss, 2)}× |",
    ]
    full_builds = (f"Each full build, in order: portal {', '.join(vn(r.seconds, 1) for r in full['portal'])} s; "
                   f"Pelican {', '.join(vn(r.seconds, 1) for r in full['pelican'])} s.")
    if "one" not in result:
        return "\n".join(rows) + (f"\n\nCorpus: {vn(result['count'])} articles, {vn(result['words'])} words each "
                                  f"on average; full builds only (no rebuilds). {full_builds}\n")
    one, lead, added, again = result["one"], result["lead"], result["added"], result["added_again"]
    first_of_day, same_day = result["first_of_day"], result["same_day"]
    rows += [
        f"| rebuild after one article's body changed (Pelican: its content cache) | {vn(one['portal'].seconds, 1)} s "
        f"| {vn(one['pelican'].seconds, 1)} s | **{vn(one['portal'].seconds / one['pelican'].seconds, 2)}×** |",
        f"| rebuild after one article's first paragraph changed (related articles found again) "
        f"| {vn(lead['portal'].seconds, 1)} s | {vn(lead['pelican'].seconds, 1)} s "
        f"| **{vn(lead['portal'].seconds / lead['pelican'].seconds, 2)}×** |",
        f"| rebuild after a new article was added (Pelican: its content cache) | {vn(added['portal'].seconds, 1)} s "
        f"| {vn(added['pelican'].seconds, 1)} s | **{vn(added['portal'].seconds / added['pelican'].seconds, 2)}×** |",
        f"| rebuild after a second new article (the search index keeps its number of parts) "
        f"| {vn(again['portal'].seconds, 1)} s | {vn(again['pelican'].seconds, 1)} s "
        f"| **{vn(again['portal'].seconds / again['pelican'].seconds, 2)}×** |",
        f"| rebuild after an article dated now, the first of its day (every listing page's calendar changes) "
        f"| {vn(first_of_day['portal'].seconds, 1)} s | {vn(first_of_day['pelican'].seconds, 1)} s "
        f"| **{vn(first_of_day['portal'].seconds / first_of_day['pelican'].seconds, 2)}×** |",
        f"| rebuild after a second article the same day "
        f"| {vn(same_day['portal'].seconds, 1)} s | {vn(same_day['pelican'].seconds, 1)} s "
        f"| **{vn(same_day['portal'].seconds / same_day['pelican'].seconds, 2)}×** |",
    ]
    notes = (
        f"\nCorpus: {vn(result['count'])} articles, {vn(result['words'])} words each on average. "
        f"Pelican's first build with its cache on (priming, not in the table): {vn(result['primed'].seconds, 1)} s. "
        f"{full_builds} "
        f"The portal's rebuilds (its own summary): nothing changed {vn(result['unchanged'].seconds, 1)} s "
        f"({result['unchanged'].reuse}); one article's body ({one['portal'].reuse}); its first paragraph "
        f"({lead['portal'].reuse}); "
        f"a new article ({added['portal'].reuse}); a second one ({again['portal'].reuse}); "
        f"an article dated now, the first of its day ({first_of_day['portal'].reuse}); a second the same day "
        f"({same_day['portal'].reuse}). "
        f"The search index was in place too (it follows a rebuild's pages) after: one article's body "
        f"{vn(one['portal'].indexed, 1)} s ({vn(one['portal'].indexed / one['pelican'].seconds, 2)}× Pelican's "
        f"rebuild); its first paragraph {vn(lead['portal'].indexed, 1)} s "
        f"({vn(lead['portal'].indexed / lead['pelican'].seconds, 2)}×); a new article {vn(added['portal'].indexed, 1)} s "
        f"({vn(added['portal'].indexed / added['pelican'].seconds, 2)}×); a second new article "
        f"{vn(again['portal'].indexed, 1)} s ({vn(again['portal'].indexed / again['pelican'].seconds, 2)}×); the "
        f"first article of the day {vn(first_of_day['portal'].indexed, 1)} s "
        f"({vn(first_of_day['portal'].indexed / first_of_day['pelican'].seconds, 2)}×); a second the same day "
        f"{vn(same_day['portal'].indexed, 1)} s ({vn(same_day['portal'].indexed / same_day['pelican'].seconds, 2)}×).\n"
    )
    return "\n".join(rows) + "\n" + notes


def write_section(path: Path, tables: list[str], header: str) -> None:
    section = f"{MARK_START}\n{header}\n\n" + "\n".join(tables) + f"{MARK_END}"
    report.write_section(path, section, MARK_START, MARK_END, "Whole-site build (`make bench-build`, issue 15)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000])
    parser.add_argument("--pairs", type=int, default=2, help="alternated full-build pairs (median)")
    parser.add_argument("--write", type=Path, help="put the tables into this Markdown file")
    parser.add_argument("--full-only", action="store_true", help="the full builds only, no rebuilds")
    args = parser.parse_args()
    tables = []
    for count in args.articles:
        result = run(count, args.pairs, rebuilds=not args.full_only)
        tables.append(table(result))
        print(tables[-1], flush=True)
    if args.write:
        cpu = psutil.cpu_count()
        header = (f"Measured {time.strftime('%Y-%m-%d')} on the project machine: {cpu} cores, shared with other "
                  f"agents' work (the run held `/tmp/cpu-heavy.lock`, which only the heavy jobs take, so "
                  f"lighter work may have run beside it).")
        write_section(args.write, tables, header)


if __name__ == "__main__":
    main()
