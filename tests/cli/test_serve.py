"""`make serve`: a content error is shown in the browser with file:line, and the preview
recovers (and the open page reloads itself) as soon as the file is fixed."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.sites import article, demo_files, free_port, write_site

ARTICLE = "articles/2024/tin.md"
SLOW_REBUILD = 8
SLOW_PLUGIN = f"""
import os, time
from pelican import signals

def _slow(_generators):
    if os.path.exists("built-once"):
        time.sleep({SLOW_REBUILD})
    open("built-once", "w").close()

def register():
    signals.all_generators_finalized.connect(_slow)
"""
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
def serving(tmp_path, env: dict | None = None, files: dict | None = None, slow_rebuilds: bool = False):
    """`portal serve` on a one-article site (or on ``files``); (site folder, base URL).

    ``slow_rebuilds``: every build after the first waits SLOW_REBUILD seconds once the site is read
    (a plugin in the site folder), as a large site's would."""
    files = files or {ARTICLE: article("Tin đang xem", "2024-05-01 08:00", "Đoàn thể", body="Đoạn đầu tiên.")}
    settings = f"from previewconf import *\nPATH = {str(tmp_path / 'site' / 'content')!r}\n"
    if slow_rebuilds:
        settings += 'PLUGINS = PLUGINS + ["slow_rebuild"]\n'
    site = write_site(tmp_path / "site", files, settings=settings)
    (site / "slow_rebuild.py").write_text(SLOW_PLUGIN, encoding="utf-8")
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")  # read by a failing test's report
    process = subprocess.Popen(
        [sys.executable, "-m", "portal", "serve", "-s", "conf.py", "-o", ".preview", "--port", str(port)],
        cwd=site, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: (status(base) or {}).get("generation", 0) >= 1)
        yield site, base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


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
    assert status(base) == {"generation": generation + 1, "ok": True, "building": False}
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
        assert status(base) == {"generation": 1, "ok": True, "building": False}, "one reload per build, not two"


def page_html(base: str, url: str) -> str:
    code, text = fetch(base + url)
    assert code == 200, text
    return text


def test_a_saved_article_shows_at_once_and_the_rebuild_changes_nothing_in_it(tmp_path):
    """The quick page: a body edit (in an article with a photo and a person) is on screen well before
    the rebuild ends, and the rebuild writes exactly that page again."""
    files = demo_files()
    files["people/nguyen-van-thong.md"] = "Name: Nguyễn Văn Thông\nRoles:\n    2020-01: Bí thư Đảng ủy Khối\n"
    with serving(tmp_path, files=files, slow_rebuilds=True) as (site, base):
        photo_url, plain_url = "/2024/05/hoi-nghi-tong-ket-2024/", "/2024/04/tin-doan-the-so-1/"
        before = page_html(base, photo_url)
        generation = status(base)["generation"]
        started = time.monotonic()
        for name, sentence in (("hoi-nghi", "Đồng chí Nguyễn Văn Thông dự và phát biểu."),
                               ("tin-1", "Một câu vừa thêm.")):
            source = site / "content" / "articles" / "2024" / f"{name}.md"
            source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        wait_until(lambda: "vừa thêm" in page_html(base, plain_url), SLOW_REBUILD)
        assert time.monotonic() - started < SLOW_REBUILD, "shown by the rebuild, not at once"
        assert status(base) == {"generation": generation + 1, "ok": True, "building": True}
        quick = {url: page_html(base, url) for url in (photo_url, plain_url)}
        assert "dự và phát biểu" in quick[photo_url] and quick[photo_url] != before
        assert 'class="person-link"' in quick[photo_url] and "<picture" in quick[photo_url]
        wait_until(lambda: not status(base)["building"], 60)
        assert status(base) == {"generation": generation + 2, "ok": True, "building": False}
        assert {url: page_html(base, url) for url in quick} == quick
        # The first rebuild in the session reuses the first build (its settings are its own).
        assert "(đọc lại 2 tệp; dựng " in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_errors_show_at_once_and_so_does_the_fix(tmp_path):
    with serving(tmp_path, slow_rebuilds=True) as (site, base):
        source = site / "content" / ARTICLE
        good = source.read_text(encoding="utf-8")

        def save_and_time(text: str, shown) -> float:
            started = time.monotonic()
            source.write_text(text, encoding="utf-8")
            wait_until(shown, 4 * SLOW_REBUILD)
            return time.monotonic() - started

        def rebuilt() -> None:
            time.sleep(1)
            wait_until(lambda: not status(base)["building"], 60)

        # A date that is no date stops the reader: shown at once, its fix comes with the rebuild.
        generation = status(base)["generation"]
        assert save_and_time(good.replace("Date: 2024-05-01 08:00", "Date: 2024-13-45"),
                             lambda: fetch(base + URL)[0] == 500) < SLOW_REBUILD
        assert "content/articles/2024/tin.md:2: lỗi: trường &#x27;Date&#x27;" in fetch(base + URL)[1]
        rebuilt()
        assert status(base) == {"generation": generation + 1, "ok": False, "building": False}, \
            "the rebuild found what was shown: no second reload"
        save_and_time(good, lambda: fetch(base + URL)[0] == 200)
        rebuilt()
        # A photo that is not there: the article is still read, so its fix shows at once too.
        missing = good.replace("Đoạn đầu tiên.", 'Đoạn đầu tiên.\n\n![Ảnh](/images/khong-co.jpg "Ảnh: Văn Nam")')
        assert save_and_time(missing, lambda: fetch(base + URL)[0] == 500) < SLOW_REBUILD
        assert "khong-co.jpg" in fetch(base + URL)[1]
        rebuilt()
        assert save_and_time(good.replace("Đoạn đầu tiên.", "Đoạn đã sửa xong."),
                             lambda: "Đoạn đã sửa xong." in fetch(base + URL)[1]) < SLOW_REBUILD


