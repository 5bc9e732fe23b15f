"""The PostgreSQL engine's pool: no ping per checkout, yet a dead idle connection is replaced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from models import db


def kill(url: str, pid: int) -> bool:
    """What a database restart does to one pooled connection: the server side is gone."""
    admin = create_engine(url, poolclass=NullPool)
    with admin.connect() as conn:
        killed = conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    return bool(killed)


def backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT pg_backend_pid()")) or 0)


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    built = db.make_engine(pg_url)
    yield built
    built.dispose()


def test_a_busy_connection_is_reused_without_a_ping(engine: Engine) -> None:
    first = backend_pid(engine)
    assert backend_pid(engine) == first  # the same server connection, checked out again


def test_a_connection_idle_past_the_threshold_is_pinged_and_replaced_when_dead(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    first = backend_pid(engine)
    assert kill(pg_url, first)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every pooled connection counts as idle
    assert backend_pid(engine) != first  # no error: the ping found it dead, the pool reconnected


def test_a_connection_that_died_in_use_fails_once_then_the_pool_reconnects(
    engine: Engine, pg_url: str
) -> None:
    assert kill(pg_url, backend_pid(engine))
    with pytest.raises(OperationalError):
        backend_pid(engine)  # not pinged (in use a moment ago): the caller's transient error
    assert backend_pid(engine) > 0  # the same pool, a new server connection
