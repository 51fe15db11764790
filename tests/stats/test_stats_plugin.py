"""The stats plugin in a built site: snapshot figures, view counts, script tag, manifest."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from tests.support.sites import article, build_site, write_site as write_plain_site
from tests.support.stats import SITE, write_manifest


def write_site(root, files, settings=""):
    """Test sites run without the counting service unless asked; these ask."""
    return write_plain_site(root, files, "STATS_ENABLED = True\n" + settings)

FILES = {
    "articles/mot.md": article("Tin một", "2026-01-07 10:00", "Tin hoạt động"),
    "articles/hai.md": article("Tin hai", "2026-01-06 09:00", "Đoàn thể"),
    "pages/gioi-thieu.md": "Title: Giới thiệu\n\nTrang giới thiệu.\n",
}
ARTICLE = "/2026/01/tin-mot/"
SNAPSHOT = {
    "generated": "2026-01-07T10:05:00+07:00",
    "site": {"online": 16, "today": 531, "week": 4235, "month": 14800, "total": 93308},
    "views": {ARTICLE: 1207},
}


def figures(site, url: str) -> dict[str, str]:
    box = site.page(url).select_one("aside section.stats")
    return {dt.get_text(): dd.get_text() for dt, dd in zip(box.select("dt"), box.select("dd"))}


@pytest.fixture(scope="module")
def from_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("stats-file")
    (root / "snapshot.json").write_text(json.dumps(SNAPSHOT), encoding="utf-8")
    write_site(root, FILES, f"STATS_SNAPSHOT_FILE = {str(root / 'snapshot.json')!r}\n"
                            "STATS_OFFSETS = {'total': 93308, 'paths': {'/2026/01/tin-hai/': 207}}\n")
    site = build_site(root)
    assert site.returncode == 0, site.stderr
    return site


def test_sidebar_box_shows_the_snapshot_in_vietnamese_format(from_file):
    for url in ("/", ARTICLE, "/gioi-thieu/", "/chuyen-muc/doan-the/"):
        assert figures(from_file, url) == {"Đang online": "16", "Hôm nay": "531", "Trong tuần": "4.235",
                                           "Trong tháng": "14.800", "Tất cả": "93.308"}
    page = from_file.page("/")
    assert page.select_one("aside section.stats h2").get_text() == "Thống kê truy cập"
    assert page.select_one("aside > section") is page.select_one("aside section.stats")  # top of the sidebar
    updated = page.select_one(".stats-updated")
    assert updated.get_text() == "cập nhật Thứ Tư, 07/01/2026 | 10:05"
    assert updated.time["datetime"] == "2026-01-07T10:05:00+07:00"


def test_article_meta_line_shows_its_view_count(from_file):
    meta = from_file.page(ARTICLE).select_one(".article-meta .view-count")
    assert meta.get_text() == "Lượt xem: 1.207"
    # Not in the snapshot: its carried-over count is a floor (issue 18: never "Lượt xem: 0"
    # for an article with an old count; this assertion used to expect 0).
    assert from_file.page("/2026/01/tin-hai/").select_one(".view-count").get_text() == "Lượt xem: 207"
    assert from_file.page("/gioi-thieu/").select_one(".view-count") is None


def test_script_is_external_deferred_and_configured_by_data_attributes(from_file):
    page = from_file.page(ARTICLE)
    # Issue 18 added the site's own script (header date, print): the stats one is the other.
    scripts = page.select("script:not([src$='/site.js'])")
    assert [s["src"] for s in scripts] == ["/theme/js/stats.js"]
    script = scripts[0]
    assert script.has_attr("defer") and script.get_text() == ""
    assert (script["data-api"], script["data-path"]) == ("/api/", ARTICLE)
    assert from_file.page("/").select_one("script[data-path]")["data-path"] == "/"
    assert from_file.page("/404.html").select_one("script[data-path]")["data-path"] == ""  # never counted
    assert (from_file.output / "theme/js/stats.js").is_file()
    for tag in page.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on") or a == "style"], tag.name


def test_manifest_lists_every_page_but_the_404(from_file):
    data = json.loads((from_file.output / "stats-manifest.json").read_text(encoding="utf-8"))
    written = {
        "/" + str(p.relative_to(from_file.output).parent).replace(".", "").strip("/") + "/"
        for p in from_file.output.rglob("index.html")
    }
    assert set(data["paths"]) == {p.replace("//", "/") for p in written}
    assert {ARTICLE, "/", "/gioi-thieu/", "/chuyen-muc/doan-the/"} <= set(data["paths"])
    assert "/404.html" not in data["paths"]
    assert data["offsets"] == {"total": 93308, "paths": {"/2026/01/tin-hai/": 207}}


def test_without_a_snapshot_the_offsets_show(tmp_path):
    write_site(tmp_path, FILES, "STATS_OFFSETS = {'total': 93308, 'paths': {'/2026/01/tin-mot/': 207}}\n")
    site = build_site(tmp_path)
    assert site.returncode == 0, site.stderr
    assert figures(site, "/")["Tất cả"] == "93.308"
    assert figures(site, "/")["Hôm nay"] == "0"
    assert site.page("/").select_one(".stats-updated").get_text() == "chưa có số liệu mới"
    assert site.page(ARTICLE).select_one(".view-count").get_text() == "Lượt xem: 207"


def test_snapshot_from_the_running_service(tmp_path):
    """STATS_SNAPSHOT_URL: the build asks the service's /api/export."""
    from tests.support.stats import Uvicorn

    paths = [ARTICLE]
    env = {"STATS_SITE_ORIGIN": SITE, "STATS_DB": str(tmp_path / "s.sqlite3"),
           "STATS_MANIFEST": str(write_manifest(tmp_path / "m.json", paths, total=500))}
    service = Uvicorn(env, tmp_path / "uvicorn.log").start()
    try:
        for n in range(3):

            status, _ = service.request("POST", "/api/views", json.dumps({"path": ARTICLE}).encode(),
                                        {"Origin": SITE, "User-Agent": f"Mozilla/5.0 Chrome/131 khach-{n}"})
            assert status == 202
        write_site(tmp_path / "site", FILES, f"STATS_SNAPSHOT_URL = {service.base + '/api/export'!r}\n")
        site = build_site(tmp_path / "site")
    finally:
        service.stop()
    assert site.returncode == 0, site.stderr
    assert figures(site, "/")["Tất cả"] == "503"
    assert figures(site, "/")["Hôm nay"] == "3"
    assert site.page(ARTICLE).select_one(".view-count").get_text() == "Lượt xem: 3"
    assert site.page("/").select_one(".stats-updated").get_text().startswith("cập nhật ")


