"""Reads that run on the event loop: the busiest GETs query the database without a thread.

A plain `def` route runs on the threadpool, and under load its worker threads and the event loop
take turns at the GIL: a request waits behind whichever thread holds it, so the slowest 1 % wait
several times longer than the median (measured: p99 55 ms against 11 ms for the same constant
endpoint written `async def`, 16 connections). A route that awaits its one statement here keeps
the request on the loop, served in arrival order.

An asyncio connection belongs to the loop that opened it, so there is one engine per loop: a
server has one loop, a test client one per `with` block. The app disposes of its loop's engine
when it shuts down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import make_read_engine


class LoopReads:
    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._engines: WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncEngine] = (
            WeakKeyDictionary()
        )

    def _engine(self) -> AsyncEngine:
        loop = asyncio.get_running_loop()
        engine = self._engines.get(loop)
        if engine is None:
            engine = self._engines[loop] = make_read_engine(self._url)
        return engine

    async def rows(self, stmt: Executable, values: Mapping[str, Any]) -> Sequence[Row[Any]]:
        """Every row of one statement."""
        async with self._engine().connect() as conn:
            return (await conn.execute(stmt, dict(values))).all()

    def __len__(self) -> int:
        """How many loops hold an engine."""
        return len(self._engines)

    async def close(self) -> None:
        """Close this loop's connections (at shutdown: they cannot outlive their loop)."""
        engine = self._engines.pop(asyncio.get_running_loop(), None)
        if engine is not None:
            await engine.dispose()
