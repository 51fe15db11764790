"""`make serve`: a content error is shown in the browser with file:line, and the preview
recovers (and the open page reloads itself) as soon as the file is fixed."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.sites import article, free_port, write_site

ARTICLE = "articles/2024/tin.md"
URL = "/2024/05/tin-dang-xem/"


def status(base: str) -> dict | None:
    try:
        with urllib.request.urlopen(base + "/_xem-truoc/trang-thai", timeout=5) as response:
            return json.load(response)
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_until(condition, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError


@contextmanager
def serving(tmp_path, env: dict | None = None):
    """`portal serve` on a one-article site; (site folder, base URL)."""
    site = write_site(tmp_path / "site", {ARTICLE: article("Tin đang xem", "2024-05-01 08:00", "Đoàn thể",
                                                           body="Đoạn đầu tiên.")},
                      settings=f"from previewconf import *\nPATH = {str(tmp_path / 'site' / 'content')!r}\n")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "portal", "serve", "-s", "conf.py", "-o", ".preview", "--port", str(port)],
        cwd=site, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: (status(base) or {}).get("generation", 0) >= 1)
        yield site, base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def preview(tmp_path):
    with serving(tmp_path) as running:
        yield running


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_an_error_is_shown_in_place_of_every_page_and_the_preview_recovers(preview):
    site, base = preview
    source = site / "content" / ARTICLE
    good = source.read_text(encoding="utf-8")
    generation = status(base)["generation"]
    source.write_text(good.replace("Date: 2024-05-01 08:00", "Date: 2024-13-45"), encoding="utf-8")
    wait_until(lambda: status(base)["generation"] > generation)
    assert status(base)["ok"] is False
    code, page = fetch(base + URL)
    assert code == 500
    assert "content/articles/2024/tin.md:2: lỗi: trường &#x27;Date&#x27;" in page
    assert fetch(base + "/")[0] == 500
    generation = status(base)["generation"]
    source.write_text(good.replace("Đoạn đầu tiên.", "Đoạn đã sửa."), encoding="utf-8")
    wait_until(lambda: status(base)["generation"] > generation)
    assert status(base) == {"generation": generation + 1, "ok": True}
    code, page = fetch(base + URL)
    assert code == 200 and "Đoạn đã sửa." in page
    assert page.count('<script src="/_xem-truoc/tai-lai.js" defer></script>') == 1
    assert "_xem-truoc" not in (site / ".preview" / URL.strip("/") / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_the_open_page_reloads_itself_after_a_save_and_shows_errors(preview, phone):
    site, base = preview
    source = site / "content" / ARTICLE
    good = source.read_text(encoding="utf-8")
    phone.goto(base + URL)
    assert "Đoạn đầu tiên." in phone.locator("main").inner_text()
    source.write_text(good.replace("Đoạn đầu tiên.", "Đoạn vừa lưu."), encoding="utf-8")
    phone.wait_for_function("document.body.innerText.includes('Đoạn vừa lưu.')", timeout=60_000)
    source.write_text(good.replace("Category: Đoàn thể", "Category:"), encoding="utf-8")
    phone.wait_for_function("document.title === 'Bản xem trước có lỗi'", timeout=60_000)
    assert "content/articles/2024/tin.md:3: lỗi: trường 'Category'" in phone.locator("main").inner_text()
    source.write_text(good, encoding="utf-8")
    phone.wait_for_function("document.body.innerText.includes('Đoạn đầu tiên.')", timeout=60_000)
    assert phone.failed_responses == [f"500 {base}{URL}"]  # the error page itself, nothing else


def test_pages_show_before_the_search_index_is_done(tmp_path):
    """The preview reloads as soon as the pages are written; a slow search index follows."""
    from pagefind_bin import get_executable

    slow = tmp_path / "slow-pagefind"
    marker = tmp_path / "index-done"
    slow.write_text(f"#!/bin/sh\nsleep 6\n{get_executable()} \"$@\"\nstatus=$?\ntouch {marker}\nexit $status\n")
    slow.chmod(0o755)
    with serving(tmp_path, {"PAGEFIND_BINARY_PATH": str(slow)}) as (_site, base):
        assert not marker.exists(), "the pages waited for the search index"
        assert fetch(base + URL)[0] == 200
        wait_until(marker.exists, 60)
        time.sleep(1)
        assert status(base) == {"generation": 1, "ok": True}, "one reload per build, not two"
