"""Sites built by the real CLI into temporary folders, browsers and servers on loopback ports."""
from __future__ import annotations

import functools
import http.server
import io
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from bs4 import BeautifulSoup
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BuiltSite:
    root: Path
    output: Path
    returncode: int
    stdout: str
    stderr: str

    def page(self, url: str) -> BeautifulSoup:
        """Parsed HTML of a URL path such as '/2023/12/slug/'."""
        path = self.output / url.lstrip("/")
        if url.endswith("/") or path.is_dir():
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")

    def exists(self, url: str) -> bool:
        path = self.output / url.lstrip("/")
        return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


def run_portal(command: str, root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "portal", command, *args],
        cwd=root, capture_output=True, text=True, env=environment, timeout=600,
    )


def write_site(root: Path, files: dict[str, str | bytes], settings: str = "") -> Path:
    """A site that uses the portal's pelicanconf with its own content/."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(
        textwrap.dedent(
            f"""
            from pelicanconf import *
            PATH = {str(root / 'content')!r}
            # No counting service runs beside these sites; test_stats_* turn it on.
            STATS_ENABLED = False
            # Test sites name their own categories; tests/hardening declares them.
            CATEGORIES = []
            """
        )
        + textwrap.dedent(settings),
        encoding="utf-8",
    )
    for name, text in {**theme_images(), **files}.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def theme_images() -> dict[str, bytes]:
    """The logo, banner and sidebar link images pelicanconf names, as in the repository's content."""
    import pelicanconf

    names = [pelicanconf.SITE_LOGO, pelicanconf.SITE_BANNER] + [image for _label, image, _url in pelicanconf.SIDEBAR_LINKS]
    return {name.lstrip("/"): (ROOT / "content" / name.lstrip("/")).read_bytes() for name in names if name}


def build_site(root: Path, output: str = "output", env: dict | None = None, settings: str = "conf.py") -> BuiltSite:
    result = run_portal("build", root, "-s", settings, "-o", output, env=env)
    return BuiltSite(root, root / output, result.returncode, result.stdout, result.stderr)


def article(title: str, date: str, category: str, body: str = "Nội dung bài viết.", **meta: str) -> str:
    lines = [f"Title: {title}", f"Date: {date}", f"Category: {category}"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


CHROMIUM = "/usr/bin/chromium"


PHONE = {"width": 390, "height": 844}


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve_directory(directory: Path):
    """A static HTTP server on a free loopback port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def axe_serious(page) -> list[str]:
    """Serious or critical accessibility violations reported by axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


SITE_URL = "https://dangUyKhoi.example.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path | None = None, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: {log.read_text() if log and log.exists() else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def png_bytes(width: int = 64, height: int = 48, color: str = "#b22222") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def demo_files() -> dict[str, str | bytes]:
    """A small site touching every kind of page the publisher writes (9 published articles)."""
    files: dict[str, str | bytes] = {
        "images/logo.png": png_bytes(64, 64),
        "images/2024/hoi-nghi.png": png_bytes(1600, 1200),
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\nĐảng ủy Khối các cơ quan tỉnh.\n",
        "articles/2024/nhap.md": article(
            "Bài còn đang viết", "2024-05-02 09:00", "Xây dựng Đảng", Status="draft"),
        "articles/2024/hoi-nghi.md": article(
            "Hội nghị <tổng kết> công tác \"Đảng\" năm 2024 </script>", "2024-05-01 08:00", "Xây dựng Đảng",
            body='Đoạn mở đầu.\n\n![Toàn cảnh hội nghị](/images/2024/hoi-nghi.png "Ảnh: Văn Nam")\n\nNội dung.',
            Tags="Hội nghị, Tổng kết", Slug="hoi-nghi-tong-ket-2024"),
    }
    for number, category in enumerate(("Kiểm tra - Giám sát", "Tuyên giáo - Dân vận", "Tin hoạt động"), start=1):
        files[f"articles/2024/muc-{number}.md"] = article(  # every MENU category has a page
            f"Tin {category}", f"2024-03-{number:02d} 10:00", category)
    for day in range(1, 6):
        files[f"articles/2024/tin-{day}.md"] = article(
            f"Tin đoàn thể số {day}", f"2024-04-{day:02d} 07:30", "Đoàn thể",
            body=f"Tin số {day}. Xem [hội nghị](/2024/05/hoi-nghi-tong-ket-2024/).")
    return files


def publish_settings(root: Path) -> str:
    """Settings text for write_site: publishconf.py over the site's own content/."""
    return f"from publishconf import *\nPATH = {str(root / 'content')!r}\n"


def publish_demo(root: Path, site_url: str) -> BuiltSite:
    """The demo site built with publishconf.py, as `make publish` does."""
    write_site(root, demo_files(), settings=publish_settings(root) + "DEFAULT_PAGINATION = 2\n")
    site = build_site(root, env={"SITEURL": site_url})
    assert site.returncode == 0, site.stderr
    return site


NGINX = "/usr/sbin/nginx"


BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


@contextmanager
def nginx_serving(site_root: Path, workdir: Path, api_port: int, port: int | None = None):
    """deploy/nginx.conf on a loopback port over site_root; yields the base URL."""
    port = port or free_port()
    site_conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    replacements = {
        "    listen 80;\n": f"    listen 127.0.0.1:{port};\n",
        "    listen [::]:80;\n": "",
        "root /var/www/portal;": f"root {site_root};",
        "proxy_pass http://127.0.0.1:8100;": f"proxy_pass http://127.0.0.1:{api_port};",
    }
    for old, new in replacements.items():
        assert old in site_conf, f"deploy/nginx.conf no longer contains {old!r}"
        site_conf = site_conf.replace(old, new)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "site.conf").write_text(site_conf, encoding="utf-8")
    temp_paths = "".join(f"{kind}_temp_path {workdir}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (workdir / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""
        worker_processes 1;
        pid {workdir}/nginx.pid;
        error_log {workdir}/error.log;
        load_module {BROTLI_MODULE};
        events {{ worker_connections 64; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            access_log {workdir}/access.log;
            {temp_paths}
            include {workdir}/site.conf;
        }}
        """,
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process, workdir / "error.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
