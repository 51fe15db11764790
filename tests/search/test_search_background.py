"""The search index built beside the rest of the build (SEARCH_BACKGROUND)."""
from __future__ import annotations

import hashlib

import pytest

from portal.core.search.indexer import ALLOCATOR_OPTIONS, ALLOCATOR_VARIABLE, SCRATCH_PREFIX, pagefind_command
from tests.support.processes import dead_pid
from tests.support.sites import article, build_site, write_site

ARTICLES = {
    f"articles/2025/tin-{n}.md": article(
        f"Đảng ủy Khối họp phiên thứ {n}", f"2025-0{1 + n % 9}-1{n % 10} 08:00",
        "Xây dựng Đảng" if n % 2 else "Tin hoạt động",
        f"Đồng chí Bí thư chủ trì phiên họp thứ {n}.\n\nCác đảng viên đóng góp ý kiến về công tác số {n * 7}.",
        Summary=f"Sáng nay, Đảng ủy Khối họp lần {n}.", Slug=f"tin-{n}")
    for n in range(12)
}


def bundle_digest(folder) -> dict[str, str]:
    """Index chunks and result fragments by name. Pagefind's filter files, and the
    meta and entry files that name them by hash, vary even between two cold builds."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for part in ("index", "fragment")
        for path in sorted((folder / part).glob("*"))
    }


def test_background_index_is_the_index_built_in_process(tmp_path):
    # The background build writes Pagefind's pages to a scratch folder of its own (the default is
    # /dev/shm), where a killed build left one behind; the other build to the system's temporary folder.
    scratch = tmp_path / "shm"
    abandoned = scratch / f"{SCRATCH_PREFIX}{dead_pid()}-x1y2" / "0"
    abandoned.mkdir(parents=True)
    (abandoned / "index.html").write_text("<p>trang bỏ lại</p>", encoding="utf-8")
    background = build_site(write_site(tmp_path / "bg", ARTICLES, f"SEARCH_SCRATCH_DIR = {str(scratch)!r}\n"))
    in_process = build_site(write_site(tmp_path / "fg", ARTICLES, "SEARCH_BACKGROUND = False\nSEARCH_SCRATCH_DIR = ''\n"))
    assert background.returncode == 0, background.stderr
    assert in_process.returncode == 0, in_process.stderr
    found = bundle_digest(background.output / "pagefind")
    assert any(name.startswith("fragment/") for name in found) and any(name.startswith("index/") for name in found)
    assert found == bundle_digest(in_process.output / "pagefind")
    assert list(scratch.iterdir()) == []  # the abandoned folder swept, this build's own removed


@pytest.mark.parametrize("background", [True, False])
def test_a_failed_index_fails_the_build_and_keeps_the_last_good_output(tmp_path, background):
    # The rebuild waits for its index (a rebuild whose index follows is tests/search/test_search_follows.py).
    root = write_site(tmp_path / "site", ARTICLES, f"SEARCH_BACKGROUND = {background}\nSEARCH_FOLLOWS = False\n")
    assert build_site(root).returncode == 0
    good = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "content" / "articles" / "2025" / "tin-0.md").write_text(
        article("Bài đã sửa", "2025-01-10 08:00", "Tin hoạt động", Slug="tin-0"), encoding="utf-8")
    # A Pagefind that cannot start: the index fails after the pages were written.
    failed = build_site(root, env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert failed.returncode == 1
    assert "[search] không lập được chỉ mục tìm kiếm" in failed.stderr
    assert "vẫn giữ bản tốt gần nhất" in failed.stderr
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == good
    assert not list(root.glob(".output.tmp-*"))  # no staging folder left behind


@pytest.mark.parametrize("given", [None, "narenas:1"])
def test_pagefind_is_told_to_return_freed_memory_unless_the_environment_says_otherwise(tmp_path, given):
    root = write_site(tmp_path / "site", ARTICLES)
    seen = tmp_path / "allocator.txt"
    wrapper = tmp_path / "pagefind"
    wrapper.write_text(f"#!/bin/sh\necho \"${{{ALLOCATOR_VARIABLE}}}\" >> {seen}\nexec {pagefind_command()} \"$@\"\n",
                       encoding="utf-8")
    wrapper.chmod(0o755)
    env = {"PAGEFIND_BINARY_PATH": str(wrapper)}
    if given is not None:
        env[ALLOCATOR_VARIABLE] = given
    built = build_site(root, env=env)
    assert built.returncode == 0, built.stderr
    assert seen.read_text(encoding="utf-8").split() == [given or ALLOCATOR_OPTIONS]  # 12 articles: one part
    assert bundle_digest(built.output / "pagefind")
