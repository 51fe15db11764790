"""One site build at a time, requests made meanwhile coalesced into one more, then the deploy.

The build is ``python -m portal build`` in a child process: atomic, so a
failed build leaves ``output/`` exactly as it was, and its messages are kept
to be shown in the newsroom.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .config import Config

MAX_LOG = 20_000


@dataclass
class BuildRun:
    number: int
    reasons: list[str]
    started: datetime | None = None
    finished: datetime | None = None
    ok: bool | None = None
    stage: str = "chờ"  # chờ | đang xây dựng | đang triển khai | đang cập nhật tìm kiếm | xong | lỗi
    log: str = ""
    errors: list[str] = field(default_factory=list)


class BuildQueue:
    def __init__(self, config: Config):
        self.config = config
        self._lock = threading.Condition()
        self._pending: BuildRun | None = None
        self.current: BuildRun | None = None
        self.last: BuildRun | None = None
        self._count = 0
        self._thread: threading.Thread | None = None

    def request(self, reason: str) -> BuildRun:
        """Queue a build; joins the waiting one if any (coalesced)."""
        with self._lock:
            if self._pending is None:
                self._count += 1
                self._pending = BuildRun(self._count, [])
            self._pending.reasons.append(reason)
            run = self._pending
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="newsroom-build", daemon=True)
                self._thread.start()
            self._lock.notify_all()
            return run

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._pending is None:
                    return
                run, self._pending = self._pending, None
                self.current = run
            self._run(run)
            with self._lock:
                self.current, self.last = None, run
                self._lock.notify_all()

    def wait(self, timeout: float = 600) -> BuildRun | None:
        """Until nothing is queued or running (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending is not None or self.current is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(remaining)
            return self.last

    def state(self) -> dict:
        with self._lock:
            def shown(run: BuildRun | None):
                if run is None:
                    return None
                return {"number": run.number, "stage": run.stage, "ok": run.ok, "reasons": run.reasons,
                        "started": run.started.isoformat() if run.started else None,
                        "finished": run.finished.isoformat() if run.finished else None,
                        "errors": run.errors, "log": run.log[-MAX_LOG:]}
            return {"current": shown(self.current), "queued": shown(self._pending), "last": shown(self.last)}

    def _run(self, run: BuildRun) -> None:
        config = self.config
        run.started = datetime.now(timezone.utc)
        run.stage = "đang xây dựng"
        command = [sys.executable, "-m", "portal", "build", "-s", config.build_settings, "-o", str(config.output)]
        ok, log = _call(command, config.repo, config.build_timeout, config.build_env)
        run.log = log
        if ok and config.deploy != "none":
            run.stage = "đang triển khai"
            ok, deploy_log = deploy(config)
            run.log += "\n" + deploy_log
        if ok:
            # The pages are live; a rebuild's search index follows them: once it is in place, the
            # deploy sends it (only the index's files have changed).
            run.stage = "đang cập nhật tìm kiếm"
            waited = [sys.executable, "-m", "portal", "wait-search", "-o", str(config.output)]
            ok, wait_log = _call(waited, config.repo, config.build_timeout, config.build_env)
            run.log += ("\n" + wait_log) if wait_log else ""
            if ok and config.deploy != "none":
                ok, deploy_log = deploy(config)
                run.log += "\n" + deploy_log
        run.ok = ok
        run.errors = [line for line in run.log.splitlines() if "lỗi" in line or "thất bại" in line][:50]
        run.stage = "xong" if ok else "lỗi"
        run.finished = datetime.now(timezone.utc)


def _call(command: list[str], cwd: Path, timeout: int, env: dict | None = None) -> tuple[bool, str]:
    try:
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return False, f"lỗi: quá {timeout} giây mà chưa xong: {' '.join(command)}"
    except OSError as exc:
        return False, f"lỗi: không chạy được {command[0]}: {exc}"
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def deploy(config: Config) -> tuple[bool, str]:
    """The configured deploy: a local web root, rsync, or git push to a remote whose CI deploys."""
    kind, _, target = config.deploy.partition(":")
    output = str(config.output).rstrip("/") + "/"
    if kind == "dir":
        Path(target).mkdir(parents=True, exist_ok=True)
        return _call(["rsync", "-a", "--delete-after", output, target.rstrip("/") + "/"], config.repo, 600)
    if kind == "rsync":
        return _call([str(config.repo / "scripts" / "deploy.sh"), str(config.output), target], config.repo, 1800)
    if kind == "git":
        return _call(["git", "-C", str(config.repo), "push", "-q", target or "origin", "HEAD"], config.repo, 600)
    return True, ""
