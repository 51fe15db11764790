"""HTTP API (see docs/stats-api.md). Every answer is JSON; bad input is a 4xx."""
from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .config import Settings
from .guard import BotFilter, RateLimiter, same_site
from .manifest_file import ManifestFile
from .periods import Periods, recent
from .batch import WriteBatcher
from .privacy import opted_out, visitor_id
from .store import Store, StoreUnavailable, View, make_store

log = logging.getLogger("stats_service")
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message


def _json(data: dict, status: int = 200, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


# "Đọc nhiều": the last 7 and 30 local days (a calendar week would be empty on Monday morning).
POPULAR_DAYS = {"week": 7, "month": 30}
POPULAR_MAX = 20


class StatsApi:
    """The request handlers and the little state they share."""

    def __init__(self, settings: Settings, store: Store, clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.writer = WriteBatcher(store.record_many)
        self.clock = clock
        self.zone = ZoneInfo(settings.timezone)
        self.manifest = ManifestFile(settings.manifest)
        self.bots = BotFilter()
        self.limiter = RateLimiter(settings.rate_per_minute, settings.rate_burst)
        self._salt: tuple[object, bytes] | None = None

    # Helpers ------------------------------------------------------------------
    async def _salt_for(self, day) -> bytes:
        if self._salt is None or self._salt[0] != day:
            self._salt = (day, await self.store.salt(day, self.clock()))
        return self._salt[1]

    def _online_since(self, now: datetime) -> datetime:
        return now - timedelta(seconds=self.settings.online_window_seconds)

    async def _body(self, request: Request) -> dict:
        limit = self.settings.max_body_bytes
        too_large = ApiError(413, "body_too_large", f"Nội dung gửi lên quá lớn (tối đa {limit} byte).")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise too_large
        except ClientDisconnect:
            raise ApiError(400, "bad_body", "Kết nối bị ngắt khi đang gửi dữ liệu.") from None
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "bad_json", 'Nội dung không phải JSON hợp lệ, cần dạng {"path": "/duong-dan/"}.') from None
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            raise ApiError(400, "bad_path", 'Thiếu trường "path" (chuỗi) trong nội dung gửi lên.')
        return data

    def _offset_total(self, manifest) -> int:
        configured = self.settings.offset_total
        return manifest.offset_total if configured is None else configured

    async def _site(self, now: datetime) -> dict:
        periods = Periods.at(now, self.zone)
        raw = await self.store.site(periods.today, periods.week, periods.month, self._online_since(now))
        return {"online": raw.online, "today": raw.today, "week": raw.week, "month": raw.month,
                "total": raw.total + self._offset_total(self.manifest.current())}

    def _figures_response(self, request: Request, data: dict) -> JSONResponse:
        # Reads are public figures. CORS matters only when the API is on another
        # origin (the `make serve` preview); a plain GET needs no preflight.
        allow = {"Access-Control-Allow-Origin": self.settings.site_origin, "Vary": "Origin"}
        return _json(data, headers=allow if request.headers.get("origin") == self.settings.site_origin else None)

    def _stamp(self, now: datetime) -> str:
        return now.astimezone(self.zone).isoformat(timespec="seconds")

    async def _popular(self, now: datetime, limit: int) -> dict:
        """The most read published articles (the manifest's ``articles``) per window, with titles."""
        manifest = self.manifest.current()
        ranked = manifest.articles or {p: "" for p in manifest.paths if p != "/"}
        today = now.astimezone(self.zone).date()
        lists = {}
        for name, count in POPULAR_DAYS.items():
            views = await self.store.views_between(*recent(today, count))
            best = sorted(((-n, p) for p, n in views.items() if p in ranked and n > 0))[:limit]
            lists[name] = [{"path": p, "title": ranked[p], "views": -n} for n, p in best]
        return lists

    # Handlers -----------------------------------------------------------------
    async def record(self, request: Request) -> JSONResponse:
        client = request.client.host if request.client else ""
        if not self.limiter.allow(client):
            raise ApiError(429, "rate_limited", "Gửi quá nhiều lượt xem trong thời gian ngắn, hãy thử lại sau.")
        data = await self._body(request)
        if not same_site(request.headers, self.settings.site_origin):
            raise ApiError(403, "forbidden_origin", "Lượt xem phải được gửi từ chính trang web.")
        path = data["path"]
        if path not in self.manifest.current().paths:
            raise ApiError(404, "unknown_path", "Đường dẫn không thuộc trang web.")
        if opted_out(request.headers):
            return _json({"counted": False, "reason": "opt_out"}, 202)
        user_agent = request.headers.get("user-agent", "")
        if self.bots.is_bot(user_agent):
            return _json({"counted": False, "reason": "bot"}, 202)
        now = self.clock()
        day = now.astimezone(self.zone).date()
        salt = await self._salt_for(day)
        visitor = visitor_id(salt, self.settings.site_origin, client, user_agent)
        new = await self.writer.record(View(visitor, path, day, now), self._online_since(now))
        return _json({"counted": new}, 202)

    async def views(self, request: Request) -> JSONResponse:
        paths = list(dict.fromkeys(request.query_params.getlist("path")))
        if not paths:
            raise ApiError(400, "missing_path", "Cần ít nhất một tham số path=/duong-dan/.")
        if len(paths) > self.settings.max_paths_per_read:
            raise ApiError(400, "too_many_paths", f"Tối đa {self.settings.max_paths_per_read} đường dẫn mỗi lần.")
        manifest = self.manifest.current()
        unknown = [p for p in paths if p not in manifest.paths]
        if unknown:
            raise ApiError(404, "unknown_path", f"Đường dẫn không thuộc trang web: {unknown[0][:200]}")
        stored = await self.store.path_views(paths)
        views = {p: stored[p] + manifest.offset_paths.get(p, 0) for p in paths}
        return self._figures_response(request, {"views": views, "updated": self._stamp(self.clock())})

    async def site(self, request: Request) -> JSONResponse:
        now = self.clock()
        return self._figures_response(request, {**await self._site(now), "updated": self._stamp(now)})

    async def popular(self, request: Request) -> JSONResponse:
        raw = request.query_params.get("limit", "5")
        if not raw.isdigit() or not 1 <= int(raw) <= POPULAR_MAX:
            raise ApiError(400, "bad_limit", f"Tham số limit phải là số nguyên từ 1 đến {POPULAR_MAX}.")
        now = self.clock()
        return self._figures_response(request, {**await self._popular(now, int(raw)), "updated": self._stamp(now)})

    async def export(self, request: Request) -> JSONResponse:
        """Everything the static build needs for its no-JavaScript snapshot."""
        now = self.clock()
        manifest = self.manifest.current()
        stored = await self.store.all_path_views()
        views = {p: stored.get(p, 0) + manifest.offset_paths.get(p, 0)
                 for p in sorted(set(stored) | set(manifest.offset_paths))}
        return _json({"generated": self._stamp(now), "site": await self._site(now), "views": views,
                      "popular": await self._popular(now, POPULAR_MAX)})

    async def health(self, request: Request) -> JSONResponse:
        await self.store.ping()
        return _json({"status": "ok", "backend": self.settings.backend,
                      "paths": len(self.manifest.current().paths)})


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return _json({"error": exc.code, "message": exc.message}, exc.status)


async def _unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
    log.warning("store unavailable: %s", exc)
    return _json({"error": "store_unavailable", "message": "Dịch vụ thống kê tạm thời không truy cập được kho dữ liệu."}, 503)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return _json({"error": "http_%d" % exc.status_code, "message": exc.detail}, exc.status_code)


def create_app(settings: Settings | None = None, clock: Clock = system_clock, store: Store | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    api = StatsApi(settings, store or make_store(settings), clock)

    @asynccontextmanager
    async def lifespan(app):
        await api.store.open()
        try:
            yield
        finally:
            await api.store.close()

    app = Starlette(
        routes=[
            Route("/api/views", api.record, methods=["POST"]),
            Route("/api/views", api.views, methods=["GET"]),
            Route("/api/site", api.site, methods=["GET"]),
            Route("/api/popular", api.popular, methods=["GET"]),
            Route("/api/export", api.export, methods=["GET"]),
            Route("/api/health", api.health, methods=["GET"]),
        ],
        exception_handlers={ApiError: _api_error, StoreUnavailable: _unavailable, HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.api = api
    return app