def test_a_file_saved_during_a_build_is_built_next(tmp_path):
    with serving(tmp_path, slow_rebuilds=True, files={
            ARTICLE: article("Tin đang xem", "2024-05-01 08:00", "Đoàn thể", body="Đoạn đầu tiên."),
            "pages/gioi-thieu.md": "Title: Giới thiệu\n\nBản đầu.\n"}) as (site, base):
        (site / "content" / ARTICLE).write_text(
            article("Tin đang xem", "2024-05-01 08:00", "Đoàn thể", body="Đoạn thứ hai."), encoding="utf-8")
        wait_until(lambda: status(base)["building"], 10)
        # A page has no quick page: only a build can show it.
        (site / "content" / "pages" / "gioi-thieu.md").write_text("Title: Giới thiệu\n\nBản sửa trong lúc dựng.\n",
                                                                  encoding="utf-8")
        wait_until(lambda: "Bản sửa trong lúc dựng." in fetch(base + "/gioi-thieu/")[1], 4 * SLOW_REBUILD)


def test_a_new_build_of_the_preview_lets_the_last_site_go_at_once(tmp_path):
    """The last build's site, kept for quick pages, is freed when the next build starts: its articles
    name one another, and the builds collect cycles rarely, so each save kept one more site alive.
    Until then it is set aside from the collector (a quick page would walk all of it)."""
    files = {ARTICLE: article("Tin đang xem", "2024-05-01 08:00", "Đoàn thể", body="Đoạn đầu tiên."),
             "articles/2024/tin-hai.md": article("Tin thứ hai", "2024-05-02 08:00", "Đoàn thể", body="Đoạn hai.")}
    root = write_site(tmp_path / "site", files, settings=f"from previewconf import *\n"
                                                          f"PATH = {str(tmp_path / 'site' / 'content')!r}\n")
    probe = textwrap.dedent("""
        import gc
        import weakref
        from pelican import signals
        from portal.cli import serve
        from portal.cli.quick_page import LastBuild
        last = LastBuild()
        signals.all_generators_finalized.connect(last.capture, weak=False)
        last.start()
        assert serve.build_once("conf.py", ".preview", {}) == []
        last.finish(set())
        kept = [weakref.ref(a) for a in last._kept.articles]
        frozen = gc.get_freeze_count() > 0
        last.start()
        print("kept:", len(kept), "frozen:", frozen, "freed:", all(ref() is None for ref in kept),
              "unfrozen:", gc.get_freeze_count() == 0)
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "kept: 2 frozen: True freed: True unfrozen: True"