def test_service_down_at_build_time_is_a_warning_not_a_failure(tmp_path):
    from tests.support.stats import free_port

    url = f"http://127.0.0.1:{free_port()}/api/export"
    write_site(tmp_path, FILES, f"STATS_SNAPSHOT_URL = {url!r}\nSTATS_OFFSETS = {{'total': 93308}}\n")
    site = build_site(tmp_path)
    assert site.returncode == 0, site.stderr
    assert f"STATS_SNAPSHOT_URL: cảnh báo: không lấy được số liệu thống kê từ {url}" in site.stderr
    assert figures(site, "/")["Tất cả"] == "93.308"


@pytest.mark.parametrize("text, where, message", [
    ('{"generated": "2026-01-07T10:05:00+07:00",\n "site": {', ":2:", "không phải JSON hợp lệ"),
    (json.dumps({**SNAPSHOT, "site": {**SNAPSHOT["site"], "total": "93.308"}}), ":", '"site.total" phải là số nguyên'),
    (json.dumps({**SNAPSHOT, "generated": "hôm qua"}), ":", '"generated" phải là thời điểm ISO'),
    (json.dumps({**SNAPSHOT, "views": {"tin-mot": 3}}), ":", "phải bắt đầu bằng '/'"),
])
def test_a_broken_snapshot_file_fails_the_build_naming_the_file(tmp_path, text, where, message):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "marker.txt").write_text("bản tốt")
    (tmp_path / "so-lieu.json").write_text(text, encoding="utf-8")
    write_site(tmp_path, FILES, f"STATS_SNAPSHOT_FILE = {str(tmp_path / 'so-lieu.json')!r}\n")
    site = build_site(tmp_path, output="out")
    assert site.returncode == 1
    line = next(l for l in site.stderr.splitlines() if "so-lieu.json" in l)
    assert f"so-lieu.json{where}" in line and "lỗi: tệp số liệu thống kê" in line and message in line
    assert (tmp_path / "out" / "marker.txt").read_text() == "bản tốt"


