"""The counting service's API, on both backends (real SQLite, real redis-server)."""
from __future__ import annotations

import json
import logging
import sqlite3
import uuid
import warnings

import pytest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from stats_service.app import create_app
from stats_service.config import ConfigError, Settings
from tests.support.stats import BROWSER_UA, SITE, FakeClock, RedisServer, local, write_manifest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PATHS = ["/", "/2026/01/tin-mot/", "/2026/01/tin-hai/", "/gioi-thieu/"]
ARTICLE = "/2026/01/tin-mot/"
OTHER = "/2026/01/tin-hai/"
TEST_IP = "203.0.113.77"
TEST_UA = BROWSER_UA + " KiemThu-7f3a9c"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


class Service:
    """One app under test: its settings, clock and a client with a fixed address."""

    def __init__(self, settings: Settings, clock: FakeClock, ip: str = TEST_IP) -> None:
        self.settings = settings
        self.clock = clock
        # As deployed: uvicorn takes the client address from the trusted proxy's header.
        self.app = ProxyHeadersMiddleware(create_app(settings, clock=clock), trusted_hosts=[ip])
        self.client = TestClient(self.app, client=(ip, 40000)).__enter__()

    def view(self, path: str = ARTICLE, ua: str = TEST_UA, ip: str | None = None, **headers):
        if ip:
            headers["x-forwarded-for"] = ip
        return self.client.post("/api/views", content=json.dumps({"path": path}),
                           headers={"origin": SITE, "user-agent": ua, "content-type": "text/plain;charset=UTF-8",
                                    **headers})

    def site(self) -> dict:
        response = self.client.get("/api/site")
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        self.client.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", "redis"])
def make_service(request, tmp_path):
    """A factory: make_service(**settings) -> Service on the parametrized backend."""
    made = []

    def make(clock: FakeClock | None = None, total: int = 0, offsets: dict | None = None, **overrides) -> Service:
        backend = {"backend": request.param, "rate_burst": 1000, "rate_per_minute": 6000}
        if request.param == "redis":
            server = request.getfixturevalue("redis_server")
            backend.update(redis_url=server.url, redis_prefix=f"t{uuid.uuid4().hex[:8]}:")
        else:
            backend.update(db=tmp_path / "stats.sqlite3")
        settings = Settings(site_origin=SITE, manifest=write_manifest(tmp_path / "manifest.json", PATHS, total, offsets),
                            **{**backend, **overrides})
        service = Service(settings, clock or FakeClock(local("2026-01-07 10:00")))
        made.append(service)
        return service

    make.backend = request.param
    yield make
    for service in made:
        service.close()


def visitor(n: int) -> str:
    return f"{BROWSER_UA} visitor-{n}"


# --- Definitions -----------------------------------------------------------------

def test_a_visitor_counts_once_per_page_per_day(make_service):
    service = make_service()
    assert service.view().json() == {"counted": True}
    assert service.view().json() == {"counted": False}  # reload
    assert service.view(OTHER).json() == {"counted": True}  # another page
    assert service.view(ua=visitor(2)).json() == {"counted": True}  # another visitor
    figures = service.site()
    assert (figures["today"], figures["total"]) == (3, 3)
    views = service.client.get("/api/views", params=[("path", ARTICLE), ("path", OTHER)]).json()["views"]
    assert views == {ARTICLE: 2, OTHER: 1}

    service.clock.now = local("2026-01-08 00:00")  # next local day: counted again
    assert service.view().json() == {"counted": True}
    figures = service.site()
    assert (figures["today"], figures["week"], figures["total"]) == (1, 4, 4)


def test_online_is_distinct_visitors_in_the_last_five_minutes(make_service):
    service = make_service()
    service.view(ua=visitor(1))
    service.view(OTHER, ua=visitor(1))  # same visitor, second page: still one person
    service.clock.advance(minutes=4)
    service.view(ua=visitor(2))
    assert service.site()["online"] == 2
    service.clock.advance(seconds=59)  # visitor 1 last seen 4:59 ago
    assert service.site()["online"] == 2
    service.clock.advance(seconds=2)  # 5:01 ago
    assert service.site()["online"] == 1
    service.view(ua=visitor(1))  # back again (already counted today, still online)
    assert service.site()["online"] == 2
    service.clock.advance(minutes=6)
    assert service.site()["online"] == 0


