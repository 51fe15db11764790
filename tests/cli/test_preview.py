"""`make serve`: a live preview where drafts are shown, marked "BẢN NHÁP"."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.sites import ROOT, article, build_site, free_port, write_site
from tests.support.photos import jpeg

DRAFT = "articles/2024/nhap.md"
DRAFT_URL = "/2024/05/du-thao-bao-cao/"


def preview_site(root: Path) -> Path:
    return write_site(root, {
        "articles/2024/da-dang.md": article("Tin đã đăng", "2024-05-01 08:00", "Đoàn thể"),
        DRAFT: article("Dự thảo báo cáo", "2024-05-03 08:00", "Đoàn thể", Status="draft",
                       body='Mở đầu.\n\n![Hội nghị](/images/2024/du-thao.jpg "Ảnh: Văn Nam")\n\nNội dung bài viết.'),
        "images/2024/du-thao.jpg": jpeg((1200, 900)),
    }, settings=f"from previewconf import *\nPATH = {str(root / 'content')!r}\n")


def get(url: str) -> BeautifulSoup | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return BeautifulSoup(response.read(), "html5lib")
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(condition, seconds: float = 90, interval: float = 0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError


def test_make_serve_shows_drafts_marked_and_reloads_on_save(tmp_path):
    site = preview_site(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        ["make", "-f", str(ROOT / "Makefile"), "serve", f"PORT={port}", "PREVIEW_SETTINGS=conf.py",
         f"BIN={Path(sys.executable).parent}", "RUNTIME="],
        cwd=site, env=dict(os.environ), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        page = wait_for(lambda: get(f"http://127.0.0.1:{port}{DRAFT_URL}"))
        assert page.select_one(".draft-flag").get_text().startswith("BẢN NHÁP")
        assert page.select_one("main h1").get_text() == "Dự thảo báo cáo"
        published = get(f"http://127.0.0.1:{port}/2024/05/tin-da-dang/")
        assert published.select(".draft-flag") == []

        source = site / "content" / DRAFT
        edited_text = source.read_text(encoding="utf-8").replace("Nội dung bài viết.", "Đoạn vừa sửa.")

        def saved_and_reloaded():
            # Saved again on each try: the watcher may start just after the first build.
            source.write_text(edited_text, encoding="utf-8")
            page = get(f"http://127.0.0.1:{port}{DRAFT_URL}")
            return page if page and "Đoạn vừa sửa." in page.get_text() else None

        edited = wait_for(saved_and_reloaded, interval=2)
        assert edited.select_one(".draft-flag") is not None
        assert not (site / "output").exists()  # the preview never writes the publishable output
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_build_with_the_preview_settings_writes_drafts_at_their_final_address(tmp_path):
    built = build_site(preview_site(tmp_path))
    assert built.returncode == 0, built.stderr
    page = built.page(DRAFT_URL)
    assert page.select_one("article .draft-flag").get_text() == "BẢN NHÁP – chưa đăng"
    photo = page.select_one(".article-body figure img")  # the draft's photo goes through the pipeline
    assert photo["src"].startswith("/anh/2024/du-thao-") and built.exists(photo["src"])


@pytest.mark.parametrize("settings", ["pelicanconf", "publishconf"])
def test_drafts_are_never_written_by_build_or_publish(tmp_path, settings):
    site = preview_site(tmp_path)
    (site / "conf.py").write_text((site / "conf.py").read_text(encoding="utf-8").replace("previewconf", settings),
                                  encoding="utf-8")
    built = build_site(site, env={"SITEURL": "https://example.test"})
    assert built.returncode == 0, built.stderr
    assert built.exists("/2024/05/tin-da-dang/")
    assert not built.exists(DRAFT_URL)
    assert not [p for p in built.output.rglob("*") if p.is_file() and p.suffix in (".html", ".xml")
                and "Dự thảo báo cáo" in p.read_text(encoding="utf-8")]
