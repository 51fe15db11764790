"""Store outages and restarts: 503 JSON while down, recovery without restart, nothing lost or doubled."""
from __future__ import annotations

import json
import sqlite3
import warnings

import pytest

from stats_service.app import create_app
from stats_service.config import Settings
from tests.support.stats import BROWSER_UA, SITE, FakeClock, RedisServer, Uvicorn, local, write_manifest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PATH = "/2026/01/tin-mot/"


def post_view(client, ua: str):
    return client.post("/api/views", content=json.dumps({"path": PATH}), headers={"origin": SITE, "user-agent": ua})


def test_redis_stopped_mid_test_then_restarted(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        settings = Settings(site_origin=SITE, backend="redis", redis_url=server.url,
                            manifest=write_manifest(tmp_path / "m.json", [PATH]))
        with TestClient(create_app(settings, clock=FakeClock(local("2026-01-07 10:00")))) as client:
            assert post_view(client, BROWSER_UA + " a").json() == {"counted": True}

            server.stop()
            for response in (post_view(client, BROWSER_UA + " b"), client.get("/api/site"),
                             client.get("/api/views", params={"path": PATH}), client.get("/api/health")):
                assert response.status_code == 503
                assert response.json()["error"] == "store_unavailable"

            server.start()  # same port, same append-only file; the app is not restarted
            assert client.get("/api/health").json()["status"] == "ok"
            assert post_view(client, BROWSER_UA + " b").json() == {"counted": True}
            assert post_view(client, BROWSER_UA + " a").json() == {"counted": False}  # salt survived
            assert client.get("/api/site").json()["total"] == 2
    finally:
        server.stop()


def test_sqlite_locked_by_another_writer_then_released(tmp_path):
    settings = Settings(site_origin=SITE, db=tmp_path / "s.sqlite3", manifest=write_manifest(tmp_path / "m.json", [PATH]))
    with TestClient(create_app(settings, clock=FakeClock(local("2026-01-07 10:00")))) as client:
        assert post_view(client, BROWSER_UA + " a").json() == {"counted": True}
        other = sqlite3.connect(settings.db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        response = post_view(client, BROWSER_UA + " b")
        assert response.status_code == 503 and response.json()["error"] == "store_unavailable"
        other.execute("ROLLBACK")
        other.close()
        assert post_view(client, BROWSER_UA + " b").json() == {"counted": True}
        assert client.get("/api/site").json()["total"] == 2


@pytest.fixture(params=["sqlite", "redis"])
def backend_env(request, tmp_path):
    if request.param == "sqlite":
        yield {"STATS_BACKEND": "sqlite", "STATS_DB": str(tmp_path / "stats.sqlite3")}
        return
    server = RedisServer(tmp_path)
    server.start()
    yield {"STATS_BACKEND": "redis", "STATS_REDIS_URL": server.url}
    server.stop()


def test_real_uvicorn_restart_loses_and_doubles_nothing_and_logs_no_visitor(backend_env, tmp_path):
    paths = [f"/2026/01/tin-{n}/" for n in range(5)]
    env = {**backend_env, "STATS_SITE_ORIGIN": SITE, "STATS_LOG_LEVEL": "debug",
           "STATS_MANIFEST": str(write_manifest(tmp_path / "m.json", paths))}
    log = tmp_path / "uvicorn.log"
    service = Uvicorn(env, log)
    ips = [f"203.0.113.{n}" for n in range(10, 14)]

    def send_all() -> list[bool]:
        counted = []
        for ip in ips:
            for path in paths:
                status, body = service.request(
                    "POST", "/api/views", json.dumps({"path": path}).encode(),
                    {"Origin": SITE, "User-Agent": BROWSER_UA + " KiemThu-uv", "X-Forwarded-For": ip,
                     "Content-Type": "text/plain;charset=UTF-8"})
                assert status == 202, body
                counted.append(body["counted"])
        return counted

    service.start()
    try:
        assert send_all() == [True] * 20
        service.stop()
        service.start()  # same day: the same visitors must not count again
        assert send_all() == [False] * 20
        status, figures = service.request("GET", "/api/site")
        assert status == 200 and figures["total"] == 20 and figures["today"] == 20
        assert figures["online"] == len(ips)
        status, body = service.request("GET", "/api/views?" + "&".join(f"path={p}" for p in paths))
        assert body["views"] == {p: len(ips) for p in paths}
    finally:
        service.stop()
    output = log.read_text()
    assert "Uvicorn running" in output  # the log was captured
    for secret in [*ips, "KiemThu-uv", "Chrome/131"]:
        assert secret not in output


def test_sqlite_read_only_file_is_unhealthy_then_recovers_without_restart(tmp_path):
    db = tmp_path / "data" / "s.sqlite3"
    settings = Settings(site_origin=SITE, db=db, manifest=write_manifest(tmp_path / "m.json", [PATH]))
    with TestClient(create_app(settings, clock=FakeClock(local("2026-01-07 10:00")))) as client:
        assert post_view(client, BROWSER_UA + " a").json() == {"counted": True}
    # Read-only from the start, as after a restore with the wrong owner: the side files are made read-only too.
    for side in db.parent.glob("s.sqlite3-*"):
        side.unlink()
    read_only(db, True)
    try:
        with TestClient(create_app(settings, clock=FakeClock(local("2026-01-07 10:05")))) as client:
            response = post_view(client, BROWSER_UA + " b")
            assert response.status_code == 503 and response.json()["error"] == "store_unavailable"
            health = client.get("/api/health")
            assert health.status_code == 503 and health.json()["error"] == "store_unavailable"
            read_only(db, False)  # the operator fixes the file; the service is not restarted
            assert client.get("/api/health").json()["status"] == "ok"
            assert post_view(client, BROWSER_UA + " b").json() == {"counted": True}
            assert client.get("/api/site").json()["total"] == 2
            for side in db.parent.glob("s.sqlite3-*"):
                assert side.stat().st_mode & 0o200, side  # writable side files
    finally:
        read_only(db, False)


def read_only(path, on: bool) -> None:
    """chmod for an ordinary user; root writes to any mode, so also the immutable flag (ext4) for root."""
    import os
    import subprocess

    if os.geteuid() == 0 and not on:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o444 if on else 0o644)
    if os.geteuid() == 0 and on:
        flag = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if flag.returncode:
            pytest.skip("running as root on a file system without chattr +i: a read-only file cannot be made")


def test_sqlite_folder_deleted_while_running_never_acknowledges_a_lost_view(tmp_path):
    import shutil

    db = tmp_path / "data" / "s.sqlite3"
    settings = Settings(site_origin=SITE, db=db, manifest=write_manifest(tmp_path / "m.json", [PATH]),
                        rate_burst=100, rate_per_minute=1000)
    with TestClient(create_app(settings, clock=FakeClock(local("2026-01-07 10:00")))) as client:
        assert post_view(client, BROWSER_UA + " a").json() == {"counted": True}
        shutil.rmtree(db.parent)
        acknowledged = sum(post_view(client, BROWSER_UA + f" n{i}").json() == {"counted": True} for i in range(20))
        assert client.get("/api/health").json()["status"] == "ok"
    # Every acknowledged view is in the file at STATS_DB, read by a fresh connection.
    stored = sqlite3.connect(db).execute("SELECT coalesce(sum(views), 0) FROM day_views").fetchone()[0]
    assert acknowledged == 20 and stored == acknowledged


@pytest.mark.parametrize("variable, value, expected", [
    ("STATS_PORT", "abc", "STATS_PORT='abc': phải là số nguyên từ 1 đến 65535"),
    ("STATS_PORT", "99999", "STATS_PORT='99999': phải là số nguyên từ 1 đến 65535"),
    ("STATS_TIMEZONE", "Asia/Ha_Noi", "STATS_TIMEZONE='Asia/Ha_Noi': không phải tên múi giờ"),
    ("STATS_BACKEND", "mysql", "STATS_BACKEND='mysql'"),
    ("STATS_LOG_LEVEL", "loud", "STATS_LOG_LEVEL='loud'"),
])
def test_configuration_error_names_the_variable_without_a_traceback(tmp_path, variable, value, expected):
    import os
    import subprocess
    import sys

    env = dict(os.environ, STATS_DB=str(tmp_path / "s.sqlite3"), STATS_MANIFEST=str(tmp_path / "m.json"))
    env[variable] = value
    result = subprocess.run([sys.executable, "-m", "stats_service"], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