def test_iso_week_boundary_is_monday_midnight_in_vietnam(make_service):
    clock = FakeClock(local("2026-01-04 23:59"))  # Sunday 23:59 (+07:00) = 16:59 UTC
    service = make_service(clock)
    service.view(ua=visitor(1))
    clock.now = local("2026-01-05 00:00")  # Monday 00:00 (+07:00) = still Sunday in UTC
    service.view(ua=visitor(2))
    figures = service.site()
    assert (figures["today"], figures["week"], figures["month"]) == (1, 1, 2)
    clock.now = local("2026-01-11 23:59")  # Sunday of the same ISO week
    assert service.site()["week"] == 1
    clock.now = local("2026-01-12 00:00")
    assert (service.site()["week"], service.site()["today"]) == (0, 0)


def test_month_boundary_in_vietnam(make_service):
    clock = FakeClock(local("2026-01-31 23:30"))  # a Saturday
    service = make_service(clock)
    service.view(ua=visitor(1))
    clock.now = local("2026-02-01 00:10")  # Sunday: same ISO week, new month
    service.view(ua=visitor(2))
    figures = service.site()
    assert (figures["today"], figures["week"], figures["month"], figures["total"]) == (1, 2, 1, 2)
    clock.now = local("2026-03-01 08:00")
    assert service.site()["month"] == 0
    assert service.site()["total"] == 2


def test_offsets_carry_old_totals_over(make_service):
    service = make_service(total=93308, offsets={ARTICLE: 207})
    service.view()
    figures = service.site()
    assert figures["total"] == 93309
    assert figures["today"] == 1  # offsets never touch the calendar figures
    assert service.client.get("/api/views", params={"path": ARTICLE}).json()["views"] == {ARTICLE: 208}
    export = service.client.get("/api/export").json()
    assert export["site"]["total"] == 93309 and export["views"] == {ARTICLE: 208}


def test_environment_offset_overrides_the_manifest(make_service):
    service = make_service(total=93308, offset_total=1000)
    assert service.site()["total"] == 1000


# --- Privacy ----------------------------------------------------------------------

def test_no_ip_or_user_agent_in_the_store_or_logs(make_service, redis_server, caplog):
    caplog.set_level(logging.DEBUG)
    service = make_service()
    for path in PATHS:
        assert service.view(path).status_code == 202
    service.view(ARTICLE, ip="198.51.100.23")
    assert service.site()["today"] == len(PATHS) + 1
    service.close()  # flush everything to disk

    if make_service.backend == "sqlite":
        files = list(service.settings.db.parent.glob(service.settings.db.name + "*"))
        assert service.settings.db in files
        stored = b"".join(f.read_bytes() for f in files)
    else:
        stored = redis_server.dump()
    assert ARTICLE.encode() in stored  # the search does see what is stored
    for secret in (TEST_IP, "198.51.100.23", "KiemThu-7f3a9c", "Chrome/131"):
        assert secret.encode() not in stored
        assert secret not in caplog.text


def test_salts_are_random_per_day_and_dropped_after_48_hours(make_service, redis_server):
    clock = FakeClock(local("2026-01-07 10:00"))
    service = make_service(clock)
    service.view()
    clock.advance(days=1)
    assert service.view().json() == {"counted": True}  # new day, new salt: not linkable
    clock.advance(days=2)
    service.view()
    if make_service.backend == "sqlite":
        db = sqlite3.connect(service.settings.db)
        assert [d for (d,) in db.execute("SELECT day FROM salts ORDER BY day")] == ["2026-01-08", "2026-01-10"]
        assert [d for (d,) in db.execute("SELECT DISTINCT day FROM seen")] == ["2026-01-10"]
        db.close()
    else:
        import redis

        client = redis.Redis(port=redis_server.port)
        keys = sorted(client.scan_iter(service.settings.redis_prefix + "salt:*"))
        assert len(keys) == 3 and all(0 < client.ttl(k) <= 48 * 3600 for k in keys)
        assert len({client.get(k) for k in keys}) == 3
        client.close()


@pytest.mark.parametrize("header", ["DNT", "Sec-GPC"])
def test_do_not_track_and_global_privacy_control_are_honoured(make_service, header):
    service = make_service()
    response = service.view(**{header: "1"})
    assert response.status_code == 202 and response.json() == {"counted": False, "reason": "opt_out"}
    assert service.site()["today"] == 0 and service.site()["online"] == 0
    assert service.view(**{header: "0"}).json() == {"counted": True}


