"""deploy/newsroom-nginx.conf inside deploy/nginx.conf, in front of the real newsroom, through a real nginx."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx2 as httpx
import pytest

from PIL import Image
from tests.support.sites import BROTLI_MODULE, NGINX, ROOT, free_port, wait_for_port

from .support import PASSWORD, csrf_of, make_repo

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx missing (scripts/ensure-system-deps.sh)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("nginx-newsroom")
    repo = make_repo(work / "site")
    (work / "www").mkdir()
    (work / "www" / "index.html").write_text("<!doctype html><title>Trang chủ</title>", encoding="utf-8")
    app_port, port = free_port(), free_port()
    env = dict(os.environ, NEWSROOM_CONTENT=str(repo), NEWSROOM_SETTINGS="conf.py", NEWSROOM_DATA=str(repo / ".newsroom"),
               NEWSROOM_PORT=str(app_port), NEWSROOM_PASSWORD=PASSWORD, NEWSROOM_PREFIX="/phong-bien-tap",
               NEWSROOM_LOG_LEVEL="warning", NEWSROOM_LOGIN_LIMIT_ADDRESS="3")
    subprocess.run([sys.executable, "-m", "portal.newsroom.user_cli", "hung", "bien-tap"], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    log = work / "newsroom.log"
    with open(log, "w") as out:
        app = subprocess.Popen([sys.executable, "-m", "portal.newsroom"], env=env, stdout=out, stderr=out, cwd=ROOT)
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    snippet = (ROOT / "deploy" / "newsroom-nginx.conf").read_text(encoding="utf-8")
    assert "proxy_pass http://127.0.0.1:8200/;" in snippet
    (work / "newsroom.conf").write_text(snippet.replace("127.0.0.1:8200", f"127.0.0.1:{app_port}"), encoding="utf-8")
    for old, new in {"    listen 80;\n": f"    listen 127.0.0.1:{port};\n", "    listen [::]:80;\n": "",
                     "root /var/www/portal;": f"root {work / 'www'};\n    include {work / 'newsroom.conf'};"}.items():
        assert old in site
        site = site.replace(old, new)
    (work / "site.conf").write_text(site, encoding="utf-8")
    temp_paths = "".join(f"{kind}_temp_path {work}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\nload_module {BROTLI_MODULE};\n"
        f"events {{ worker_connections 64; }}\nhttp {{\ninclude /etc/nginx/mime.types;\naccess_log {work}/access.log;\n"
        f"{temp_paths}include {work}/site.conf;\n}}\n", encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(app_port, app, log, seconds=30)
        wait_for_port(port, nginx, work / "error.log")
        yield f"http://127.0.0.1:{port}", repo
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.terminate()
        app.wait(timeout=10)


def test_login_edit_and_upload_through_nginx(served):
    base, repo = served
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        assert client.get("/").status_code == 200  # the public site is still served beside it
        moved = client.get("/phong-bien-tap")
        assert moved.status_code == 301 and moved.headers["location"].endswith("/phong-bien-tap/")
        assert client.get("/phong-bien-tap/").headers["location"] == "/phong-bien-tap/dang-nhap"
        page = client.get("/phong-bien-tap/dang-nhap")
        assert page.status_code == 200 and "Đăng nhập" in page.text
        assert 'action="/phong-bien-tap/dang-nhap"' in page.text and 'href="/phong-bien-tap/tinh/newsroom.css"' in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert page.headers["x-robots-tag"] == "noindex, nofollow"
        assert page.headers["cache-control"] == "no-store"
        assert "Path=/phong-bien-tap/" in page.headers["set-cookie"]
        assert client.get("/phong-bien-tap/tinh/newsroom.js").status_code == 200
        answer = client.post("/phong-bien-tap/dang-nhap", data={"ten": "hung", "mat_khau": PASSWORD, "csrf": csrf_of(page.text)},
                             headers={"Origin": base})
        assert answer.status_code == 303 and answer.headers["location"] == "/phong-bien-tap/"
        home = client.get("/phong-bien-tap/")
        assert home.status_code == 200 and "Viết bài mới" in home.text
        token = csrf_of(home.text)
        # A camera photo well above nginx's default 1 MB body limit.
        buffer = io.BytesIO()
        Image.frombytes("RGB", (1200, 900), os.urandom(1200 * 900 * 3)).save(buffer, "JPEG", quality=95)
        photo = buffer.getvalue()
        assert len(photo) > 1_000_000
        upload = client.post("/phong-bien-tap/tai-len", files={"tep": ("anh.jpg", photo, "image/jpeg")},
                             data={"csrf": token, "nam": "2025"}, headers={"Origin": base})
        assert upload.status_code == 200, upload.text
        assert (repo / "content" / "images" / "2025" / "anh.jpg").stat().st_size == len(photo)
        # A form posted from another site is refused even with a valid session.
        forged = client.post("/phong-bien-tap/bai/tu-luu", data={"csrf": token}, headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403


def test_forged_forwarded_for_does_not_escape_the_throttle(served):
    base, _repo = served
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        page = client.get("/phong-bien-tap/dang-nhap")
        token = csrf_of(page.text)
        codes = []
        for number in range(4):
            codes.append(client.post("/phong-bien-tap/dang-nhap",
                                     data={"ten": f"khong-co-{number}", "mat_khau": "sai-mat-khau-12", "csrf": token},
                                     headers={"X-Forwarded-For": f"10.0.0.{number}", "Origin": base}).status_code)
        assert codes == [401, 401, 401, 429]
