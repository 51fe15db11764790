"""`python -m portal serve` (`make serve`): the editors' live preview.

Builds the site with the preview settings, serves it on a loopback port and
rebuilds on every change to the content, the theme or the settings. While the
content has errors, every page answers with the list of problems (`file:line`
and the message in Vietnamese) instead of silently showing the last good
page; the next good build brings the site back. Pages reload themselves after
each build through a small script the server adds to the HTML it serves (the
files on disk are left as built).
"""
from __future__ import annotations

import functools
import html
import http.server
import json
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles
from pelican import Pelican, signals
from pelican.utils import FileChangeFilter

from portal.core import problems
from portal.core.settings import SettingsError

from portal.adapters import incremental, pages_written

from .build import cache_folder, reuse_summary
from .pelican_run import counting_errors, load_settings, rare_collections
from .quick_page import LastBuild

STATUS_PATH = "/_xem-truoc/trang-thai"
SCRIPT_PATH = "/_xem-truoc/tai-lai.js"
SCRIPT = Path(__file__).with_name("preview_reload.js")
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
log = logging.getLogger("portal.serve")


@dataclass
class PreviewState:
    """What the server shows: the build generation and, after a failed build, its problems."""

    generation: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    shown_early: bool = False  # this build's pages were shown before its search index was done
    building: bool = False

    def started(self) -> None:
        with self.lock:
            self.building = True

    def pages_written(self, *_args) -> None:
        """The pages are on disk; the search index follows: reload the open pages now."""
        with self.lock:
            self.generation += 1
            self.problems = []
            self.shown_early = True

    def quick(self, found: list[str]) -> None:
        """Quick pages are in place (or reading the saved files found these errors): reload now."""
        with self.lock:
            self.generation += 1
            self.problems = found

    def finished(self, found: list[str]) -> None:
        with self.lock:
            already = (self.shown_early and not found) or (found and found == self.problems)
            if not already:  # the open pages show this build's result already: no second reload
                self.generation += 1
            self.problems = found
            self.shown_early = False
            self.building = False

    def snapshot(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.generation, list(self.problems)

    def status(self) -> dict:
        with self.lock:
            return {"generation": self.generation, "ok": not self.problems, "building": self.building}


@rare_collections()  # as `portal build`: the collector would walk the whole site again and again (performance.md)
def build_once(settings_file: str, output: str, extra: dict) -> list[str]:
    """Build the preview; the problems that stopped it (empty when it succeeded).

    The preview is built over itself: pages whose key did not change are left as
    they are, files not read again come from the reading cache beside it.
    """
    problems.reset()
    target = Path(output).resolve()
    try:
        settings = load_settings(settings_file, output, **{
            "BUILD_CACHE_PATH": str(cache_folder(target)), "BUILD_PREVIOUS_OUTPUT": str(target), **extra})
        with counting_errors() as counter:
            Pelican(settings).run()
    except problems.ContentErrors as exc:
        return [p.format() for p in exc.problems]
    except SettingsError as exc:
        return str(exc).splitlines()
    except Exception as exc:  # noqa: BLE001 - any failure is shown in the browser, the loop goes on
        return [f"lỗi: {type(exc).__name__}: {exc}"]
    if counter.messages:
        return [f"lỗi: {message}" for message in counter.messages]
    incremental.remember_pages(target)
    return []


def error_page(found: list[str]) -> bytes:
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in found)
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Bản xem trước có lỗi</title></head><body>"
        "<main><h1>Bản xem trước chưa cập nhật được: nội dung có lỗi</h1>"
        f"<p>Sửa {len(found)} lỗi dưới đây rồi lưu tệp; trang sẽ tự tải lại khi bản xem trước dựng xong.</p>"
        f"<ol>{items}</ol></main>{SCRIPT_TAG.decode()}</body></html>"
    ).encode()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState

    def log_message(self, *args) -> None:  # the terminal is for build messages
        pass

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        path = self.path.split("?", 1)[0]
        if path == STATUS_PATH:
            return self._send(200, "application/json", json.dumps(self.state.status()).encode())
        if path == SCRIPT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", SCRIPT.read_bytes())
        _, found = self.state.snapshot()
        if found and self._is_page(path):
            return self._send(500, "text/html; charset=utf-8", error_page(found))
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            body = file.read_bytes().replace(b"</body>", SCRIPT_TAG + b"</body>", 1)
            return self._send(200, "text/html; charset=utf-8", body)
        return super().do_GET()

    def _is_page(self, path: str) -> bool:
        return path.endswith("/") or path.endswith(".html")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


