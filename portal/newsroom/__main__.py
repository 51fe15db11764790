"""`python -m portal.newsroom` (make newsroom): uvicorn on 127.0.0.1:8200 by default.

NEWSROOM_PORT, NEWSROOM_HOST, NEWSROOM_DATA, NEWSROOM_CONTENT, NEWSROOM_SETTINGS,
NEWSROOM_BUILD_SETTINGS, NEWSROOM_DEPLOY, NEWSROOM_PREFIX: see docs/deploy.md.
The client address (for login throttling) comes from X-Forwarded-For only
when the proxy is trusted (NEWSROOM_FORWARDED_ALLOW_IPS, default the local nginx).
"""
from __future__ import annotations

import os
import sys

import uvicorn

from .config import ConfigError


def main() -> int:
    from .app import create_app

    try:
        app = create_app()
    except ConfigError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 2
    host = os.environ.get("NEWSROOM_HOST", "127.0.0.1")
    port = int(os.environ.get("NEWSROOM_PORT", "8200"))
    print(f"Phòng biên tập: http://{host}:{port}{app.state.prefix}/", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, proxy_headers=True,
                forwarded_allow_ips=os.environ.get("NEWSROOM_FORWARDED_ALLOW_IPS", "127.0.0.1"),
                log_level=os.environ.get("NEWSROOM_LOG_LEVEL", "info"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
