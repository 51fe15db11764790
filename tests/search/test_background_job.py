"""A background job's second step (``then``) runs in a fresh process, not in the fork of the build.

The search index's Pagefind runs need none of the build; a forked child keeps every page of the
build mapped (counted again in its RSS) for as long as it waits for them. These tests give the
parent a large ballast and look at what the second step's process holds.
"""
from __future__ import annotations

import os
import time

import pytest

from portal.core.search import background
from tests.support import fresh_probe

BALLAST_MIB = 300


@pytest.fixture(scope="module")
def ballast():
    held = bytearray(os.urandom(1024)) * (BALLAST_MIB * 1024)  # touched, so resident
    yield held
    del held


def test_then_runs_in_a_fresh_process_without_the_parents_memory(ballast):
    job = background.Job(lambda: {"step": 1}, then=fresh_probe.probe)
    result = job.wait()
    assert result["got"] == {"step": 1}
    assert result["pid"] != os.getpid()
    assert result["pytest_loaded"] is False, "a fork of this process would have pytest loaded"
    assert result["rss_kib"] < BALLAST_MIB * 1024 / 3


def test_without_then_the_work_runs_in_the_fork_that_holds_it(ballast):
    # The counter-check: the same measure sees the ballast in a forked child.
    result = background.Job(lambda: fresh_probe.probe({"step": 1})).wait()
    assert result["pytest_loaded"] is True
    assert result["rss_kib"] > BALLAST_MIB * 1024


def test_a_failure_in_the_fresh_process_comes_back_as_the_jobs_error():
    job = background.Job(lambda: {"step": 2}, then=fresh_probe.fail)
    with pytest.raises(background.BackgroundError, match="hỏng ở bước 2") as raised:
        job.wait()
    assert "ValueError" in raised.value.details


def test_in_process_the_two_steps_run_at_once():
    result = background.Job.done(lambda: {"step": 3}, then=fresh_probe.probe).wait()
    assert result["got"] == {"step": 3} and result["pid"] == os.getpid()


def test_a_cancelled_fresh_process_still_cleans_up(tmp_path):
    marker = tmp_path / "scratch-path"
    job = background.Job(lambda: {"marker": str(marker)}, then=fresh_probe.hold_scratch)
    deadline = time.monotonic() + 30
    while not (marker.exists() and marker.read_text()):
        assert time.monotonic() < deadline, "the fresh process did not start"
        time.sleep(0.05)
    scratch = marker.read_text()
    assert os.path.isdir(scratch)
    job.cancel()
    assert not os.path.exists(scratch)