def test_bad_offsets_setting_is_an_error(tmp_path):
    write_site(tmp_path, FILES, "STATS_OFFSETS = {'total': '93.308'}\n")
    site = build_site(tmp_path)
    assert site.returncode == 1
    assert "STATS_OFFSETS['total'] phải là số nguyên không âm" in site.stderr


def test_off_switch_removes_widget_count_script_and_manifest(tmp_path):
    write_site(tmp_path, FILES, "STATS_ENABLED = False\n")
    site = build_site(tmp_path)
    assert site.returncode == 0, site.stderr
    page = site.page(ARTICLE)
    assert page.select_one("section.stats") is None
    assert page.select_one(".view-count") is None
    assert page.select("script:not([src$='/site.js'])") == []
    assert not (site.output / "stats-manifest.json").exists()


def test_api_url_is_configurable(tmp_path):
    write_site(tmp_path, FILES, "STATS_API_URL = 'https://thongke.example.gov.vn/api/'\n")
    site = build_site(tmp_path)
    assert site.page(ARTICLE).select_one("script[data-api]")["data-api"] == "https://thongke.example.gov.vn/api/"


def test_page_path_core():
    from portal.core.stats.manifest import page_path

    assert page_path("index.html") == "/"
    assert page_path("2026/01/tin/index.html") == "/2026/01/tin/"
    assert page_path("404.html", frozenset({"404.html"})) is None
    assert page_path("theme/css/main.css") is None


def most_read(site, url: str = "/") -> dict[str, list[str]]:
    box = site.page(url).select_one("aside section.most-read")
    if box is None or box.has_attr("hidden"):
        return {}
    return {ol["data-popular"]: [li.get_text(" ", strip=True) for li in ol.select("li")] for ol in box.select("ol")}


def test_service_down_at_build_time_shows_the_last_known_figures(tmp_path):
    """Issue 18: never a dead-looking box of zeros; the kept snapshot, carried-over counts included."""
    from tests.support.stats import Uvicorn

    offsets = "STATS_OFFSETS = {'total': 500, 'paths': {'/2026/01/tin-hai/': 207}}\n"
    env = {"STATS_SITE_ORIGIN": SITE, "STATS_DB": str(tmp_path / "s.sqlite3"),
           "STATS_MANIFEST": str(write_manifest(tmp_path / "m.json", [ARTICLE], total=500))}
    service = Uvicorn(env, tmp_path / "uvicorn.log").start()
    try:
        write_site(tmp_path / "site", FILES, f"STATS_SNAPSHOT_URL = {service.base + '/api/export'!r}\n"
                   "STATS_SNAPSHOT_REFRESH = 'build'\n" + offsets)
        first = build_site(tmp_path / "site")  # writes the manifest with the article titles
        assert first.returncode == 0, first.stderr
        (tmp_path / "m.json").write_text((first.output / "stats-manifest.json").read_text(encoding="utf-8"))
        for n in range(3):
            status, _ = service.request("POST", "/api/views", json.dumps({"path": ARTICLE}).encode(),
                                        {"Origin": SITE, "User-Agent": f"Mozilla/5.0 Chrome/131 khach-{n}"})
            assert status == 202
        up = build_site(tmp_path / "site")
    finally:
        service.stop()
    assert up.returncode == 0, up.stderr
    live = figures(up, "/")
    assert live["Hôm nay"] == "3" and live["Tất cả"] == "503"
    assert most_read(up) == {"week": ["Tin một 3 lượt xem"], "month": ["Tin một 3 lượt xem"]}
    kept = tmp_path / "site" / ".cache" / "stats-snapshot.json"
    assert json.loads(kept.read_text(encoding="utf-8"))["site"]["today"] == 3

    down = build_site(tmp_path / "site", output="output-down")  # the service is stopped now
    assert down.returncode == 0, down.stderr
    assert "không lấy được số liệu thống kê" in down.stderr and "trang dùng số liệu đã lưu lúc" in down.stderr
    for url in ("/", ARTICLE):
        assert figures(down, url) == live  # never zeros
    assert down.page("/").select_one(".stats-updated").get_text() == up.page("/").select_one(".stats-updated").get_text()
    assert down.page(ARTICLE).select_one(".view-count").get_text() == "Lượt xem: 3"
    # Carried over from the old portal, never counted by the service: not "Lượt xem: 0".
    assert down.page("/2026/01/tin-hai/").select_one(".view-count").get_text() == "Lượt xem: 207"
    assert most_read(down) == most_read(up)