# How long the watcher waits for a change before it may be asked again (milliseconds).
WAKE_MS = 200


class Watcher:
    """Changes to the settings file, the theme and the content.

    One watcher for the whole session, so a file saved while a build runs is
    seen when that build ends (a watcher started after each build would miss
    it). Made again only when the settings move the watched folders.
    """

    def __init__(self, settings_file: str):
        self.settings_file = settings_file
        self._paths: tuple[str, ...] = ()
        self._changes = None
        self._pending: set[str] = set()

    def watch(self, settings: dict) -> None:
        """Start watching what ``settings`` name (a no-op when that is what is watched already)."""
        content = settings.get("PATH", "")
        candidates = [self.settings_file, settings.get("THEME", ""), content]
        candidates += [os.path.join(content, path) for path in settings.get("STATIC_PATHS", [])]
        paths = tuple(sorted({os.path.abspath(p) for p in candidates if p and os.path.exists(p)}))
        if paths != self._paths or self._changes is None:
            self._paths = paths
            self._changes = watchfiles.watch(
                *paths, rust_timeout=WAKE_MS, yield_on_timeout=True,
                watch_filter=FileChangeFilter(ignore_file_patterns=set(settings.get("IGNORE_FILES", []))))
            # watchfiles starts watching at the first next(): now, not once the build is done, so a
            # file saved during the first build is not missed.
            self._pending |= {path for _change, path in next(self._changes)}

    def wait(self) -> set[str]:
        """The files changed since the last call (waiting for at least one)."""
        while True:
            found, self._pending = self._pending | {path for _change, path in next(self._changes)}, set()
            if found:
                return found


def _watched_settings(settings_file: str, output: str, extra: dict) -> dict:
    try:
        return load_settings(settings_file, output, **extra)
    except Exception:  # noqa: BLE001 - a broken settings file is shown by the build; watch it for a fix
        return {"PATH": "content", "THEME": "", "STATIC_PATHS": []}


def show_quick_pages(last: LastBuild, changed: set[str], output: Path, state: PreviewState) -> None:
    """The saved articles' pages (or their errors) at once; the rebuild that follows completes them."""
    started = time.monotonic()
    result = last.render(changed, output)
    if result is None:
        return
    state.quick(result.errors)
    if result.errors:
        print("\n".join(result.errors), file=sys.stderr)
        print(f"Bài vừa lưu có {len(result.errors)} lỗi; sửa rồi lưu tệp.", file=sys.stderr, flush=True)
    else:
        print(f"Đã cập nhật nhanh {len(result.pages)} trang trong {time.monotonic() - started:.1f} giây; "
              "đang dựng lại các trang khác.", flush=True)


def serve(settings_file: str, output: str, port: int, extra: dict) -> int:
    Path(output).mkdir(parents=True, exist_ok=True)
    state = PreviewState()
    pages_written.connect(state.pages_written, weak=False)
    last = LastBuild()
    signals.all_generators_finalized.connect(last.capture, weak=False)
    handler = type("Handler", (PreviewHandler,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Bản xem trước: http://127.0.0.1:{port}/ (Ctrl+C để dừng)", flush=True)
    watcher = Watcher(settings_file)
    watcher.watch(_watched_settings(settings_file, output, extra))
    try:
        while True:
            started = time.monotonic()
            state.started()
            last.start()
            found = build_once(settings_file, output, extra)
            content_errors = [p.format() for p in problems.errors()]
            last.finish({p.path for p in problems.errors()} if found == content_errors else None)
            state.finished(found)
            if found:
                print("\n".join(found), file=sys.stderr)
                print(f"Bản xem trước có {len(found)} lỗi; sửa rồi lưu tệp để dựng lại.", file=sys.stderr, flush=True)
            else:
                summary = reuse_summary().removeprefix("; ")
                print(f"Đã dựng bản xem trước trong {time.monotonic() - started:.1f} giây"
                      + (f" ({summary})." if summary else "."), flush=True)
            watcher.watch(_watched_settings(settings_file, output, extra))
            show_quick_pages(last, watcher.wait(), Path(output), state)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
