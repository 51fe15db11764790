"""`make deploy` through a real sshd on a loopback port into a directory."""
from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.sites import ROOT, SITE_URL, demo_files, free_port, publish_settings, wait_for_port, write_site

SSHD = "/usr/sbin/sshd"
STALE = "2024/04/05/index.html"  # only "Tin đoàn thể số 5" is dated that day
STALE_ARTICLE = "2024/04/tin-doan-the-so-5/index.html"


@pytest.fixture(scope="module")
def ssh(tmp_path_factory):
    """sshd with its own host key, config and authorized key; yields RSYNC_RSH."""
    if os.geteuid() != 0:
        pytest.skip("sshd needs root for its privilege separation (CI and the project machines are root)")
    work = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(work / name)], check=True)
    (work / "authorized_keys").write_text((work / "client_key.pub").read_text())
    port = free_port()
    (work / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {work / 'host_key'}\nPidFile {work / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {work / 'authorized_keys'}\nStrictModes no\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
    )
    host_key = (work / "host_key.pub").read_text().split()
    (work / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation directory
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(work / "sshd_config")],
                               stdout=subprocess.DEVNULL, stderr=open(work / "sshd.log", "w"))
    try:
        wait_for_port(port, process, work / "sshd.log")
        yield (f"ssh -p {port} -i {work / 'client_key'} -o BatchMode=yes -o StrictHostKeyChecking=yes "
               f"-o UserKnownHostsFile={work / 'known_hosts'}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deploy-site")
    return write_site(root, demo_files(), settings=publish_settings(root))


def make_deploy(site: Path, target: Path, rsync_rsh: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SITEURL=SITE_URL, RSYNC_RSH=rsync_rsh)
    return subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "deploy", f"DEPLOY_TARGET={getpass.getuser()}@127.0.0.1:{target}/",
         f"BIN={Path(sys.executable).parent}", "RUNTIME=", "PUBLISH_SETTINGS=conf.py", "OUTPUT=output"],
        cwd=site, env=env, capture_output=True, text=True, timeout=600,
    )


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def passes(stdout: str) -> tuple[list[str], list[str]]:
    """rsync --itemize-changes lines of deploy.sh's first and second pass."""
    first, _, second = stdout.partition("Bước 2/2")
    changed = lambda text: [line for line in text.splitlines() if line[:1] in ("<", "*", "c")]  # noqa: E731
    return changed(first.partition("Bước 1/2")[2]), changed(second)


def test_deploy_uploads_assets_first_then_html_and_removes_stale_pages(site, ssh, tmp_path):
    target = tmp_path / "www"
    first = make_deploy(site, target, ssh)
    assert first.returncode == 0, first.stderr + first.stdout
    assert files(target) == files(site / "output")
    assets, pages = passes(first.stdout)
    css = next(n for n in files(target) if n.startswith("theme/css/main.") and n.endswith(".css"))
    assert any(line.endswith(css) for line in assets)
    assert not [line for line in assets if line.endswith((".html", ".html.gz", ".html.br"))]
    assert any(line.endswith("index.html") for line in pages)
    assert (os.stat(target / "index.html").st_mode & 0o777) == 0o644

    (site / "content" / "articles" / "2024" / "tin-5.md").unlink()
    second = make_deploy(site, target, ssh)
    assert second.returncode == 0, second.stderr
    assert not (target / STALE_ARTICLE).exists() and not (target / STALE).exists()
    assert files(target) == files(site / "output")
    assets, pages = passes(second.stdout)
    assert not [line for line in assets if line.startswith("*deleting")]
    assert f"*deleting   {STALE_ARTICLE}" in pages


def test_a_failed_build_deploys_nothing(site, ssh, tmp_path):
    target = tmp_path / "www"
    assert make_deploy(site, target, ssh).returncode == 0
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in target.rglob("*") if p.is_file()}
    broken = site / "content" / "articles" / "2024" / "loi.md"
    broken.write_text("Title: Bài lỗi\nDate: 2024-13-45\nCategory: Đoàn thể\n\nNội dung.\n", encoding="utf-8")
    try:
        result = make_deploy(site, target, ssh)
    finally:
        broken.unlink()
    assert result.returncode != 0
    assert "content/articles/2024/loi.md:2: lỗi: trường 'Date'" in result.stderr
    assert "Bước 1/2" not in result.stdout
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in target.rglob("*") if p.is_file()} == before


def test_deploy_refuses_a_folder_that_is_not_a_published_site(tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("local build", encoding="utf-8")
    result = subprocess.run([str(ROOT / "scripts" / "deploy.sh"), str(tmp_path / "output"), str(tmp_path / "www")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "không phải một bản xuất bản hoàn chỉnh" in result.stderr
    assert not (tmp_path / "www").exists()


def test_deploy_without_target_says_how_to_set_it(site):
    env = dict(os.environ, SITEURL=SITE_URL, DEPLOY_TARGET="")
    result = subprocess.run(["make", "-f", str(ROOT / "Makefile"), "deploy", f"BIN={Path(sys.executable).parent}",
                             "RUNTIME="], cwd=site, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "chưa đặt DEPLOY_TARGET" in result.stderr
