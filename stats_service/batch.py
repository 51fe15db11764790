"""Group commit: views that arrive together are written in one go.

Under load many requests wait on the store at the same moment; writing them
in one transaction (SQLite) or one pipeline (Redis) costs little more than
writing one. Each request still answers only after its view is stored.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Awaitable, Callable

from .store import View

WriteMany = Callable[[list[View], datetime], Awaitable[list[bool]]]


class WriteBatcher:
    MAX_BATCH = 256

    def __init__(self, write_many: WriteMany) -> None:
        self._write_many = write_many
        self._pending: list[tuple[View, datetime, asyncio.Future]] = []
        self._task: asyncio.Task | None = None

    async def record(self, view: View, online_since: datetime) -> bool:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((view, online_since, future))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            await asyncio.sleep(0)  # requests already being handled join this batch
            while self._pending:
                batch = self._pending[: self.MAX_BATCH]
                del self._pending[: self.MAX_BATCH]
                try:
                    results = await self._write_many([v for v, _, _ in batch], max(s for _, s, _ in batch))
                    if len(results) != len(batch):
                        raise RuntimeError(f"store answered {len(results)} of {len(batch)} views")
                except Exception as exc:  # noqa: BLE001 - handed to every waiting request
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for (_, _, future), new in zip(batch, results):
                        if not future.done():
                            future.set_result(new)
        finally:
            self._task = None
