"""The statistics and "Đọc nhiều" boxes in Chromium: live from the service, and its last
known figures when the service is stopped (at build time and while reading)."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.stats.test_browser_stats import open_page, serve_site, sidebar, write_site
from tests.support.sites import article, build_site
from tests.support.stats import BROWSER_UA, Uvicorn, free_port, write_manifest

pytestmark = pytest.mark.browser

ONE, TWO = "/2026/01/tin-mot/", "/2026/01/tin-hai/"
FILES = {
    "articles/mot.md": article("Tin một", "2026-01-07 10:00", "Tin hoạt động"),
    "articles/hai.md": article("Tin hai", "2026-01-06 09:00", "Đoàn thể"),
}


def most_read(page) -> dict[str, list[str]]:
    return {period: page.locator(f'aside [data-popular="{period}"] li a').all_inner_texts()
            for period in ("week", "month")}


def test_widget_keeps_the_previous_figures_when_the_service_is_stopped(browser, tmp_path):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    manifest = write_manifest(tmp_path / "manifest.json", [ONE, TWO, "/"], total=100)
    service = Uvicorn({"STATS_SITE_ORIGIN": origin, "STATS_DB": str(tmp_path / "stats.sqlite3"),
                       "STATS_MANIFEST": str(manifest)}, tmp_path / "uvicorn.log").start()
    # Asked at every build (not once a day): each build here must see what the service says at that moment.
    settings = (f"STATS_SNAPSHOT_URL = {service.base + '/api/export'!r}\nSTATS_OFFSETS = {{'total': 100}}\n"
                "STATS_SNAPSHOT_REFRESH = 'build'\n")
    root = write_site(tmp_path / "site", FILES, settings)
    try:
        first = build_site(root)  # nothing read yet: "Đọc nhiều" is hidden
        assert first.returncode == 0, first.stderr
        manifest.write_text((first.output / "stats-manifest.json").read_text(encoding="utf-8"), encoding="utf-8")
        for n, path in enumerate([ONE, ONE, TWO]):
            status, _ = service.request("POST", "/api/views", json.dumps({"path": path}).encode(),
                                        {"Origin": origin, "User-Agent": BROWSER_UA, "X-Forwarded-For": f"198.51.100.{n}"})
            assert status == 202
        with serve_site(first.output, port) as handler:
            handler.service = service.base
            page = open_page(browser, origin + "/")  # the live figures fill the hidden box
            expect(page.locator("aside section.most-read")).to_be_visible()
            expect(page.locator('aside [data-popular="week"] li a').first).to_have_text("Tin một")
            assert most_read(page) == {"week": ["Tin một", "Tin hai"], "month": ["Tin một", "Tin hai"]}
            expect(page.locator("aside .stats dd[data-stat='today']")).to_have_text("3")
            page.context.close()
        second = build_site(root, output="output-2")  # the service answers: its figures are kept
        assert second.returncode == 0, second.stderr
    finally:
        service.stop()

    third = build_site(root, output="output-3")  # the service is stopped now
    assert third.returncode == 0, third.stderr
    assert "trang dùng số liệu đã lưu lúc" in third.stderr
    with serve_site(third.output, port) as handler:
        handler.service = service.base  # nothing listens there any more: the proxy answers 502
        page = open_page(browser, origin + ONE)
        page.wait_for_timeout(1200)  # the failed reads have settled
        figures = sidebar(page)
        assert figures["Hôm nay"] == "3" and figures["Tất cả"] == "103"
        assert "0" not in (figures["Hôm nay"], figures["Trong tuần"], figures["Trong tháng"])
        assert page.locator(".stats-updated").inner_text().startswith("cập nhật ")
        assert page.locator(".article-meta [data-stat-views]").inner_text() == "2"
        assert most_read(page) == {"week": ["Tin một", "Tin hai"], "month": ["Tin một", "Tin hai"]}
        assert page.page_errors == []
        page.context.close()
