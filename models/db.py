"""Engine and session scope. One engine per process, built by the composition root."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, MetaData, Select, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A select of any number of columns or entities (SQLAlchemy 2.1 types them as a tuple).
AnySelect = Select[*tuple[Any, ...]]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


# Connections a process keeps open. A checkout past the pool opens a connection and closes it
# on return, which forks and reaps a PostgreSQL backend per request: under load (16 concurrent
# API requests) a pool of 10 spent more time there than in the queries. Twenty keep well under
# PostgreSQL's default of 100 connections with a few processes.
POOL_SIZE = 20


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", sqlite_pragmas)
        return engine
    # No ping on every checkout (a round trip per transaction, two per accepted mail): a
    # connection that was busy a moment ago is alive. One that sat idle may have outlived a
    # database restart, so it is pinged first (`_ping_if_idle`). A connection that dies in use
    # fails its statement, the caller's transient error path answers (451, a retried job), and
    # SQLAlchemy, seeing a disconnect, replaces every pooled connection older than the failure.
    engine = create_engine(
        url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE, pool_recycle=RECYCLE_SECONDS
    )
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


IDLE_PING_SECONDS = 10.0  # a connection idle longer than this is pinged before use
RECYCLE_SECONDS = 3600  # and any connection is replaced after this long, busy or not
_CHECKED_IN = "casapay.checked_in"


def _note_checkin(dbapi_connection: Any, record: Any) -> None:
    record.info[_CHECKED_IN] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    idle_since = record.info.get(_CHECKED_IN)
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
        return  # new, or in use a moment ago
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT 1")
        dbapi_connection.rollback()  # the ping must leave no transaction open
    except Exception as exc:  # any failure: the pool discards it and connects again
        raise DisconnectionError(f"idle connection is gone: {exc}") from exc
    finally:
        if not dbapi_connection.closed:
            cursor.close()


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API read while the worker writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


SessionFactory = sessionmaker[Session]


def make_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back when it raises."""
    with factory() as session, session.begin():
        yield session
