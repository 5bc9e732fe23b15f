"""The review queue through the API: list, retrieve, approve (with corrections), reject."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models.alias_invoices import AliasInvoice
from models.invoices import Invoice
from models.payments import Notification, PaymentRequest
from models.queue import NOTIFY
from models.services import Services
from tests.conftest import Api, FakeClock, new_account
from tests.review.factory import make_review_item


def _alias(services: Services, alias_id: str) -> AliasInvoice:
    with services.sessions() as session:
        row = session.get(AliasInvoice, alias_id)
        assert row is not None
        return row


def test_pending_items_are_listed_oldest_first_with_cursors(
    api: Api, services: Services, clock: FakeClock
) -> None:
    made = []
    for _ in range(3):
        made.append(make_review_item(services, api.account_id))
        clock.advance(60)
    page = api.get("/v1/review_items", params={"limit": 2}).json()
    assert page["object"] == "list" and page["url"] == "/v1/review_items"
    assert [i["id"] for i in page["data"]] == [made[0].item_id, made[1].item_id]
    assert page["has_more"] is True
    rest = api.get("/v1/review_items", params={"starting_after": made[1].item_id}).json()
    assert [i["id"] for i in rest["data"]] == [made[2].item_id] and not rest["has_more"]
    back = api.get("/v1/review_items", params={"ending_before": made[2].item_id}).json()
    assert [i["id"] for i in back["data"]] == [made[0].item_id, made[1].item_id]


def test_status_filter(api: Api, services: Services) -> None:
    first = make_review_item(services, api.account_id)
    second = make_review_item(services, api.account_id)
    api.post(f"/v1/review_items/{first.item_id}/reject", json={"reason": "Not an invoice"})
    pending = api.get("/v1/review_items", params={"status": "pending"}).json()["data"]
    rejected = api.get("/v1/review_items", params={"status": "rejected"}).json()["data"]
    assert [i["id"] for i in pending] == [second.item_id]
    assert [i["id"] for i in rejected] == [first.item_id]
    bad = api.get("/v1/review_items", params={"status": "maybe"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "status"


def test_retrieve_shows_reasons_data_and_evidence(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    item = api.get(f"/v1/review_items/{made.item_id}").json()
    assert item["object"] == "review_item" and item["status"] == "pending"
    assert item["alias_invoice"] == made.alias_invoice_id and item["tenant"] == made.customer_id
    assert item["reasons"][0] == {
        "code": "low_confidence",
        "message": "Total amount read with confidence 0.42",
        "field": "total_amount",
    }
    assert item["extracted_data"]["total_amount"] == 125000
    evidence = item["fields"]["total_amount"]
    assert evidence["confidence"] == 0.42 and evidence["page"] == 1 and len(evidence["bbox"]) == 4
    assert item["reviewer"] is None and item["decided_at"] is None and item["corrections"] is None


def test_items_are_scoped_to_the_keys_account_and_mode(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    _, other_key, _ = new_account(services, "Other")
    assert api.get(f"/v1/review_items/{made.item_id}", key=other_key).status_code == 404
    assert api.get(f"/v1/review_items/{made.item_id}", key=api.live_key).status_code == 404
    assert api.get("/v1/review_items", key=other_key).json()["data"] == []
    r = api.post(f"/v1/review_items/{made.item_id}/approve", key=other_key)
    assert r.status_code == 404 and r.json()["error"]["code"] == "resource_missing"


@pytest.fixture
def notify_queue(services: Services) -> Any:
    broker = services.queue.broker
    broker.declare_queue(NOTIFY)
    return broker.queues[NOTIFY]  # type: ignore[attr-defined]


def test_approve_without_corrections_bills_the_extracted_data(
    api: Api, services: Services, clock: FakeClock, notify_queue: Any
) -> None:
    made = make_review_item(services, api.account_id)
    r = api.post(f"/v1/review_items/{made.item_id}/approve")
    assert r.status_code == 200, r.text
    item = r.json()
    assert item["status"] == "approved" and item["decided_at"] == clock.now
    assert item["reviewer"].startswith("api_key:key_") and item["corrections"] == {}
    alias = api.get(f"/v1/alias_invoices/{made.alias_invoice_id}").json()
    assert alias["status"] == "processed" and alias["processed_at"] == clock.now
    assert alias["payment_request"]["id"] == item["payment_request"]
    assert alias["payment_request"]["amount"] == 125000
    assert alias["extracted_data"]["total_amount"] == 125000
    # The tenant is told, through the outbox, after commit.
    with services.sessions() as session:
        notes = session.scalars(select(Notification)).all()
        assert {n.channel for n in notes} == {"email", "wallet"}
    email = next(n for n in notes if n.channel == "email")
    assert notify_queue.qsize() == 1
    assert notify_queue.get_nowait().decode().count(email.id) == 1


def test_approve_with_corrections_bills_the_corrected_values_and_keeps_them(
    api: Api, services: Services
) -> None:
    made = make_review_item(services, api.account_id, total=999)
    corrections = {
        "total_amount": 131000,
        "currency": "EUR",
        "due_date": "2026-02-15",
        "reference": "INV-2026-001-B",
        "tax_amount": 6000,
        "line_items": [
            {"description": "Monthly rent - Unit 4B", "amount": 120000},
            {"description": "Parking space", "amount": 5000},
        ],
        "reviewer": "ops:maria@casapay.me",
    }
    r = api.post(f"/v1/review_items/{made.item_id}/approve", json=corrections)
    assert r.status_code == 200, r.text
    item = r.json()
    assert item["reviewer"] == "ops:maria@casapay.me"
    assert item["corrections"] == {
        "total_amount": {"from": 999, "to": 131000},
        "due_date": {"from": "2026-02-01", "to": "2026-02-15"},
        "reference": {"from": "INV-2026-001", "to": "INV-2026-001-B"},
        "tax_amount": {"from": 0, "to": 6000},
    }  # currency "EUR" normalises to the extracted "eur"; unchanged lines are not corrections
    trail = [(e["type"], e["field"], e["from"], e["to"]) for e in item["audit_trail"]]
    assert ("field_corrected", "total_amount", 999, 131000) in trail
    assert trail[-1][0] == "approved"
    assert all(e["via"].startswith("api_key:") for e in item["audit_trail"])
    with services.sessions() as session:
        pr = session.get(PaymentRequest, item["payment_request"])
        assert pr is not None and pr.amount == 131000 and pr.currency == "eur"
        invoice = session.get(Invoice, pr.invoice_id)
        assert invoice is not None and invoice.due_date is not None
    alias = _alias(services, made.alias_invoice_id)
    assert alias.extracted_data is not None
    assert alias.extracted_data["reference"] == "INV-2026-001-B"
    # Corrections are kept on the item, so accuracy can be measured later.
    again = api.get(f"/v1/review_items/{made.item_id}").json()
    assert again["corrections"]["total_amount"] == {"from": 999, "to": 131000}
    assert again["extracted_data"]["total_amount"] == 999  # what the extractor said


def test_approve_accepts_form_encoded_corrections(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    r = api.post(
        f"/v1/review_items/{made.item_id}/approve",
        data={
            "total_amount": "126000",
            "line_items[0][description]": "Rent",
            "line_items[0][amount]": "126000",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["corrections"]["total_amount"]["to"] == 126000


def test_invalid_corrections_are_rejected_and_nothing_changes(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    cases = [
        ({"total_amount": -1}, "total_amount"),
        ({"total_amount": 12.5}, "total_amount"),
        ({"total_amount": True}, "total_amount"),
        ({"total_amount": "12"}, "total_amount"),  # JSON is strict: a string is not an int
        ({"currency": "EURO"}, "currency"),
        ({"currency": "xyz"}, "currency"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": "01.02.2026"}, "due_date"),
        ({"tax_amount": -5}, "tax_amount"),
        ({"line_items": [{"description": "Rent"}]}, "line_items[0][amount]"),
        ({"line_items": [{"description": "", "amount": 5}]}, "line_items[0][description]"),
        ({"confidence_score": 1}, "confidence_score"),
    ]
    for body, param in cases:
        r = api.post(f"/v1/review_items/{made.item_id}/approve", json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["error"]["param"] == param, (body, r.json())
    assert api.get(f"/v1/review_items/{made.item_id}").json()["status"] == "pending"
    assert _alias(services, made.alias_invoice_id).status == "requires_review"


def test_approving_needs_an_amount_and_currency(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    with services.sessions.begin() as session:
        from models.alias_invoices import Extraction

        extraction = session.get(Extraction, made.extraction_id)
        assert extraction is not None
        extraction.result = {**extraction.result, "total_amount": None}
    r = api.post(f"/v1/review_items/{made.item_id}/approve")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parameter_missing"
    assert r.json()["error"]["param"] == "total_amount"
    ok = api.post(f"/v1/review_items/{made.item_id}/approve", json={"total_amount": 125000})
    assert ok.status_code == 200, ok.text


def test_reject_fails_the_alias_invoice_with_rejected_in_review(
    api: Api, services: Services, clock: FakeClock
) -> None:
    made = make_review_item(services, api.account_id)
    missing = api.post(f"/v1/review_items/{made.item_id}/reject")
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "reason"
    r = api.post(f"/v1/review_items/{made.item_id}/reject", data={"reason": "Duplicate of May"})
    assert r.status_code == 200, r.text
    item = r.json()
    assert item["status"] == "rejected" and item["rejection_reason"] == "Duplicate of May"
    assert item["decided_at"] == clock.now and item["audit_trail"][-1]["type"] == "rejected"
    alias = api.get(f"/v1/alias_invoices/{made.alias_invoice_id}").json()
    assert alias["status"] == "failed" and alias["payment_request"] is None
    assert alias["error"]["code"] == "rejected_in_review"
    assert "Duplicate of May" in alias["error"]["message"]
    with services.sessions() as session:
        assert session.scalars(select(Invoice)).all() == []


def test_deciding_a_decided_item_is_a_400_naming_its_status(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    assert api.post(f"/v1/review_items/{made.item_id}/approve").status_code == 200
    for action, body in (("approve", {}), ("reject", {"reason": "x"})):
        r = api.post(f"/v1/review_items/{made.item_id}/{action}", json=body)
        assert r.status_code == 400
        error = r.json()["error"]
        assert error["code"] == "status_transition_invalid"
        assert "already approved" in error["message"]
    with services.sessions() as session:
        assert len(session.scalars(select(PaymentRequest)).all()) == 1


def test_unknown_item_is_404(api: Api) -> None:
    r = api.get("/v1/review_items/rev_nope")
    assert (
        r.status_code == 404 and r.json()["error"]["message"] == "No such review_item: 'rev_nope'"
    )


def test_alias_invoice_no_longer_in_review_is_a_conflict(api: Api, services: Services) -> None:
    made = make_review_item(services, api.account_id)
    with services.sessions.begin() as session:
        row = session.get(AliasInvoice, made.alias_invoice_id)
        assert row is not None
        row.status = "failed"
    r = api.post(f"/v1/review_items/{made.item_id}/approve")
    assert r.status_code == 409 and r.json()["error"]["code"] == "alias_invoice_not_in_review"
    # The whole decision rolled back: the item is still waiting.
    assert api.get(f"/v1/review_items/{made.item_id}").json()["status"] == "pending"