# --- Abuse ------------------------------------------------------------------------

@pytest.mark.parametrize("ua", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    BROWSER_UA.replace("Chrome/", "HeadlessChrome/"),
    "curl/8.5.0",
    "",
])
def test_bots_are_not_counted(make_service, ua):
    service = make_service()
    assert service.view(ua=ua).json() == {"counted": False, "reason": "bot"}
    assert service.site()["today"] == 0


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.test"},
    {"origin": "http://site.test.evil.test"},
    {"origin": "null"},
    {"origin": "", "referer": "http://evil.test/2026/01/tin-mot/"},
    {"origin": ""},
])
def test_views_from_another_origin_are_refused(make_service, headers):
    service = make_service()
    response = service.view(**headers)
    assert response.status_code == 403 and response.json()["error"] == "forbidden_origin"
    assert service.site()["today"] == 0


def test_referer_from_the_site_is_enough_without_origin(make_service):
    service = make_service()
    assert service.view(origin="", referer=SITE + ARTICLE).json() == {"counted": True}


def test_only_manifest_paths_are_counted(make_service):
    service = make_service()
    for path in ("/wp-admin/", "/2026/01/tin-mot", "/2026/01/tin-mot/?x=1", "/" * 500):
        response = service.view(path)
        assert response.status_code == 404 and response.json()["error"] == "unknown_path"
    response = service.client.get("/api/views", params={"path": "/khong-co/"})
    assert response.status_code == 404 and response.json()["error"] == "unknown_path"
    assert service.site()["total"] == 0


@pytest.mark.parametrize("body, status, error", [
    (b"", 400, "bad_json"),
    (b"{not json", 400, "bad_json"),
    (b"\xff\xfe", 400, "bad_json"),
    (b"[1, 2]", 400, "bad_path"),
    (b'{"path": 5}', 400, "bad_path"),
    (b'{"other": "/"}', 400, "bad_path"),
    (b'{"path": "/", "pad": "' + b"x" * 2000 + b'"}', 413, "body_too_large"),
])
def test_bad_bodies_get_a_json_4xx(make_service, body, status, error):
    service = make_service()
    response = service.client.post("/api/views", content=body, headers={"origin": SITE, "user-agent": TEST_UA})
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["message"]


def test_oversized_body_without_content_length_is_cut_off(make_service):
    service = make_service()

    def chunks():
        for _ in range(100):
            yield b'{"path": "/", "x": "' + b"y" * 100

    response = service.client.post("/api/views", content=chunks(), headers={"origin": SITE, "user-agent": TEST_UA})
    assert response.status_code == 413


def test_bad_reads_get_a_json_4xx(make_service):
    service = make_service(max_paths_per_read=3)
    assert service.client.get("/api/views").status_code == 400
    too_many = service.client.get("/api/views", params=[("path", p) for p in PATHS])
    assert too_many.status_code == 400 and too_many.json()["error"] == "too_many_paths"
    assert service.client.get("/api/nowhere").json()["error"] == "http_404"
    assert service.client.put("/api/views").status_code == 405


def test_each_client_is_rate_limited(make_service):
    service = make_service(rate_burst=3, rate_per_minute=1)
    statuses = [service.view(path, ua=visitor(n)).status_code for n, path in enumerate(PATHS)]
    assert statuses == [202, 202, 202, 429]
    assert service.view(ip="198.51.100.5").status_code == 202  # other clients are not affected
    assert service.site()["today"] == 4


def test_reads_allow_the_site_origin_only(make_service):
    service = make_service()
    ours = service.client.get("/api/site", headers={"origin": SITE})
    theirs = service.client.get("/api/site", headers={"origin": "http://evil.test"})
    assert ours.headers["access-control-allow-origin"] == SITE
    assert "access-control-allow-origin" not in theirs.headers


# --- Faults -----------------------------------------------------------------------

def test_health(make_service):
    service = make_service()
    assert service.client.get("/api/health").json() == {"status": "ok", "backend": make_service.backend,
                                                         "paths": len(PATHS)}


def test_manifest_is_reloaded_after_a_new_build(make_service, tmp_path):
    service = make_service()
    assert service.view("/2026/02/tin-moi/").status_code == 404
    write_manifest(service.settings.manifest, PATHS + ["/2026/02/tin-moi/"])
    assert service.view("/2026/02/tin-moi/").json() == {"counted": True}


