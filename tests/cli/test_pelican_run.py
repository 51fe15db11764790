"""Running Pelican in the build's process."""
from __future__ import annotations

import gc

import pytest

from portal.cli.pelican_run import rare_collections


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
