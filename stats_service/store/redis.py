"""Redis backend: for several service instances behind a load balancer.

Keys (prefix "stats:" by default): ``seen:{day}`` a set of visitor|path per
day (expires after 48 h), ``day:{day}`` and ``total`` INCR counters, ``paths`` a hash of
views per path, ``online`` a sorted set visitor -> last seen, ``pathday:{day}`` a hash of
views per path that day (expires after 40 days), ``salt:{day}`` (expires after 48 h). A view is recorded by one Lua script, so it is counted
atomically: never half-applied, never twice; a batch of views goes in one pipeline.
"""
from __future__ import annotations

from datetime import date, datetime

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ..periods import days
from ..privacy import SALT_LIFETIME_SECONDS, new_salt
from . import Raw, StoreUnavailable, View

# Views per path and day feed "Đọc nhiều" (up to 30 days back); kept a little longer.
PATH_DAYS_LIFETIME_SECONDS = 40 * 86400

RECORD = """
local new = redis.call('SADD', KEYS[1], ARGV[1])
if new == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  redis.call('INCR', KEYS[2])
  redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
  redis.call('INCR', KEYS[5])
  redis.call('HINCRBY', KEYS[6], ARGV[2], 1)
  redis.call('EXPIRE', KEYS[6], ARGV[7])
end
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[4])
return new
"""


class RedisStore:
    def __init__(self, url: str, prefix: str = "stats:", timeout: float = 1.0) -> None:
        self.prefix = prefix
        self._client = aioredis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry_on_timeout=False
        )
        self._record = self._client.register_script(RECORD)

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def _call(self, operation):
        try:
            return await operation
        except (RedisError, OSError) as exc:
            raise StoreUnavailable(str(exc) or type(exc).__name__) from exc

    async def open(self) -> None:
        pass  # connections are made on first use and remade after an outage

    async def close(self) -> None:
        await self._client.aclose()

    async def ping(self) -> None:
        await self._call(self._client.ping())

    async def salt(self, day: date, now: datetime) -> bytes:
        key = self._key("salt", day.isoformat())
        await self._call(self._client.set(key, new_salt(), nx=True, ex=SALT_LIFETIME_SECONDS))
        return await self._call(self._client.get(key))

    async def record_many(self, views: list[View], online_since: datetime) -> list[bool]:
        pipe = self._client.pipeline(transaction=False)
        for view in views:
            keys = [
                self._key("seen", view.day.isoformat()),
                self._key("day", view.day.isoformat()),
                self._key("paths"),
                self._key("online"),
                self._key("total"),
                self._key("pathday", view.day.isoformat()),
            ]
            args = [f"{view.visitor}|{view.path}", view.path, view.at.timestamp(), online_since.timestamp(),
                    SALT_LIFETIME_SECONDS, view.visitor, PATH_DAYS_LIFETIME_SECONDS]
            await self._record(keys=keys, args=args, client=pipe)  # queued, sent by execute()
        return [answer == 1 for answer in await self._call(pipe.execute())]

    async def site(self, today, week, month, online_since) -> Raw:
        span = days(min(week[0], month[0]), max(week[1], month[1]))
        pipe = self._client.pipeline(transaction=False)
        pipe.zcount(self._key("online"), online_since.timestamp(), "+inf")
        pipe.mget([self._key("day", d.isoformat()) for d in span])
        pipe.get(self._key("total"))
        online, counts, total = await self._call(pipe.execute())
        per_day = {d: int(c or 0) for d, c in zip(span, counts)}

        def between(first: date, last: date) -> int:
            return sum(v for d, v in per_day.items() if first <= d <= last)

        return Raw(online, per_day[today], between(*week), between(*month), int(total or 0))

    async def path_views(self, paths: list[str]) -> dict[str, int]:
        values = await self._call(self._client.hmget(self._key("paths"), paths))
        return {p: int(v or 0) for p, v in zip(paths, values)}

    async def all_path_views(self) -> dict[str, int]:
        found = await self._call(self._client.hgetall(self._key("paths")))
        return {k.decode(): int(v) for k, v in sorted(found.items())}

    async def views_between(self, first: date, last: date) -> dict[str, int]:
        pipe = self._client.pipeline(transaction=False)
        for day in days(first, last):
            pipe.hgetall(self._key("pathday", day.isoformat()))
        totals: dict[str, int] = {}
        for found in await self._call(pipe.execute()):
            for path, views in found.items():
                key = path.decode()
                totals[key] = totals.get(key, 0) + int(views)
        return totals
