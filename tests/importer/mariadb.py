"""A private MariaDB server for a test or benchmark: temp datadir, own socket, free loopback port."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.sites import free_port

MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = "/usr/bin/mariadb-install-db"
CLIENT = shutil.which("mariadb") or "/usr/bin/mariadb"
USER, PASSWORD, DATABASE = "nukeviet", "mật-khẩu cũ", "nukeviet_cu"


@dataclass
class Server:
    port: int
    socket: Path

    @property
    def url(self) -> str:
        from urllib.parse import quote

        return f"mysql://{USER}:{quote(PASSWORD)}@127.0.0.1:{self.port}/{DATABASE}"

    def root_sql(self, sql: str) -> None:
        """Run SQL as root through the socket with the real client."""
        subprocess.run([CLIENT, "--no-defaults", f"--socket={self.socket}", "-uroot"], input=sql.encode("utf-8"),
                       check=True, capture_output=True, timeout=600)

    def load(self, dump: Path) -> None:
        with open(dump, "rb") as handle:
            subprocess.run([CLIENT, "--no-defaults", f"--socket={self.socket}", "-uroot", DATABASE], stdin=handle,
                           check=True, capture_output=True, timeout=1200)


@contextmanager
def mariadb_server(base: Path):
    """Yields a running :class:`Server` with DATABASE and USER (PASSWORD) created."""
    base.mkdir(parents=True, exist_ok=True)
    data, socket, log = base / "data", base / "mysqld.sock", base / "error.log"
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run([INSTALL_DB, "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal",
                    "--skip-test-db", *as_root], check=True, capture_output=True, timeout=300)
    port = free_port()
    process = subprocess.Popen(
        [MARIADBD, "--no-defaults", f"--datadir={data}", f"--socket={socket}", f"--port={port}",
         "--bind-address=127.0.0.1", "--skip-name-resolve", f"--pid-file={base / 'mysqld.pid'}",
         f"--log-error={log}", "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0",
         "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", *as_root],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mariadbd did not start:\n" + (log.read_text(errors="replace") if log.exists() else ""))
            time.sleep(0.2)
        server = Server(port, socket)
        for _ in range(50):
            try:
                server.root_sql("SELECT 1")
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        server.root_sql(
            f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
            f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}';\n"
            f"GRANT ALL ON {DATABASE}.* TO '{USER}'@'127.0.0.1';\n"
        )
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
