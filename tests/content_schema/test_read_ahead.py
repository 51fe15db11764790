"""A cold build converts its Markdown files, and finds the people they name, on every core (the
read-ahead and ``MentionCache.find_ahead``), with the same result.

The site has more files than the read-ahead's threshold and more texts than the people search's,
one of them with raw HTML the sanitiser removes (a warning with its line), one giving a registered
person a role the registry does not (a warning with its line), most naming a registered person
(linked on first mention, listed on the person's page). It is built from nothing with two worker
processes and with one (``BUILD_READ_WORKERS``): the pages, the warnings and the count of files read
must be the same, and only the first says it converted them in parallel. A rebuild then finds every
reading in the cache.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from portal.adapters.content_schema import READ_AHEAD_MIN_FILES
from portal.core.people.mention_cache import PREFILL_MIN_TEXTS
from tests.support.sites import article, build_site, write_site

# Each article gives the people search two texts: its summary and its body.
ARTICLES = max(READ_AHEAD_MIN_FILES, PREFILL_MIN_TEXTS // 2) + 6
RAW_HTML = '<p>Đoạn có mã lạ.</p>\n\n<iframe src="https://vi-du.invalid/"></iframe>\n\nĐoạn cuối.'
PERSON = "Name: Trần Thị Thu Hoà\nRoles:\n    2021-04: Bí thư Đảng ủy Khối\n"
WRONG_ROLE = "Hội nghị sơ kết.\n\nĐồng chí Trần Thị Thu Hoà, Phó Chủ tịch UBND tỉnh, phát biểu."


def _body(number: int) -> str:
    if number == 7:
        return RAW_HTML
    if number == 11:
        return WRONG_ROLE
    named = "Đồng chí Trần Thị Thu Hoà chủ trì. " if number % 3 else ""
    return f"Hội nghị lần thứ {number} bàn về công tác Đảng.\n\n{named}Đoạn thứ hai của tin số {number}."


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
        body=_body(number)) for number in range(ARTICLES)}
    files["people/hoa.md"] = PERSON
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
    assert any(line.startswith("content/articles/tin-011.md:7:") and "Phó Chủ tịch UBND tỉnh" in line
               for line in found), parallel.stderr[-2000:]
    assert found == _warnings(one.stderr)


def test_the_people_found_on_two_cores_are_listed_on_their_page_and_linked(builds):
    parallel, _, _ = builds
    person = parallel.output / "nhan-vat" / "tran-thi-thu-hoa"
    listed = set()
    for page in person.rglob("index.html"):
        listed.update(re.findall(r'href="/2023/\d\d/(tin-so-\d+-ve-hoi-nghi)/"', page.read_text(encoding="utf-8")))
    assert listed == {f"tin-so-{n}-ve-hoi-nghi" for n in range(ARTICLES) if n % 3 and n not in (7, 11)}
    body = next(parallel.output.glob("2023/*/tin-so-4-ve-hoi-nghi/index.html")).read_text(encoding="utf-8")
    assert 'href="/nhan-vat/tran-thi-thu-hoa/">Trần Thị Thu Hoà</a> chủ trì' in body


def test_a_rebuild_finds_every_reading_in_the_cache(builds):
    parallel, _, again = builds
    assert again.returncode == 0, again.stderr[-2000:]
    assert "đọc lại 0 tệp;" in again.stdout
    assert _warnings(again.stderr) == _warnings(parallel.stderr), "a kept reading reports its problems again"
