"""The build shows its phases on an interactive terminal and stays silent in logs and CI."""
from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.support.sites import article, write_site


def _site(tmp_path):
    return write_site(tmp_path / "site", {
        f"articles/tin-{n}.md": article(f"Tin số {n}", f"2024-03-{n:02d} 08:00", "Đoàn thể") for n in range(1, 4)
    })


def _build_on_a_terminal(root, env: dict) -> str:
    """`python -m portal build` with its stderr on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "portal", "build", "-s", "conf.py", "-o", "output"],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=follower,
                               env={**os.environ, "TERM": "xterm", **env})
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the build ended and closed its end
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert process.wait(timeout=300) == 0, received.decode(errors="replace")[-2000:]
    return received.decode("utf-8", errors="replace")


def test_a_terminal_sees_the_phases(tmp_path):
    env = {key: "" for key in ("CI",)}
    shown = _build_on_a_terminal(_site(tmp_path), env)
    assert "Đọc bài viết" in shown
    assert "Viết trang" in shown


def test_ci_and_logs_see_no_progress(tmp_path):
    root = _site(tmp_path)
    shown = _build_on_a_terminal(root, {"CI": "true"})
    assert "Đọc bài viết" not in shown and "Viết trang" not in shown
    done = subprocess.run([sys.executable, "-m", "portal", "build", "-s", "conf.py", "-o", "output"],
                          cwd=root, capture_output=True, text=True, env={**os.environ, "CI": ""}, timeout=300)
    assert done.returncode == 0 and "Đọc bài viết" not in done.stderr  # a pipe, not a terminal
