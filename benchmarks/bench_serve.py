"""`make serve` at portal scale: how soon a saved article shows, against plain Pelican's autoreload.

The corpus is bench_build's (N articles, real portal prose, people, tags, no
photos). Each side watches the same content folder, one after the other:

* portal: `python -m portal serve` with previewconf.py, on a loopback port.
  After its first build, one article after another (spread over the years)
  gets a new paragraph. Measured: from the save until the page served at the
  article's address contains it (what the open browser shows once it
  reloads), and until the rebuild that follows is done (the preview's status
  says it is no longer building);
* plain Pelican 4.12: `python -m pelican -r` (autoreload) with its content
  cache on, the same edits. Measured: until the article's output file
  contains the paragraph (a browser could show nothing sooner), and until
  its build is done (its "Done:" line).

Also the peak memory (summed PSS) of each process tree over the session.

    python -m benchmarks.bench_serve [--articles 10000] [--edits 3] [--write docs/performance.md]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import report
from benchmarks.bench_build import _tree_memory, say, vn, write_corpus
from tests.support.sites import free_port

import psutil

MARK_START, MARK_END = "<!-- bench-serve:start -->", "<!-- bench-serve:end -->"
FIRST_BUILD_SECONDS = 1800
EDIT_SECONDS = 600


@dataclass
class Side:
    shown: list[float] = field(default_factory=list)  # save -> the change is visible
    rebuilt: list[float] = field(default_factory=list)  # save -> the build after it is done
    first_build: float = 0.0
    peak_pss_mib: float = 0.0


def wait_for(condition, seconds: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise SystemExit(f"timed out waiting for {what}")


@contextmanager
def running(command: list[str], cwd: Path, log: Path):
    """A process tree, its peak PSS sampled every 100 ms; stopped on exit. Yields (process, peak)."""
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        tree = psutil.Process(child.pid)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_memory(tree, with_pss=True)[1])
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            yield child, peak
        finally:
            done.set()
            sampler.join()
            os.killpg(child.pid, signal.SIGTERM)
            child.wait(timeout=30)


def append_paragraph(path: Path, word: str) -> float:
    """Save the article with one more paragraph; the time of the save. Both sides are given two quiet
    seconds first: `pelican -r` starts watching again only after its build, and misses a save made
    before that."""
    time.sleep(2)
    text = path.read_text(encoding="utf-8") + f"\nĐoạn {word} vừa được thêm khi xem trước.\n"
    path.write_text(text, encoding="utf-8")
    return time.monotonic()


def portal_side(root: Path, edited: list[Path], logs: Path) -> Side:
    side = Side()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (root / "serveconf.py").write_text(
        f"from previewconf import *\nPATH = {str(root / 'content')!r}\nSIDEBAR_LINKS = []\n", encoding="utf-8")

    def status() -> dict:
        try:
            with urllib.request.urlopen(base + "/_xem-truoc/trang-thai", timeout=5) as response:
                return json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return {}

    def page(url: str) -> str:
        try:
            with urllib.request.urlopen(base + url, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return ""

    command = [sys.executable, "-m", "portal", "serve", "-s", "serveconf.py", "-o", ".preview", "--port", str(port)]
    started = time.monotonic()
    with running(command, root, logs / "portal-serve.log") as (_child, peak):
        wait_for(lambda: status().get("generation", 0) >= 1 and not status().get("building"),
                 FIRST_BUILD_SECONDS, "the preview's first build")
        side.first_build = time.monotonic() - started
        for number, path in enumerate(edited):
            url = "/" + _address(root / ".preview", path.stem)
            word = f"xemnhanh{number}"
            saved = append_paragraph(path, word)
            wait_for(lambda: word in page(url), EDIT_SECONDS, f"{url} to show {word}")
            side.shown.append(time.monotonic() - saved)
            time.sleep(0.5)
            wait_for(lambda: status().get("building") is False, EDIT_SECONDS, "the rebuild")
            side.rebuilt.append(time.monotonic() - saved)
            say(f"portal serve, edit {number + 1}: shown {side.shown[-1]:.2f} s, rebuilt {side.rebuilt[-1]:.1f} s")
        side.peak_pss_mib = peak[0] / 2**20
    return side


def _address(output: Path, slug: str) -> str:
    """The URL path of the page built for an article slug (ARTICLE_SAVE_AS: {date:%Y}/{date:%m}/{slug}/)."""
    found = next(output.glob(f"*/*/{slug}/index.html"))
    return found.parent.relative_to(output).as_posix() + "/"


def pelican_side(root: Path, edited: list[Path], logs: Path) -> Side:
    side = Side()
    log = logs / "pelican-autoreload.log"
    command = [sys.executable, "-m", "pelican", "content", "-s", "cachedconf.py", "-o", "out-serve", "-r"]
    started = time.monotonic()

    def builds() -> int:
        return log.read_text(encoding="utf-8", errors="replace").count("Done: Processed")

    with running(command, root, log) as (_child, peak):
        wait_for(lambda: builds() >= 1, FIRST_BUILD_SECONDS, "Pelican's first build")
        side.first_build = time.monotonic() - started
        for number, path in enumerate(edited):
            output = root / "out-serve" / f"{path.stem}.html"
            word = f"pelicannhanh{number}"
            done_before = builds()
            saved = append_paragraph(path, word)
            wait_for(lambda: word in output.read_text(encoding="utf-8", errors="replace"), EDIT_SECONDS,
                     f"{output} to show {word}")
            side.shown.append(time.monotonic() - saved)
            wait_for(lambda: builds() > done_before, EDIT_SECONDS, "Pelican's rebuild")
            side.rebuilt.append(time.monotonic() - saved)
            say(f"pelican -r, edit {number + 1}: shown {side.shown[-1]:.2f} s, rebuilt {side.rebuilt[-1]:.1f} s")
        side.peak_pss_mib = peak[0] / 2**20
    return side


def run(count: int, edits: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = Path(tmp)
        corpus = write_corpus(root, count)
        logs = Path(tempfile.mkdtemp(prefix="bench-serve-logs-"))
        step = len(corpus.articles) // (edits + 1)
        portal = portal_side(root, [corpus.articles[step * (i + 1)] for i in range(edits)], logs)
        pelican = pelican_side(root, [corpus.articles[step * (i + 1) + 1] for i in range(edits)], logs)
        return {"count": count, "portal": portal, "pelican": pelican, "logs": logs}


def table(result: dict) -> str:
    portal, pelican = result["portal"], result["pelican"]
    shown = statistics.median(portal.shown), statistics.median(pelican.shown)
    rebuilt = statistics.median(portal.rebuilt), statistics.median(pelican.rebuilt)

    def seconds(values: list[float], digits: int) -> str:
        return ", ".join(vn(v, digits) for v in values)

    return "\n".join([
        f"| {vn(result['count'])} articles, one article saved | `portal serve` | `pelican -r` (its cache) | ratio |",
        "|---|---:|---:|---:|",
        f"| the change shows (median of {len(portal.shown)}) | {vn(shown[0], 2)} s | {vn(shown[1], 1)} s "
        f"| **{vn(shown[0] / shown[1], 3)}×** |",
        f"| the build after it is done (median) | {vn(rebuilt[0], 1)} s | {vn(rebuilt[1], 1)} s "
        f"| {vn(rebuilt[0] / rebuilt[1], 2)}× |",
        f"| peak memory over the session (summed PSS) | {vn(portal.peak_pss_mib)} MiB "
        f"| {vn(pelican.peak_pss_mib)} MiB | {vn(portal.peak_pss_mib / pelican.peak_pss_mib, 2)}× |",
        "",
        f"Each save: portal shown {seconds(portal.shown, 2)} s, rebuilt {seconds(portal.rebuilt, 1)} s; Pelican "
        f"shown {seconds(pelican.shown, 1)} s, rebuilt {seconds(pelican.rebuilt, 1)} s. First build (not in the "
        f"table): portal {vn(portal.first_build)} s, Pelican {vn(pelican.first_build)} s.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file")
    args = parser.parse_args()
    result = run(args.articles, args.edits)
    text = table(result)
    print(text, flush=True)
    if args.write:
        header = (f"Measured {time.strftime('%Y-%m-%d')} on the project machine: {psutil.cpu_count()} cores, shared "
                  "with other agents' work (the run held `/tmp/cpu-heavy.lock`).")
        report.write_section(args.write, f"{MARK_START}\n{header}\n\n{text}{MARK_END}", MARK_START, MARK_END,
                             "Preview of a saved article (`make bench-serve`, issue 15)")


if __name__ == "__main__":
    main()
