"""Helpers for the stats tests: a real redis-server, a settable clock, a real uvicorn."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
SITE = "http://site.test"
BROWSER_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class RedisServer:
    """A real redis-server on a free loopback port, persisting to an append-only file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def dump(self) -> bytes:
        """Every key and value, whatever its type, as one blob to search."""
        import redis

        client = redis.Redis(port=self.port)
        parts = []
        for key in client.scan_iter():
            kind = client.type(key).decode()
            value = {
                "string": lambda: client.get(key),
                "set": lambda: sorted(client.smembers(key)),
                "hash": lambda: client.hgetall(key),
                "zset": lambda: client.zrange(key, 0, -1, withscores=True),
                "list": lambda: client.lrange(key, 0, -1),
            }[kind]()
            parts.append(repr((key, value)).encode())
        client.close()
        return b"\n".join(parts)


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def local(text: str) -> datetime:
    """'2026-01-04 23:59' in Asia/Ho_Chi_Minh (+07:00, no DST) as a UTC instant."""
    return datetime.fromisoformat(text + "+07:00").astimezone(timezone.utc)


def write_manifest(path: Path, paths: list[str], total: int = 0, offsets: dict | None = None) -> Path:
    path.write_text(json.dumps({"paths": paths, "offsets": {"total": total, "paths": offsets or {}}}), encoding="utf-8")
    return path


class Uvicorn:
    """`python -m stats_service` as deployed, its output kept in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = dict(os.environ, STATS_PORT=str(self.port), **env)
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Uvicorn":
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "stats_service"], env=self.env,
                                            stdout=out, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())
