"""A cold build converts its Markdown files on every core (the read-ahead), with the same result.

The site has more files than the read-ahead's threshold, one of them with raw HTML the sanitiser
removes (a warning with its line). It is built from nothing with two worker processes and with one
(``BUILD_READ_WORKERS``): the pages, the warnings and the count of files read must be the same, and
only the first says it converted them in parallel. A rebuild then finds every reading in the cache.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from portal.adapters.content_schema import READ_AHEAD_MIN_FILES
from tests.support.sites import article, build_site, write_site

ARTICLES = READ_AHEAD_MIN_FILES + 6
RAW_HTML = '<p>Đoạn có mã lạ.</p>\n\n<iframe src="https://vi-du.invalid/"></iframe>\n\nĐoạn cuối.'


def _pages(output: Path) -> dict[str, str]:
    return {path.relative_to(output).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(output.rglob("*.html")) if "pagefind" not in path.parts}


def _warnings(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if ": cảnh báo: " in line)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("read-ahead")
    files = {f"articles/tin-{number:03}.md": article(
        f"Tin số {number} về hội nghị", f"2023-{number % 12 + 1:02}-{number % 27 + 1:02}", "Tin tức",
        body=RAW_HTML if number == 7 else f"Hội nghị lần thứ {number} bàn về công tác Đảng.\n\nĐoạn thứ hai.")
        for number in range(ARTICLES)}
    write_site(root, files, settings="BUILD_READ_WORKERS = 2\n")
    conf = (root / "conf.py").read_text(encoding="utf-8")
    (root / "conf-one.py").write_text(conf.replace("BUILD_READ_WORKERS = 2", "BUILD_READ_WORKERS = 1"),
                                      encoding="utf-8")
    parallel = build_site(root, "out-parallel")
    one = build_site(root, "out-one", settings="conf-one.py")
    again = build_site(root, "out-parallel")
    return parallel, one, again


def test_the_pages_are_those_of_a_build_on_one_core(builds):
    parallel, one, _ = builds
    assert parallel.returncode == 0, parallel.stderr[-2000:]
    assert one.returncode == 0, one.stderr[-2000:]
    pages = _pages(parallel.output)
    assert len(pages) > ARTICLES
    assert pages == _pages(one.output)


def test_the_files_are_converted_in_parallel_and_counted_as_read(builds):
    parallel, one, _ = builds
    assert f"đọc lại {ARTICLES} tệp (song song: {ARTICLES})" in parallel.stdout
    assert f"đọc lại {ARTICLES} tệp;" in one.stdout
    assert "song song" not in one.stdout


def test_a_problem_found_in_a_worker_is_reported_with_its_file_and_line(builds):
    parallel, one, _ = builds
    found = _warnings(parallel.stderr)
    assert any(line.startswith("content/articles/tin-007.md:") for line in found), parallel.stderr[-2000:]
    assert found == _warnings(one.stderr)


def test_a_rebuild_finds_every_reading_in_the_cache(builds):
    parallel, _, again = builds
    assert again.returncode == 0, again.stderr[-2000:]
    assert "đọc lại 0 tệp;" in again.stdout
    assert _warnings(again.stderr) == _warnings(parallel.stderr), "a kept reading reports its problems again"
