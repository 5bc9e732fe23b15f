"""The SQL statements a block of code sends, through SQLAlchemy or psycopg's async cursor (the
event-loop reads of models.loop_reads run on psycopg directly)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import psycopg
from sqlalchemy import Engine, event


class Statement(NamedTuple):
    sql: str
    params: Any
    thread: str  # the name of the thread that sent it


@contextmanager
def recorded() -> Iterator[list[Statement]]:
    statements: list[Statement] = []

    def record(sql: Any, params: Any) -> None:
        statements.append(Statement(str(sql), params, threading.current_thread().name))

    def on_engine(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        record(sql, params)

    execute = psycopg.AsyncCursor.execute

    async def observed(self: Any, query: Any, params: Any = None, **kw: Any) -> Any:
        record(query, params)  # observed only: the real method runs
        return await execute(self, query, params, **kw)

    event.listen(Engine, "before_cursor_execute", on_engine)
    psycopg.AsyncCursor.execute = observed  # type: ignore[method-assign]
    try:
        yield statements
    finally:
        psycopg.AsyncCursor.execute = execute  # type: ignore[method-assign]
        event.remove(Engine, "before_cursor_execute", on_engine)
