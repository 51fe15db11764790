"""Abuse checks for recorded views: origin, known bots, per-client rate."""
from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect


def same_site(headers, site_origin: str) -> bool:
    """Origin must be the site; without Origin, the Referer must be on the site."""
    origin = headers.get("origin")
    if origin and origin != "null":
        return origin.rstrip("/") == site_origin
    referer = headers.get("referer", "")
    if not referer:
        return False
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}" == site_origin


class _UncachedCrawlerDetect(CrawlerDetect):
    # The library's own cache keeps user-agent strings; ours keeps keyed hashes.
    CACHE_SIZE = 0


class BotFilter:
    """crawlerdetect's maintained list, with a memo that never holds a user agent."""

    MEMO_SIZE = 4096

    def __init__(self) -> None:
        self._detector = _UncachedCrawlerDetect()
        self._key = secrets.token_bytes(16)
        self._memo: dict[bytes, bool] = {}

    def is_bot(self, user_agent: str) -> bool:
        if not user_agent.strip():
            return True  # browsers always send one
        digest = hashlib.blake2b(user_agent.encode("utf-8", "surrogatepass"), key=self._key, digest_size=16).digest()
        known = self._memo.get(digest)
        if known is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            known = self._memo[digest] = self._detector.is_crawler(user_agent)
        return known


class RateLimiter:
    """Token bucket per client, keyed by a keyed hash of its address (memory only)."""

    MAX_CLIENTS = 100_000

    def __init__(self, per_minute: int, burst: int, monotonic=time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._now = monotonic
        self._key = secrets.token_bytes(16)
        self._buckets: dict[bytes, tuple[float, float]] = {}

    def allow(self, client: str) -> bool:
        now = self._now()
        key = hashlib.blake2b(client.encode(), key=self._key, digest_size=12).digest()
        tokens, since = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - since) * self.rate)
        if len(self._buckets) >= self.MAX_CLIENTS:
            self._forget_idle(now)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        return True

    def _forget_idle(self, now: float) -> None:
        # A bucket that would be full again carries no information.
        refill = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}
