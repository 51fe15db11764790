"""Rebuilds compared with cold builds: the files of two outputs, byte for byte."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from tests.support.sites import run_portal

# Named by content hash inside the bundle: they differ between two cold builds of the same site.
PAGEFIND_VOLATILE = re.compile(r"^pagefind/(\d+/)?(filter/|pagefind\.[^/]*\.pf_meta$|pagefind-entry\.json$)")
REUSED = re.compile(r"dựng (\d+) trang, giữ nguyên (\d+) trang")


def current_search_files(folder: Path) -> set[str]:
    """The bundle's files of the parts its index memo names (beside the output, in its cache folder)."""
    memo = json.loads((folder.with_name(f".{folder.name}.cache") / "search.json").read_text(encoding="utf-8"))
    return {f"pagefind/{part}/{name}" if part else f"pagefind/{name}"
            for part, entry in enumerate(memo["parts"]) for name in entry["files"]}


def tree(folder: Path) -> dict[str, str]:
    current = current_search_files(folder)
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if not path.is_file() or PAGEFIND_VOLATILE.match(relative):
            continue
        if relative.startswith("pagefind/") and relative not in current:
            continue  # a replaced part's file, kept until the next build
        found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def build(root: Path, output: str, env: dict | None = None) -> tuple[int, int]:
    done = run_portal("build", root, "-s", "conf.py", "-o", output, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    waited = run_portal("wait-search", root, "-o", output)
    assert waited.returncode == 0, waited.stderr
    found = REUSED.search(done.stdout)
    assert found, done.stdout
    return int(found[1]), int(found[2])


def assert_same_as_cold(root: Path, name: str, env: dict | None = None) -> None:
    cold = f"cold-{name}"
    rendered, reused = build(root, cold, env)
    assert reused == 0, "a fresh folder has nothing to reuse"
    incremental, expected = tree(root / "output"), tree(root / cold)
    assert sorted(incremental) == sorted(expected)
    differ = [path for path in expected if incremental[path] != expected[path]]
    assert not differ, f"after changing {name}, these differ from a cold build: {differ[:10]}"
    shutil.rmtree(root / cold)
