"""The alias invoice GETs read on the event loop (api.loop_reads): no statement of theirs runs on
a threadpool thread, their connections go back to the loop's pool, and the app closes that pool
when it shuts down."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from api.app import create_app
from models.services import Services
from tests.api.test_list_queries import seed_alias_invoices
from tests.conftest import Api


@contextmanager
def statement_threads() -> Iterator[list[str]]:
    """The name of the thread each statement of any engine ran on."""
    names: list[str] = []

    def record(*_: Any) -> None:
        names.append(threading.current_thread().name)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield names
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_alias_invoice_reads_never_wait_on_a_worker_thread(api: Api, services: Services) -> None:
    ids = seed_alias_invoices(api, services, 12)
    with statement_threads() as threads:
        replies = [
            api.get(f"/v1/alias_invoices/{ids[3]}"),
            api.get("/v1/alias_invoices", params={"status": "failed", "limit": 3}),
            api.get("/v1/alias_invoices", params={"starting_after": ids[6]}),
            api.get("/v1/alias_invoices/ainv_missing"),
            api.get("/v1/alias_invoices", params={"starting_after": "ainv_missing"}),
        ]
    assert [r.status_code for r in replies] == [200, 200, 200, 404, 400]
    assert replies[0].json()["id"] == ids[3]
    assert [a["status"] for a in replies[1].json()["data"]] == ["failed"] * 3
    # One statement per page; the missing cursor costs its check. None on a worker thread
    # (AnyIO names those), so a slow query never holds a thread the other requests wait for.
    assert len(threads) == 6
    assert not [name for name in threads if "AnyIO worker" in name], threads
    with statement_threads() as threads:
        assert api.get("/v1/customers").status_code == 200  # a plain `def` route, for contrast
    assert threads and all("AnyIO worker" in name for name in threads)


def test_the_loop_s_connections_close_when_the_app_stops(services: Services) -> None:
    app = create_app(services)
    reads = app.state.loop_reads
    with TestClient(app) as client:
        assert client.portal.call(reads.rows, text("SELECT 1"), {}) == [(1,)]
        assert len(reads) == 1  # the client's loop has its engine
    assert len(reads) == 0  # closed with the app: its connections cannot outlive their loop