def test_config_errors_name_the_variable():
    with pytest.raises(ConfigError, match="STATS_BACKEND"):
        Settings.from_env({"STATS_BACKEND": "mysql"})
    with pytest.raises(ConfigError, match="STATS_OFFSET_TOTAL"):
        Settings.from_env({"STATS_OFFSET_TOTAL": "93.308"})
    assert Settings.from_env({"STATS_OFFSET_TOTAL": "93308"}).offset_total == 93308


def test_views_arriving_together_are_written_as_one_batch_each_counted_once(make_service):
    import asyncio
    from datetime import date, timedelta

    from stats_service.batch import WriteBatcher
    from stats_service.store import View

    service = make_service()
    api = service.app.app.state.api
    now = service.clock()
    pairs = [(v, p) for v in range(5) for p in PATHS[:2]] * 2  # the second half repeats the first
    writes: list[int] = []
    write_many = api.store.record_many

    async def counting_write_many(views, since):
        writes.append(len(views))
        return await write_many(views, since)

    batcher = WriteBatcher(counting_write_many)

    async def burst():
        return await asyncio.gather(*(batcher.record(View(f"v{v}", p, date(2026, 1, 7), now),
                                                        now - timedelta(minutes=5)) for v, p in pairs))

    assert service.client.portal.call(burst) == [True] * 10 + [False] * 10
    assert writes == [20]
    assert service.site()["today"] == 10 and service.site()["online"] == 5


# --- "Đọc nhiều" (GET /api/popular) --------------------------------------------------

def with_titles(service, titles: dict[str, str]) -> None:
    """The build's manifest names its published articles (portal.core.stats.manifest)."""
    data = json.loads(service.settings.manifest.read_text(encoding="utf-8"))
    data["articles"] = titles
    service.settings.manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_popular_ranks_articles_over_the_last_7_and_30_days(make_service):
    clock = FakeClock(local("2026-01-03 09:00"))
    service = make_service(clock)
    with_titles(service, {ARTICLE: "Tin một", OTHER: "Tin hai"})
    for n in range(3):  # 3 visits of OTHER on 3 January...
        service.view(OTHER, ua=visitor(n))
    clock.now = local("2026-01-12 09:00")  # ...which is 10 days before the 12th
    for n in range(2):
        service.view(ua=visitor(n))
    service.view("/", ua=visitor(9))  # the home page is never in the list
    service.view("/gioi-thieu/", ua=visitor(9))  # nor a page that is not an article
    answer = service.client.get("/api/popular", params={"limit": 5})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    data = answer.json()
    assert data["week"] == [{"path": ARTICLE, "title": "Tin một", "views": 2}]
    assert data["month"] == [{"path": OTHER, "title": "Tin hai", "views": 3},
                             {"path": ARTICLE, "title": "Tin một", "views": 2}]
    assert data["updated"] == "2026-01-12T09:00:00+07:00"
    assert service.client.get("/api/popular", params={"limit": 1}).json()["month"] == data["month"][:1]

    clock.now = local("2026-02-02 00:00")  # 30 days after the 3rd: only the 12th is left
    assert [i["path"] for i in service.client.get("/api/popular").json()["month"]] == [ARTICLE]
    export = service.client.get("/api/export").json()  # the build's snapshot carries the lists too
    assert export["popular"] == {"week": [], "month": [{"path": ARTICLE, "title": "Tin một", "views": 2}]}


def test_popular_ties_are_ordered_by_path_and_limit_is_checked(make_service):
    service = make_service()
    with_titles(service, {ARTICLE: "Tin một", OTHER: "Tin hai"})
    service.view(ARTICLE)
    service.view(OTHER)
    assert [i["path"] for i in service.client.get("/api/popular").json()["week"]] == sorted([ARTICLE, OTHER])
    for limit in ("0", "21", "năm", "-1"):
        answer = service.client.get("/api/popular", params={"limit": limit})
        assert answer.status_code == 400 and answer.json()["error"] == "bad_limit", limit


def test_popular_without_article_titles_ranks_every_page_but_the_home(make_service):
    service = make_service()  # a manifest from before the "articles" list
    service.view("/")
    service.view("/gioi-thieu/")
    assert service.client.get("/api/popular").json()["week"] == [{"path": "/gioi-thieu/", "title": "", "views": 1}]
