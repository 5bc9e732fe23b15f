"""Lists hold at scale: a page is a constant number of statements, and PostgreSQL answers the
filtered list and a deep cursor from an index (no sequential scan), whatever the page size."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from models.db import transaction
from models.services import Services
from tests.api.statements import recorded
from tests.conftest import Api

ALIAS = "alias_q1"


def seed_alias_invoices(api: Api, services: Services, count: int) -> list[str]:
    """`count` alias invoices of one alias, every other one billed with a payment request."""
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()["id"]
    alias = api.post("/v1/email_aliases", json={"customer": cus}).json()
    now = services.clock()
    ids = [f"ainv_q{n:05d}" for n in range(count)]
    with transaction(services.sessions) as session:
        session.execute(
            text(
                "INSERT INTO inbound_messages (id, sha256, raw_blob_key, mail_from, size, "
                "pdf_count, received_at) VALUES ('msg_q', :sha, 'm.eml', 'l@example.com', 1, 1, :t)"
            ),
            {"sha": "q" * 64, "t": now},
        )
        for n, ainv in enumerate(ids):
            billed = n % 2 == 0
            if billed:
                session.execute(
                    text(
                        "INSERT INTO invoices (id, account_id, livemode, customer_id, status, "
                        "currency, tax_rates, subtotal, tax, total, amount_due, amount_paid, "
                        "amount_remaining, printed_tax_inclusive, prepaid_amount, rounding_amount, "
                        "paid_out_of_band, metadata, created) VALUES (:id, :a, false, :c, 'open', "
                        "'eur', '[]', 5, 0, 5, 5, 0, 5, false, 0, 0, false, '{}', :t)"
                    ),
                    {"id": f"inv_q{n}", "a": api.account_id, "c": cus, "t": now},
                )
                session.execute(
                    text(
                        "INSERT INTO payment_requests (id, account_id, livemode, invoice_id, "
                        "customer_id, amount, currency, status, sent_via, created) VALUES (:id, "
                        ":a, false, :inv, :c, 5, 'eur', 'sent', '[\"email\"]', :t)"
                    ),
                    {"id": f"pr_q{n}", "a": api.account_id, "inv": f"inv_q{n}", "c": cus, "t": now},
                )
            session.execute(
                text(
                    "INSERT INTO alias_invoices (id, account_id, livemode, email_alias_id, "
                    "alias_email, customer_id, inbound_message_id, attachment_index, status, "
                    "payment_request_id, metadata, attempts, stage_attempts, received_at, created) "
                    "VALUES (:id, :a, false, :alias, :email, :c, 'msg_q', :n, :status, :pr, '{}', "
                    "1, 0, :t, :t)"
                ),
                {
                    "id": ainv,
                    "a": api.account_id,
                    "alias": alias["id"],
                    "email": alias["email"],
                    "c": cus,
                    "n": n,
                    "status": "processed" if billed else "failed",
                    "pr": f"pr_q{n}" if billed else None,
                    "t": now + n // 3,  # ties on received_at: the id breaks them
                },
            )
    return ids


def test_an_alias_invoice_page_is_one_statement_whatever_its_size(
    api: Api, services: Services
) -> None:
    ids = seed_alias_invoices(api, services, 120)
    for limit in (10, 100):
        with recorded() as statements:
            page = api.get("/v1/alias_invoices", params={"limit": limit})
        assert page.status_code == 200
        data = page.json()["data"]
        assert len(data) == limit and sum(1 for a in data if a["payment_request"]) == limit // 2
        # The page joined with its payment requests (the key was looked up by an earlier call).
        assert len(statements) == 1, [s.sql for s in statements]
    with recorded() as statements:
        deep = api.get("/v1/alias_invoices", params={"starting_after": ids[5], "limit": 100})
    assert [a["id"] for a in deep.json()["data"]] == list(reversed(ids[:5]))
    assert len(statements) == 1  # the cursor's position is a subquery of the same statement


def test_pages_walk_ties_in_received_at_by_id_both_ways(api: Api, services: Services) -> None:
    ids = seed_alias_invoices(api, services, 30)
    newest_first = list(reversed(ids))
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 7, **({"starting_after": cursor} if cursor else {})}
        page = api.get("/v1/alias_invoices", params=params).json()
        seen += [a["id"] for a in page["data"]]
        if not page["has_more"]:
            break
        cursor = seen[-1]
    assert seen == newest_first
    back = api.get("/v1/alias_invoices", params={"ending_before": ids[10], "limit": 3}).json()
    assert [a["id"] for a in back["data"]] == [ids[13], ids[12], ids[11]]
    missing = api.get("/v1/alias_invoices", params={"starting_after": "ainv_nope"})
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "starting_after"


def test_an_invoice_page_loads_its_items_in_one_more_statement(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()["id"]
    line = {"description": "Rent", "amount": 1000, "currency": "eur"}
    for _ in range(12):
        api.post("/v1/invoices", json={"customer": cus, "line_items": [line, line]})
    with recorded() as statements:
        page = api.get("/v1/invoices", params={"limit": 12}).json()
    assert all(len(inv["line_items"]) == 2 for inv in page["data"])
    assert len(statements) == 2, [s.sql for s in statements]


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"email_alias": "{alias}"}, "ix_alias_invoices_alias_received"),
        (
            {"email_alias": "{alias}", "starting_after": "{deep}"},
            "ix_alias_invoices_alias_received",
        ),
        ({"tenant": "{tenant}"}, "ix_alias_invoices_tenant_received"),
        ({"status": "failed", "starting_after": "{deep}"}, "ix_alias_invoices_status_received"),
        ({"starting_after": "{deep}"}, "ix_alias_invoices_account_received"),
    ],
)
def test_postgresql_answers_filtered_lists_and_deep_cursors_from_an_index(
    api: Api, services: Services, params: dict[str, str], index: str
) -> None:
    ids = seed_alias_invoices(api, services, 40)
    alias = api.get("/v1/email_aliases").json()["data"][0]
    values = {"alias": alias["id"], "tenant": alias["customer"], "deep": ids[3]}
    query = {k: v.format(**values) for k, v in params.items()}
    with recorded() as statements:
        assert api.get("/v1/alias_invoices", params=query).status_code == 200
    page_sql, page_params, _ = statements[-1]
    assert "alias_invoices" in page_sql
    with services.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE alias_invoices")
        # With sequential scans priced out, a plan still scanning the table would mean that no
        # index can answer this condition (as with `received_at < v OR (…)`).
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + page_sql, page_params))
    assert "Seq Scan on alias_invoices" not in plan, plan
    assert index in plan, plan
    assert "Sort" not in plan.split(index)[0].split("\n")[-1], plan  # the index gives the order
    if "starting_after" in query:  # the cursor is a condition of the index scan, not a filter
        condition = plan.split(index)[1].split("Index Cond:")[1].split("\n")[0]
        assert "ROW(received_at, (id)::text) <" in condition, plan
