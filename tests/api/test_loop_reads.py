"""The alias invoice GETs read on the event loop (models.loop_reads): no statement of theirs runs on
a threadpool thread, their connections go back to the loop's pool, and the app closes that pool
when it shuts down."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import literal, select, text

from api.app import create_app
from api.routers import alias_invoices
from models.services import Services
from tests.api.statements import recorded
from tests.api.test_list_queries import seed_alias_invoices
from tests.conftest import Api


def test_alias_invoice_reads_never_wait_on_a_worker_thread(api: Api, services: Services) -> None:
    ids = seed_alias_invoices(api, services, 12)
    with recorded() as statements:
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
    threads = [s.thread for s in statements]
    assert len(threads) == 6
    assert not [name for name in threads if "AnyIO worker" in name], threads
    with recorded() as statements:
        assert api.get("/v1/customers").status_code == 200  # a plain `def` route, for contrast
    assert statements and all("AnyIO worker" in s.thread for s in statements)


def test_the_loop_s_connections_close_when_the_app_stops(services: Services) -> None:
    app = create_app(services)
    reads = app.state.loop_reads
    with TestClient(app) as client:
        assert client.portal.call(reads.rows, select(literal(1)), {}) == [(1,)]
        assert len(reads) == 1  # the client's loop has its engine
    assert len(reads) == 0  # closed with the app: its connections cannot outlive their loop


def test_psycopg_rows_are_what_sqlalchemy_reads(api: Api, services: Services) -> None:
    """The loop reads run SQLAlchemy's compiled statement on psycopg itself: every column comes
    back as SQLAlchemy would give it (no result processor is skipped)."""
    ids = seed_alias_invoices(api, services, 6)
    app = create_app(services)
    owner = {"account_id": api.account_id, "livemode": False}
    statements = [
        (alias_invoices._ONE, {"id": ids[0], **owner}),  # billed: joined with its request
        (alias_invoices._ONE, {"id": ids[1], **owner}),
        (alias_invoices._list_statement(("status",)), {"status": "processed", **owner}),
    ]
    with TestClient(app) as client, services.engine.connect() as conn:
        for stmt, values in statements:
            by_psycopg = client.portal.call(app.state.loop_reads.rows, stmt, values)
            by_sqlalchemy = conn.execute(stmt, values).all()
            assert by_psycopg and [tuple(r) for r in by_psycopg] == [
                tuple(r) for r in by_sqlalchemy
            ]
            assert by_psycopg[0]._fields == tuple(by_sqlalchemy[0]._fields)


def test_a_read_survives_a_database_restart_of_its_pooled_connection(
    api: Api, services: Services
) -> None:
    """A pooled connection the server has dropped (a restart, an idle timeout) costs no error:
    the read runs once more on a new connection."""
    ids = seed_alias_invoices(api, services, 2)
    assert api.get(f"/v1/alias_invoices/{ids[0]}").status_code == 200  # pools a connection
    with services.engine.connect() as conn:
        dropped = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert dropped
    assert api.get(f"/v1/alias_invoices/{ids[0]}").json()["id"] == ids[0]
    assert api.get("/v1/alias_invoices").status_code == 200
