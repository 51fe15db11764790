"""Service settings, read once from environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class ConfigError(ValueError):
    """An environment variable has a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    site_origin: str = "http://localhost:8000"
    manifest: Path = Path("output/stats-manifest.json")
    backend: str = "sqlite"
    db: Path = Path("stats.sqlite3")
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "stats:"
    offset_total: int | None = None  # overrides the manifest's offsets.total when set
    timezone: str = "Asia/Ho_Chi_Minh"
    online_window_seconds: int = 300
    rate_per_minute: int = 30
    rate_burst: int = 10
    max_body_bytes: int = 1024
    max_paths_per_read: int = 100
    host: str = "127.0.0.1"
    port: int = 8100
    forwarded_allow_ips: str = "127.0.0.1"
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        defaults = cls()

        def text(name: str, default: str) -> str:
            return env.get(name, "").strip() or default

        def number(name: str, default: int | None, minimum: int = 0, maximum: int | None = None) -> int | None:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            expected = f"phải là số nguyên từ {minimum} đến {maximum}" if maximum else f"phải là số nguyên từ {minimum} trở lên"
            try:
                value = int(raw)
            except ValueError:
                raise ConfigError(f"{name}={raw!r}: {expected}") from None
            if value < minimum or (maximum is not None and value > maximum):
                raise ConfigError(f"{name}={raw!r}: {expected}")
            return value

        def zone(name: str, default: str) -> str:
            value = text(name, default)
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ConfigError(f"{name}={value!r}: không phải tên múi giờ IANA; ví dụ Asia/Ho_Chi_Minh") from None
            return value

        log_level = text("STATS_LOG_LEVEL", defaults.log_level).lower()
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"STATS_LOG_LEVEL={log_level!r}: chỉ nhận {', '.join(LOG_LEVELS)}")

        backend = text("STATS_BACKEND", defaults.backend)
        if backend not in ("sqlite", "redis"):
            raise ConfigError(f"STATS_BACKEND={backend!r}: chỉ nhận 'sqlite' hoặc 'redis'")
        return cls(
            site_origin=text("STATS_SITE_ORIGIN", defaults.site_origin).rstrip("/"),
            manifest=Path(text("STATS_MANIFEST", str(defaults.manifest))),
            backend=backend,
            db=Path(text("STATS_DB", str(defaults.db))),
            redis_url=text("STATS_REDIS_URL", defaults.redis_url),
            redis_prefix=text("STATS_REDIS_PREFIX", defaults.redis_prefix),
            offset_total=number("STATS_OFFSET_TOTAL", None),
            timezone=zone("STATS_TIMEZONE", defaults.timezone),
            online_window_seconds=number("STATS_ONLINE_SECONDS", defaults.online_window_seconds, 1),
            rate_per_minute=number("STATS_RATE_PER_MINUTE", defaults.rate_per_minute, 1),
            rate_burst=number("STATS_RATE_BURST", defaults.rate_burst, 1),
            max_body_bytes=number("STATS_MAX_BODY", defaults.max_body_bytes, 64),
            max_paths_per_read=number("STATS_MAX_PATHS", defaults.max_paths_per_read, 1),
            host=text("STATS_HOST", defaults.host),
            port=number("STATS_PORT", defaults.port, 1, 65535),
            forwarded_allow_ips=text("STATS_FORWARDED_ALLOW_IPS", defaults.forwarded_allow_ips),
            log_level=log_level,
        )
