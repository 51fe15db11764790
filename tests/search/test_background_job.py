"""A background job's second step (``then``) runs in a fresh process, not in the fork of the build.

The search index's Pagefind runs need none of the build; a forked child keeps every page of the
build mapped (counted again in its RSS) for as long as it waits for them. These tests give the
parent a large ballast and look at what the second step's process holds.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _started(marker) -> str:
    deadline = time.monotonic() + 30
    while not (marker.exists() and marker.read_text()):
        assert time.monotonic() < deadline, "the fresh process did not start"
        time.sleep(0.05)
    return marker.read_text()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie is gone too: its parent (here: init, or this test's process) has not reaped it yet.
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"


def test_a_cancelled_fresh_process_still_cleans_up(tmp_path):
    marker = tmp_path / "scratch-path"
    job = background.Job(lambda: {"marker": str(marker)}, then=fresh_probe.hold_scratch)
    scratch = _started(marker)
    assert os.path.isdir(scratch)
    job.cancel()
    assert not os.path.exists(scratch)


# A build killed outright (a CI time-out, SIGKILL) cannot cancel its job: the job stops by itself.
BUILD = """
import sys, time
from portal.core.search import background
from tests.support import fresh_probe
job = background.Job(lambda: {"marker": sys.argv[1]}, then=fresh_probe.hold_scratch)
time.sleep(120)
"""


def test_a_job_whose_build_was_killed_stops_and_cleans_up(tmp_path):
    marker = tmp_path / "scratch-path"
    build = subprocess.Popen([sys.executable, "-c", BUILD, str(marker)], cwd=Path(__file__).resolve().parents[2])
    try:
        scratch = _started(marker)
        fresh = int((tmp_path / "scratch-path.pid").read_text())
        assert os.path.isdir(scratch) and not _gone(fresh)
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 20
    while not _gone(fresh) or os.path.exists(scratch):
        assert time.monotonic() < deadline, "the job went on without its build"
        time.sleep(0.1)
