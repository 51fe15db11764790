"""`python -m stats_service`: uvicorn with the settings privacy depends on.

The access log is off (it would record client addresses), and the client
address is taken from X-Forwarded-For only when the proxy is trusted
(STATS_FORWARDED_ALLOW_IPS, default the local nginx).
"""
from __future__ import annotations

import os

import uvicorn


def main() -> None:
    uvicorn.run(
        "stats_service.app:create_app",
        factory=True,
        host=os.environ.get("STATS_HOST", "127.0.0.1"),
        port=int(os.environ.get("STATS_PORT", "8100")),
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("STATS_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        log_level=os.environ.get("STATS_LOG_LEVEL", "info"),
    )


if __name__ == "__main__":
    main()
