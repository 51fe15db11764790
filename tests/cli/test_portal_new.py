"""`make new TITLE=… CATEGORY=…`: a draft that passes check and builds."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.sites import ROOT, article, build_site, run_portal, write_site

from portal.cli import new

# Quotes, backquotes, & and ; reach the file as typed: the shell never parses the title.
TITLE = 'Hội nghị Ban Chấp hành lần thứ 5: "Đổi mới"; cán bộ & `phát triển`'
SLUG = "hoi-nghi-ban-chap-hanh-lan-thu-5-doi-moi-can-bo-phat-trien"


def make_new(root: Path, title: str, category: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "new", f"TITLE={title}",
         f"CATEGORY={category}", f"BIN={Path(sys.executable).parent}", "RUNTIME=", "SETTINGS=conf.py", *extra],
        cwd=root, capture_output=True, text=True,
    )


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path, {"articles/2024/cu.md": article("Tin cũ", "2024-01-02 08:00", "Xây dựng Đảng")})


def test_make_new_creates_a_draft_that_passes_check_and_builds(site):
    before = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(second=0, microsecond=0)
    result = make_new(site, TITLE, "Xây dựng Đảng")
    assert result.returncode == 0, result.stderr
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    relative = f"content/articles/{year}/{SLUG}.md"
    assert result.stdout.strip() == relative
    text = (site / relative).read_text(encoding="utf-8")
    header = dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "") for line in text.split("\n\n")[0].splitlines())
    assert header["Title"] == TITLE
    assert header["Category"] == "Xây dựng Đảng"
    assert header["Status"] == "draft"
    assert {"Author", "Tags", "People", "Related", "Featured"} <= set(header)
    stamp = datetime.strptime(header["Date"], "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert before <= stamp <= before + timedelta(minutes=2)

    check = run_portal("check", site, "-s", "conf.py")
    assert check.returncode == 0, check.stderr
    built = build_site(site)
    assert built.returncode == 0, built.stderr
    assert not list(built.output.rglob(f"{SLUG}*"))  # a draft is not published

    (site / relative).write_text(text.replace("Status: draft", "Status: published"), encoding="utf-8")
    built = build_site(site)
    assert built.returncode == 0, built.stderr
    page = built.page(f"/{stamp:%Y/%m}/{SLUG}/")
    assert page.select_one("main h1").get_text() == TITLE
    assert page.select(".draft-flag") == []


def test_make_new_refuses_to_overwrite(site):
    assert make_new(site, "Tin mới", "Xây dựng Đảng").returncode == 0
    path = next((site / "content" / "articles").glob("*/tin-moi.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn đã viết.\n", encoding="utf-8")
    again = make_new(site, "Tin mới", "Xây dựng Đảng")
    assert again.returncode != 0
    assert "đã có; không ghi đè" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("Đoạn đã viết.\n")


def test_unknown_category_is_refused_with_a_suggestion(site):
    result = make_new(site, "Tin mới", "Xây dựng Đảg")
    assert result.returncode != 0
    assert "chuyên mục 'Xây dựng Đảg' chưa có trên trang. Có phải ý bạn là: 'Xây dựng Đảng'?" in result.stderr
    assert not (site / "content" / "articles" / str(datetime.now().year)).exists()
    accepted = make_new(site, "Tin mới", "Thể thao", "NEW_CATEGORY=1")
    assert accepted.returncode == 0, accepted.stderr
    assert "tạo chuyên mục mới 'Thể thao'" in accepted.stderr


def test_same_category_in_other_spelling_uses_the_existing_one(site):
    result = make_new(site, "Tin mới", "xây dựng đảng")
    assert result.returncode == 0
    assert "Category: Xây dựng Đảng\n" in (site / result.stdout.strip()).read_text(encoding="utf-8")


def test_menu_categories_count_as_existing(tmp_path):
    settings = {"PATH": str(tmp_path / "content"), "ARTICLE_PATHS": ["articles"], "TIMEZONE": "Asia/Ho_Chi_Minh",
                "CATEGORY_URL": "chuyen-muc/{slug}/", "AUTHOR": "",
                "MENU": [("Trang chủ", "/"), ("Đoàn thể", "/chuyen-muc/doan-the/"), ("Giới thiệu", "/gioi-thieu/")]}
    when = datetime(2025, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))  # already 2026 in Vietnam
    path, chosen = new.create(tmp_path, settings, "Tin đầu năm", "Đoàn thể", now=when)
    assert path == tmp_path / "content" / "articles" / "2026" / "tin-dau-nam.md"
    text = path.read_text(encoding="utf-8")
    assert "Date: 2026-01-01 06:30\n" in text and "Author:" not in text
    with pytest.raises(new.NewArticleError) as error:  # menu links that are not categories do not count
        new.create(tmp_path, settings, "Tin khác", "Giới thiệ")
    assert "Có phải ý bạn là" not in str(error.value)
    assert "Các chuyên mục hiện có: Đoàn thể." in str(error.value)


def test_title_without_letters_is_refused(site):
    result = make_new(site, "!!!", "Xây dựng Đảng")
    assert result.returncode != 0
    assert re.search(r"không tạo được tên tệp từ tiêu đề '!!!'", result.stderr)
