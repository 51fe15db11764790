"""The widget in real headless Chromium against the real service behind a proxy.

Two things make a test browser an ordinary visitor, set here and nowhere in
production code: Playwright's Chromium reports ``navigator.webdriver = true``
(stats.js never counts such a browser), so this module launches Chromium with
``--disable-blink-features=AutomationControlled``; and its user agent says
"HeadlessChrome" (a bot to crawlerdetect), so the context uses a desktop one.
"""
from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.support.sites import CHROMIUM, CHROMIUM_ARGS, QuietHandler, article, build_site, write_site as write_plain_site
from tests.support.stats import BROWSER_UA, Uvicorn, free_port, write_manifest


def write_site(root, files, settings=""):
    """Test sites run without the counting service unless asked; these ask."""
    return write_plain_site(root, files, "STATS_ENABLED = True\n" + settings)

pytestmark = pytest.mark.browser

ARTICLE = "/2026/01/tin-mot/"
OFFSET = 93308


class SiteWithApi(QuietHandler):
    """Like the nginx snippet in docs/deploy.md: files, and /api/ proxied."""

    service = ""
    posts: list[str] = []

    def do_GET(self):
        if self.path.startswith("/api/"):
            return self._proxy()
        return super().do_GET()

    def do_POST(self):
        self.posts.append(self.path)
        self._proxy()

    def _proxy(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        wanted = ("origin", "referer", "user-agent", "content-type", "dnt", "sec-gpc")
        headers = {k: v for k, v in self.headers.items() if k.lower() in wanted}
        headers["X-Forwarded-For"] = self.client_address[0]
        request = urllib.request.Request(self.service + self.path, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                status, data = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, data = error.code, error.read()
        except OSError:
            status, data = 502, b'{"error": "bad_gateway"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve_site(directory, port: int):
    handler = type("Handler", (SiteWithApi,), {"posts": []})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), lambda *a: handler(*a, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def visitor_browser(browser):
    """A second Chromium from the session's Playwright, without the automation flag."""
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + ["--disable-blink-features=AutomationControlled"])
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A running service with two earlier views, and a site built with its snapshot."""
    root = tmp_path_factory.mktemp("stats-browser")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    manifest = write_manifest(root / "manifest.json", [ARTICLE, "/"], total=OFFSET)
    service = Uvicorn({"STATS_SITE_ORIGIN": origin, "STATS_DB": str(root / "stats.sqlite3"),
                       "STATS_MANIFEST": str(manifest)}, root / "uvicorn.log").start()
    for n in (1, 2):
        status, _ = service.request("POST", "/api/views", json.dumps({"path": ARTICLE}).encode(),
                                    {"Origin": origin, "User-Agent": BROWSER_UA, "X-Forwarded-For": f"198.51.100.{n}"})
        assert status == 202
    write_site(root, {"articles/mot.md": article("Tin một", "2026-01-07 10:00", "Tin hoạt động")},
               f"STATS_SNAPSHOT_URL = {service.base + '/api/export'!r}\nSTATS_OFFSETS = {{'total': {OFFSET}}}\n")
    site = build_site(root)
    assert site.returncode == 0, site.stderr
    # The service now counts exactly the paths of this build.
    manifest.write_text((site.output / "stats-manifest.json").read_text(encoding="utf-8"), encoding="utf-8")
    with serve_site(site.output, port) as handler:
        handler.service = service.base
        yield origin, service, handler
    service.stop()


def open_page(browser, url: str):
    context = browser.new_context(user_agent=BROWSER_UA, locale="vi-VN")
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.goto(url)
    return page


def sidebar(page) -> dict[str, str]:
    return dict(zip(page.locator("aside .stats dt").all_inner_texts(), page.locator("aside .stats dd").all_inner_texts()))


def test_automated_browser_is_not_counted(browser, world):
    origin, service, handler = world
    page = open_page(browser, origin + ARTICLE)  # navigator.webdriver is true here
    assert page.evaluate("navigator.webdriver") is True
    expect(page.locator("[data-stat-views]")).to_have_text("2")  # live figures are still read
    assert handler.posts == []
    assert service.request("GET", "/api/views?path=" + ARTICLE)[1]["views"] == {ARTICLE: 2}
    page.context.close()


def test_visit_counts_once_live_figures_then_snapshot_when_service_stops(visitor_browser, world):
    origin, service, handler = world
    page = open_page(visitor_browser, origin + ARTICLE)
    assert page.evaluate("navigator.webdriver") is False
    snapshot = {"Đang online": "2", "Hôm nay": "2", "Trong tuần": "2", "Trong tháng": "2", "Tất cả": "93.310"}

    views = page.locator(".article-meta [data-stat-views]")
    expect(views).to_have_text("3")  # the snapshot said 2: up by one
    expect(page.locator("aside .stats dd[data-stat='today']")).to_have_text("3")
    assert sidebar(page) == {**snapshot, "Đang online": "3", "Hôm nay": "3", "Trong tuần": "3",
                             "Trong tháng": "3", "Tất cả": "93.311"}
    assert handler.posts == ["/api/views"]

    with page.expect_response(lambda r: "/api/views?" in r.url) as answer:
        page.reload()  # same day, same visitor: sent again, not counted again
    assert answer.value.status == 200
    assert len(handler.posts) == 2
    # The page first shows its snapshot, then the live figures: wait for those.
    expect(page.locator("aside .stats dd[data-stat='today']")).to_have_text("3")
    expect(views).to_have_text("3")
    assert service.request("GET", "/api/views?path=" + ARTICLE)[1]["views"] == {ARTICLE: 3}

    service.stop()
    with page.expect_response("**/api/site") as answer:
        page.reload()
    assert answer.value.status == 502
    page.wait_for_timeout(300)  # let the failed reads settle
    assert views.inner_text() == "2"
    assert sidebar(page) == snapshot
    assert page.locator(".stats-updated").inner_text().startswith("cập nhật ")
    assert page.page_errors == []
    page.context.close()
