"""`python -m stats_service`: uvicorn with the settings privacy depends on.

The access log is off (it would record client addresses), and the client
address is taken from X-Forwarded-For only when the proxy is trusted
(STATS_FORWARDED_ALLOW_IPS, default the local nginx). Every setting is read
and checked before anything starts: a bad value is one line naming the
variable and what it must be, never a traceback.
"""
from __future__ import annotations

import sys

import uvicorn

from .config import ConfigError, Settings


def main() -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 2
    from .app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
