"""Running Pelican in the build's process."""
from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest

from portal.cli.pelican_run import rare_collections
from tests.support.sites import article, write_site


def test_a_build_collects_cycles_rarely_then_restores_the_collectors_thresholds():
    before = gc.get_threshold()
    with rare_collections():
        assert gc.get_threshold()[0] >= 100 * before[0]
        assert gc.isenabled(), "cycles are still collected, only less often"
    assert gc.get_threshold() == before


def test_the_thresholds_are_restored_when_a_build_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), rare_collections():
        raise RuntimeError("lỗi giữa lần dựng")
    assert gc.get_threshold() == before


def test_a_build_puts_its_output_in_place_while_cycles_are_still_collected_rarely(tmp_path):
    """The memo of every page is written after Pelican's run, with the whole site still alive:
    with the default thresholds its JSON took eight times as long (measured at 10.000 articles)."""
    root = write_site(tmp_path / "site", {"articles/tin.md": article("Tin một", "2024-03-05 08:00", "Tin tức")})
    probe = textwrap.dedent("""
        import gc
        from portal.adapters import incremental
        from portal.cli import build
        seen = []
        incremental.remember_pages = lambda target: seen.append(gc.get_threshold())
        before = gc.get_threshold()
        assert build.build("conf.py", "output") == 0
        print("rare:", seen[0][0] >= 100 * before[0], "restored:", gc.get_threshold() == before)
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "rare: True restored: True"


def test_the_preview_builds_and_keeps_its_pages_while_cycles_are_collected_rarely(tmp_path):
    """`portal serve` builds in its own process, again after every save, as `portal build` does once
    (a preview rebuild at 10.000 articles took a fifth longer with the default thresholds)."""
    root = write_site(tmp_path / "site", {"articles/tin.md": article("Tin một", "2024-03-05 08:00", "Tin tức")})
    probe = textwrap.dedent("""
        import gc
        from pelican import signals
        from portal.adapters import incremental
        from portal.cli import serve
        seen = []
        signals.all_generators_finalized.connect(lambda _generators: seen.append(gc.get_threshold()), weak=False)
        remember = incremental.remember_pages
        incremental.remember_pages = lambda target: (seen.append(gc.get_threshold()), remember(target))
        before = gc.get_threshold()
        assert serve.build_once("conf.py", ".preview", {}) == []
        print("rare:", [value[0] >= 100 * before[0] for value in seen], "restored:", gc.get_threshold() == before)
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "rare: [True, True] restored: True"
