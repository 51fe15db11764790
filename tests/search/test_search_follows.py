"""A rebuild's pages go live first and its search index follows (SEARCH_FOLLOWS).

Pagefind is made slow with a wrapper that sleeps before it runs, so the build
is seen returning while its index is still being made; `portal wait-search`
then waits for the index to be put in place.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import stat
from pathlib import Path

import pytest

from portal.core.search import indexer
from portal.core.search.indexer import pagefind_command
from portal.core.search.records import SearchRecord
from portal.core.search.settings import DEFAULTS
from tests.search.test_search_background import ARTICLES
from tests.support.sites import article, build_site, run_portal, write_site

# 12 articles in parts of 4: three parts, as a large site's index.
SETTINGS = "SEARCH_PART_SIZE = 4\nPORTAL_POSTBUILD = PORTAL_POSTBUILD + ['failstep:fail_when_asked']\n"
FAIL_STEP = '''import os


def fail_when_asked(output, settings):
    if os.environ.get("FAIL_AFTER_BUILD"):
        raise RuntimeError("bước sau khi dựng hỏng (thử nghiệm)")
'''
EDITED = "articles/2025/tin-3.md"
NEW_WORD = "tukhoachiconsaulandung"


@pytest.fixture
def site(tmp_path) -> Path:
    root = write_site(tmp_path / "site", ARTICLES, SETTINGS)
    (root / "failstep.py").write_text(FAIL_STEP, encoding="utf-8")
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f"#!/bin/sh\nsleep 4\nexec {pagefind_command()} \"$@\"\n", encoding="utf-8")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    first = build_site(root)
    assert first.returncode == 0, first.stderr
    return root


def slow_pagefind(root: Path) -> dict:
    return {"PAGEFIND_BINARY_PATH": str(root.parent / "slow-pagefind")}


def edit(root: Path) -> None:
    (root / "content" / EDITED).write_text(
        article("Đảng ủy Khối họp phiên thứ 3", "2025-04-13 08:00", "Xây dựng Đảng",
                f"Đồng chí Bí thư chủ trì. Từ khóa riêng: {NEW_WORD}.", Summary="Sáng nay.", Slug="tin-3"),
        encoding="utf-8")


def entries(output: Path) -> dict[str, str]:
    """Each part's entry file digest: the file a reader's search starts from."""
    return {path.relative_to(output).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((output / "pagefind").rglob("pagefind-entry.json"))}


def status(root: Path) -> dict:
    return json.loads((root / ".output.cache" / "search-follow.json").read_text(encoding="utf-8"))


def current_index(output: Path) -> dict[str, str]:
    """The words and results files of the parts the index memo names (Pagefind's filter and meta
    files are named differently by any two builds of the same site)."""
    memo = json.loads((output.with_name(f".{output.name}.cache") / "search.json").read_text(encoding="utf-8"))
    found = {}
    for part, entry in enumerate(memo["parts"]):
        folder = output / "pagefind" / (str(part) if part else "")
        for name in entry["files"]:
            if name.startswith(("index/", "fragment/")):
                found[f"{part}/{name}"] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return found


def article_page(output: Path) -> str:
    return next(p for p in output.rglob("tin-3/index.html")).read_text(encoding="utf-8")


def test_the_pages_go_live_first_and_the_index_follows(site):
    before = entries(site / "output")
    assert len(before) == 3
    edit(site)
    rebuilt = build_site(site, env=slow_pagefind(site))
    assert rebuilt.returncode == 0, rebuilt.stderr
    # The build has returned (its output read to the end) while Pagefind still sleeps.
    assert status(site)["state"] == "indexing"
    assert NEW_WORD in article_page(site / "output")
    assert entries(site / "output") == before, "readers search the last index meanwhile"

    waited = run_portal("wait-search", site, "-o", "output")
    assert waited.returncode == 0, waited.stderr
    assert status(site)["state"] == "done"
    after = entries(site / "output")
    assert sorted(after) == sorted(before)
    assert sum(after[part] != before[part] for part in after) == 1, "the edited article's part only is new"
    cold = build_site(site, "cold")
    assert cold.returncode == 0, cold.stderr
    assert current_index(site / "output") == current_index(site / "cold")


def test_a_failed_index_leaves_the_last_one_and_is_reported_then_made_again(site):
    before = entries(site / "output")
    edit(site)
    rebuilt = build_site(site, env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert NEW_WORD in article_page(site / "output")
    waited = run_portal("wait-search", site, "-o", "output")
    assert waited.returncode == 1
    assert "chỉ mục tìm kiếm của lần dựng gần nhất không lập được" in waited.stderr
    assert "Pagefind" in waited.stderr
    assert entries(site / "output") == before, "the last index still serves readers"

    again = build_site(site)
    assert again.returncode == 0, again.stderr
    assert "lần dựng trước không cập nhật được chỉ mục tìm kiếm" in again.stderr
    assert run_portal("wait-search", site, "-o", "output").returncode == 0
    assert sum(entries(site / "output")[part] != before[part] for part in before) == 1


def test_a_failed_build_discards_its_index_and_keeps_the_output(site):
    good = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    edit(site)
    failed = build_site(site, env={**slow_pagefind(site), "FAIL_AFTER_BUILD": "1"})
    assert failed.returncode == 1
    assert "bước sau khi dựng hỏng" in failed.stderr
    assert run_portal("wait-search", site, "-o", "output").returncode == 0
    assert status(site)["state"] == "discarded"
    assert {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()} == good

    fixed = build_site(site)  # the failing step no longer fails: the next build does it all
    assert fixed.returncode == 0, fixed.stderr
    assert run_portal("wait-search", site, "-o", "output").returncode == 0
    assert NEW_WORD in article_page(site / "output")
    assert not list((site / ".output.cache").glob("search-next-*")), "the discarded index's folder is removed"


def parts_named(output: Path) -> int:
    """How many parts the bundle tells search.js to merge."""
    return json.loads((output / "pagefind" / indexer.COUNT_FILE).read_text(encoding="utf-8"))["parts"]


def test_an_article_that_adds_a_part_goes_live_first_and_its_index_follows(site):
    output = site / "output"
    before = entries(output)
    assert parts_named(output) == len(before) == 3
    # A 13th article whose address falls in the fourth part: the site has four parts now.
    slug = next(f"tin-moi-{n}" for n in range(100) if indexer.part_of(f"2025/06/tin-moi-{n}/index.html", 4) == 3)
    added = site / "content" / "articles" / "2025" / "tin-moi.md"
    added.write_text(article("Tin mới thêm", "2025-06-20 08:00", "Tin hoạt động", f"Từ khóa riêng: {NEW_WORD}.",
                             Slug=slug), encoding="utf-8")
    rebuilt = build_site(site, env=slow_pagefind(site))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert status(site)["state"] == "indexing", "the pages did not wait for the fourth part"
    assert NEW_WORD in next(output.rglob(f"{slug}/index.html")).read_text(encoding="utf-8")
    assert entries(output) == before and parts_named(output) == 3, "readers search the last index meanwhile"
    assert run_portal("wait-search", site, "-o", "output").returncode == 0
    assert parts_named(output) == len(entries(output)) == 4
    assert build_site(site, "cold").returncode == 0
    assert current_index(output) == current_index(site / "cold") and parts_named(site / "cold") == 4

    added.unlink()  # and back: the fourth part's articles go home
    rebuilt = build_site(site, env=slow_pagefind(site))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert status(site)["state"] == "indexing" and parts_named(output) == 4
    assert run_portal("wait-search", site, "-o", "output").returncode == 0
    assert parts_named(output) == 3 and sorted(entries(output)) == sorted(before)
    assert not (output / "pagefind" / "3").exists()
    assert build_site(site, "cold").returncode == 0
    assert current_index(output) == current_index(site / "cold")


@pytest.mark.parametrize("grown", [True, False])
def test_while_the_parts_change_a_reader_may_find_an_article_twice_never_miss_it(tmp_path, grown):
    records = [SearchRecord(f"2025/tin-{n}.html", f"Tin số {n}", "", f"Nội dung bài {n}.", "Tin hoạt động", 2025,
                            "20250101") for n in range(13)]
    settings = {**DEFAULTS, "SEARCH_PART_SIZE": 4, "SEARCH_SCRATCH_DIR": ""}
    fewer, more = records[:12], records
    assert indexer.part_count([r.save_as for r in fewer], 4) == 3 and indexer.part_count([r.save_as for r in more], 4) == 4
    live, new, cache = tmp_path / "live" / "pagefind", tmp_path / "new" / "pagefind", tmp_path / "cache"
    indexer.remember_parts(str(cache), live, indexer.build_index(fewer if grown else more, live, settings))
    keys = indexer.build_index(more if grown else fewer, new, settings)
    order = []

    def compress(path: str) -> list[str]:
        order.append(Path(path).relative_to(new).as_posix())
        Path(path + ".gz").write_bytes(gzip.compress(Path(path).read_bytes()))
        return [path + ".gz"]

    indexer.put_in_place(new, keys, live, str(cache), compress)
    count = order.index(indexer.COUNT_FILE)
    # The part that gives articles to the fourth, or takes them back.
    split = {indexer.part_of(r.save_as, 3) for r in records if indexer.part_of(r.save_as, 4) == 3}
    assert len(split) == 1
    moved_from = f"{split.pop() or ''}/{indexer.ENTRY_FILE}".lstrip("/")
    moved_to = f"3/{indexer.ENTRY_FILE}"
    if grown:
        assert order.index(moved_to) < count < order.index(moved_from)
    else:
        assert moved_to not in order and order.index(moved_from) < count and not (live / "3").exists()
    assert parts_named(live.parent) == len(keys)
    assert gzip.decompress((live / f"{indexer.COUNT_FILE}.gz").read_bytes()) == (live / indexer.COUNT_FILE).read_bytes()


def _remembered_part(tmp_path: Path) -> tuple[Path, Path]:
    """A one-part bundle in tmp_path/output and its memo in tmp_path/cache."""
    bundle = tmp_path / "output" / "pagefind"
    (bundle / "index").mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text('{"version": "1.5.2"}', encoding="utf-8")
    (bundle / "index" / "vi_1.pf_index").write_bytes(b"x")
    cache = tmp_path / "cache"
    indexer.remember_parts(str(cache), bundle, ["key-0"])
    return bundle, cache


def test_a_memo_naming_files_outside_the_part_is_not_trusted(tmp_path):
    bundle, cache = _remembered_part(tmp_path)
    assert indexer.reusable_parts(str(cache), str(tmp_path / "output"), "pagefind") == {
        "key-0": (bundle, ["index/vi_1.pf_index", "pagefind-entry.json"])}
    memo = json.loads((cache / "search.json").read_text(encoding="utf-8"))
    memo["parts"][0]["files"].append("../../ngoai.txt")
    (cache / "search.json").write_text(json.dumps(memo), encoding="utf-8")
    assert indexer.reusable_parts(str(cache), str(tmp_path / "output"), "pagefind") == {}
    assert indexer.live_parts(str(cache), str(tmp_path / "output"), "pagefind") is None


def test_a_part_that_lost_a_file_is_indexed_again_not_half_linked(tmp_path):
    bundle, cache = _remembered_part(tmp_path)
    (bundle / "index" / "vi_1.pf_index").unlink()
    assert indexer.reusable_parts(str(cache), str(tmp_path / "output"), "pagefind") == {}
    assert indexer.live_parts(str(cache), str(tmp_path / "output"), "pagefind") is None


def test_linking_a_file_over_another_name_of_itself_leaves_no_scratch(tmp_path):
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "b.json").hardlink_to(tmp_path / "a.json")
    indexer._link(str(tmp_path / "a.json"), str(tmp_path / "b.json"))  # rename() would do nothing here
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_a_published_site_gets_compressed_copies_of_the_index_that_follows(tmp_path):
    import gzip

    import brotli

    from tests.support.sites import SITE_URL, publish_settings

    root = tmp_path / "published"
    write_site(root, ARTICLES, publish_settings(root) + "SEARCH_PART_SIZE = 4\n")
    publish = {"SITEURL": SITE_URL}
    assert build_site(root, env=publish).returncode == 0
    before = entries(root / "output")
    edit(root)
    rebuilt = build_site(root, env=publish)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert run_portal("wait-search", root, "-o", "output").returncode == 0
    after = entries(root / "output")
    assert sum(after[part] != before[part] for part in after) == 1
    for entry in (root / "output" / "pagefind").rglob("pagefind-entry.json"):
        # nginx sends these copies as they are: they must be the entry file readers search from.
        assert gzip.decompress(Path(f"{entry}.gz").read_bytes()) == entry.read_bytes()
        assert brotli.decompress(Path(f"{entry}.br").read_bytes()) == entry.read_bytes()
    assert [p.name for p in (root / "output" / "pagefind").rglob("*.new")] == []  # no scratch left behind
    (root / "content" / EDITED).write_text((root / "content" / EDITED).read_text(encoding="utf-8")
                                           + f"\nLần sửa thứ hai: {NEW_WORD}.\n", encoding="utf-8")
    again = build_site(root, env=publish)
    assert again.returncode == 0, again.stderr
    assert run_portal("wait-search", root, "-o", "output").returncode == 0
    assert [p.name for p in (root / "output" / "pagefind").rglob("*.new")] == []
