"""deploy/nginx.conf served by a real nginx over the published demo site."""
from __future__ import annotations

import gzip
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import brotli
import pytest

from tests.support.sites import free_port, nginx_serving, publish_demo

CSP_DIRECTIVES = {"default-src 'self'", "img-src 'self' data:", "connect-src 'self'", "object-src 'none'",
                  "frame-ancestors 'none'"}


class FakeStats(BaseHTTPRequestHandler):
    """Stands in for the statistics service on 127.0.0.1:8100."""

    def do_GET(self):
        body = json.dumps({"path": self.path, "forwarded_for": self.headers.get("X-Forwarded-For")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def port():
    return free_port()


@pytest.fixture(scope="module")
def published_site(port, tmp_path_factory):
    """Published for the address nginx listens on, so a browser can follow every link."""
    return publish_demo(tmp_path_factory.mktemp("served"), f"http://127.0.0.1:{port}")


@pytest.fixture(scope="module")
def server(published_site, port, tmp_path_factory):
    stats = ThreadingHTTPServer(("127.0.0.1", 0), FakeStats)
    threading.Thread(target=stats.serve_forever, daemon=True).start()
    with nginx_serving(published_site.output, tmp_path_factory.mktemp("nginx"), stats.server_address[1], port) as url:
        yield url
    stats.shutdown()
    stats.server_close()


def fetch(base: str, path: str, encoding: str | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = dict(headers or {})
    if encoding:
        headers["Accept-Encoding"] = encoding
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return result


def css_name(published_site) -> str:
    return next((published_site.output / "theme" / "css").glob("main.*.css")).name


def test_html_is_not_cached_and_carries_the_security_headers(server, published_site):
    status, headers, body = fetch(server, "/")
    assert status == 200
    assert body == (published_site.output / "index.html").read_bytes()
    assert headers["cache-control"] == "no-cache"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert set(d.strip() for d in headers["content-security-policy"].split(";")) >= CSP_DIRECTIVES
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "referrer-policy" in headers


@pytest.mark.parametrize("encoding, decode", [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_precompressed_files_are_served_per_accept_encoding(server, published_site, encoding, decode):
    for path, file in [("/2024/05/hoi-nghi-tong-ket-2024/", "2024/05/hoi-nghi-tong-ket-2024/index.html"),
                       (f"/theme/css/{css_name(published_site)}", f"theme/css/{css_name(published_site)}"),
                       ("/sitemap.xml", "sitemap.xml")]:
        status, headers, body = fetch(server, path, encoding)
        assert status == 200
        assert headers.get("content-encoding") == encoding, path
        assert "Accept-Encoding" in headers.get("vary", ""), path
        assert body == (published_site.output / f"{file}.{'gz' if encoding == 'gzip' else 'br'}").read_bytes()
        assert decode(body) == (published_site.output / file).read_bytes()


def test_without_accept_encoding_the_plain_file_is_served(server, published_site):
    status, headers, body = fetch(server, "/feeds/all.atom.xml")
    assert status == 200 and "content-encoding" not in headers
    assert body == (published_site.output / "feeds" / "all.atom.xml").read_bytes()


def test_cache_lifetimes_per_kind_of_file(server, published_site):
    expected = {
        f"/theme/css/{css_name(published_site)}": "public, max-age=31536000, immutable",
        "/2024/05/hoi-nghi-tong-ket-2024/": "no-cache",
        "/feeds/all.rss.xml": "no-cache",
        "/robots.txt": "no-cache",
        "/images/logo.png": "public, max-age=604800",
        "/" + next(published_site.output.glob("anh/**/*.webp")).relative_to(published_site.output).as_posix():
            "public, max-age=31536000, immutable",
    }
    for path, value in expected.items():
        status, headers, _ = fetch(server, path, "gzip, br")
        assert status == 200, path
        assert headers["cache-control"] == value, path
        assert "content-security-policy" in headers


def test_missing_page_gets_the_portal_404_page(server, published_site):
    status, headers, body = fetch(server, "/khong-co-trang-nay/")
    assert status == 404
    assert body == (published_site.output / "404.html").read_bytes()
    assert "content-security-policy" in headers


def test_api_is_proxied_to_the_statistics_service(server):
    status, headers, body = fetch(server, "/api/views?path=/2024/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert status == 200
    data = json.loads(body)
    # The reader's own address replaces any forged header (the service hashes it, stores none).
    assert data == {"path": "/api/views?path=/2024/", "forwarded_for": "127.0.0.1"}
    assert "cache-control" not in headers  # the service decides


@pytest.mark.browser
def test_pages_pass_the_content_security_policy_in_chromium(server, phone):
    violations, failed = [], []
    phone.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    phone.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document" and failed.append(r.url))
    phone.on("requestfailed", lambda r: failed.append(r.url))
    # The missing page comes last: its own 404 is the one console error expected.
    for path in ("/", "/2024/05/hoi-nghi-tong-ket-2024/", "/chuyen-muc/doan-the/", "/chuyen-muc/doan-the/trang/2/",
                 "/gioi-thieu/", "/khong-co-trang-nay/"):
        if path == "/khong-co-trang-nay/":
            assert phone.console_errors == []
        response = phone.goto(server + path)
        assert "content-security-policy" in response.headers
        # The fingerprinted stylesheet was allowed and applied.
        assert phone.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute", path
        phone.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        phone.wait_for_load_state("networkidle")
        assert phone.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)"), path
    assert failed == []
    assert phone.console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert phone.external_requests == []
    assert violations == []
    # The policy is really enforced: an inline script is refused and reported.
    phone.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                   " document.body.append(s); }")
    phone.wait_for_timeout(100)
    assert phone.evaluate("window.ran") is None
    assert violations and "script-src" in violations[0]
