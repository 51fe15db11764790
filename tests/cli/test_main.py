"""`python -m portal` ends without the interpreter's teardown (``leave``), and nothing is lost for it."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def run_python(code: str) -> subprocess.CompletedProcess:
    # Buffered output, as in a terminal-less run: what is not flushed would be lost.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=60, env=environment)


def test_leave_waits_for_threads_runs_exit_functions_flushes_and_keeps_the_status(tmp_path):
    marker = tmp_path / "removed-at-exit"
    marker.mkdir()
    done = run_python(f"""
        import atexit, shutil, sys, threading, time
        from portal.cli.main import leave
        atexit.register(lambda: print("exit functions ran"))
        atexit.register(shutil.rmtree, {str(marker)!r})
        def late():
            time.sleep(0.3)
            print("thread finished", file=sys.stderr)
        threading.Thread(target=late).start()
        print("unflushed", end="")
        leave(3)
        print("never")
    """)
    assert done.returncode == 3
    assert done.stdout == "unflushedexit functions ran\n"
    assert "thread finished" in done.stderr
    assert not marker.exists()


def test_a_daemon_thread_is_not_waited_for():
    done = run_python("""
        import threading, time
        from portal.cli.main import leave
        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
        print("done")
        leave(0)
    """)
    assert (done.returncode, done.stdout) == (0, "done\n")