def test_the_service_figures_are_fetched_by_the_first_build_of_the_day(tmp_path):
    """Every page shows them: fresh figures at each build would render, and upload, every page."""
    from tests.support.stats import Uvicorn

    env = {"STATS_SITE_ORIGIN": SITE, "STATS_DB": str(tmp_path / "s.sqlite3"),
           "STATS_MANIFEST": str(write_manifest(tmp_path / "m.json", [ARTICLE], total=500))}
    service = Uvicorn(env, tmp_path / "uvicorn.log").start()
    try:
        write_site(tmp_path / "site", FILES, f"STATS_SNAPSHOT_URL = {service.base + '/api/export'!r}\n")
        first = build_site(tmp_path / "site")
        assert first.returncode == 0, first.stderr
        made = datetime.fromisoformat(json.loads(
            (tmp_path / "site" / ".cache" / "stats-snapshot.json").read_text(encoding="utf-8"))["generated"])
        for n in range(3):
            status, _ = service.request("POST", "/api/views", json.dumps({"path": ARTICLE}).encode(),
                                        {"Origin": SITE, "User-Agent": f"Mozilla/5.0 Chrome/131 khach-{n}"})
            assert status == 202
        later = build_site(tmp_path / "site", env={"PORTAL_CLOCK": (made + timedelta(hours=1)).isoformat()})
        tomorrow = build_site(tmp_path / "site", "output-tomorrow",
                              env={"PORTAL_CLOCK": (made + timedelta(days=1)).isoformat()})
    finally:
        service.stop()
    assert later.returncode == 0, later.stderr
    assert figures(later, "/") == figures(first, "/") and figures(later, "/")["Hôm nay"] == "0"
    assert re.search(r"dựng 0 trang", later.stdout), later.stdout  # nothing else changed: no page rendered
    assert tomorrow.returncode == 0, tomorrow.stderr
    assert figures(tomorrow, "/")["Hôm nay"] == "3"  # the service's own day


def test_a_damaged_kept_snapshot_is_skipped(tmp_path):
    from tests.support.stats import free_port

    url = f"http://127.0.0.1:{free_port()}/api/export"
    write_site(tmp_path, FILES, f"STATS_SNAPSHOT_URL = {url!r}\nSTATS_OFFSETS = {{'total': 93308}}\n")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "stats-snapshot.json").write_text('{"generated": ', encoding="utf-8")
    site = build_site(tmp_path)
    assert site.returncode == 0, site.stderr
    assert "trang dùng số liệu khởi điểm STATS_OFFSETS" in site.stderr
    assert figures(site, "/")["Tất cả"] == "93.308"
    assert most_read(site) == {}  # nothing to list: the box stays hidden


def test_snapshot_core_keeps_popular_and_floors_old_counts():
    from portal.core.stats.snapshot import Offsets, Snapshot, SnapshotError

    text = json.dumps({**SNAPSHOT, "popular": {"week": [{"path": ARTICLE, "views": 9}], "month": []}})
    snapshot = Snapshot.parse(text)
    assert snapshot.popular == {"week": [(ARTICLE, 9)], "month": []}
    assert Snapshot.parse(json.dumps(snapshot.to_json())) == snapshot  # the kept copy reads back the same
    floored = snapshot.with_offsets(Offsets(0, {ARTICLE: 5000, "/cu/": 12}))
    assert floored.views_for(ARTICLE) == 5000 and floored.views_for("/cu/") == 12
    assert snapshot.with_offsets(Offsets(0, {ARTICLE: 3})).views_for(ARTICLE) == 1207
    with pytest.raises(SnapshotError, match="popular.week"):
        Snapshot.parse(json.dumps({**SNAPSHOT, "popular": {"week": [{"path": ARTICLE, "views": -1}]}}))
