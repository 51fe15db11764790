"""Shared fixtures: sites built by the real CLI into temporary directories."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))


@dataclass
class BuiltSite:
    root: Path
    output: Path
    returncode: int
    stdout: str
    stderr: str

    def page(self, url: str) -> BeautifulSoup:
        """Parsed HTML of a URL path such as '/2023/12/slug/'."""
        path = self.output / url.lstrip("/")
        if url.endswith("/") or path.is_dir():
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")

    def exists(self, url: str) -> bool:
        path = self.output / url.lstrip("/")
        return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


def run_portal(command: str, root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "portal", command, *args],
        cwd=root, capture_output=True, text=True, env=environment, timeout=600,
    )


def write_site(root: Path, files: dict[str, str | bytes], settings: str = "") -> Path:
    """A site that uses the portal's pelicanconf with its own content/."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            from pelicanconf import *
            PATH = {str(root / 'content')!r}
            """
        )
        + textwrap.dedent(settings),
        encoding="utf-8",
    )
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def build_site(root: Path, output: str = "output", env: dict | None = None) -> BuiltSite:
    result = run_portal("build", root, "-s", "conf.py", "-o", output, env=env)
    return BuiltSite(root, root / output, result.returncode, result.stdout, result.stderr)


def article(title: str, date: str, category: str, body: str = "Nội dung bài viết.", **meta: str) -> str:
    lines = [f"Title: {title}", f"Date: {date}", f"Category: {category}"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> BuiltSite:
    """The repository's own sample content, built with its pelicanconf."""
    root = tmp_path_factory.mktemp("sample")
    result = run_portal("build", ROOT, "-s", "pelicanconf.py", "-o", str(root / "output"))
    site = BuiltSite(ROOT, root / "output", result.returncode, result.stdout, result.stderr)
    assert site.returncode == 0, site.stderr
    return site


# --- Browser -----------------------------------------------------------------
import functools  # noqa: E402
import http.server  # noqa: E402
import threading  # noqa: E402
from contextlib import contextmanager  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
# Chromium on a closed network: no background connections, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve_directory(directory: Path):
    """A static HTTP server on a free loopback port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page that records console errors and failed requests."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    page.console_errors = []
    page.external_requests = []
    page.failed_responses = []
    page.on("response", lambda r: r.status >= 400 and page.failed_responses.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("request", lambda r: not r.url.startswith(("http://127.0.0.1", "data:")) and page.external_requests.append(r.url))
    yield page
    context.close()


def axe_serious(page) -> list[str]:
    """Serious or critical accessibility violations reported by axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
