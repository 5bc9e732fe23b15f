"""Invoices through HTTP: create, read, edit drafts, delete, list, and every state change."""

from __future__ import annotations

from typing import Any

import pytest

from models.services import Services
from tests.conftest import Api


def customer(api: Api, **kw: Any) -> str:
    body = {"name": "Jane Doe", "email": "jane@example.com", **kw}
    r = api.post("/v1/customers", json=body)
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def invoice(api: Api, cus: str | None = None, **kw: Any) -> dict[str, Any]:
    body = {
        "customer": cus or customer(api),
        "due_date": 1_767_830_400,
        "line_items": [
            {"description": "Monthly rent — Unit 4B", "amount": 120000, "currency": "eur"},
            {"description": "Parking space", "amount": 5000, "currency": "eur"},
        ],
        **kw,
    }
    r = api.post("/v1/invoices", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


def act(api: Api, inv_id: str, action: str, **kw: Any) -> Any:
    return api.post(f"/v1/invoices/{inv_id}/{action}", **kw)


def test_create_invoice_as_in_the_seed(api: Api) -> None:
    inv = invoice(api, metadata={"lease_id": "lease_789", "period": "2025-02"})
    assert inv["id"].startswith("inv_") and inv["object"] == "invoice"
    assert inv["status"] == "draft" and inv["currency"] == "eur"
    assert (inv["subtotal"], inv["tax"], inv["total"]) == (125000, 0, 125000)
    assert (inv["amount_due"], inv["amount_paid"], inv["amount_remaining"]) == (125000, 0, 125000)
    assert [li["amount"] for li in inv["line_items"]] == [120000, 5000]
    assert all(li["id"].startswith("ii_") and li["quantity"] == 1 for li in inv["line_items"])
    assert inv["metadata"] == {"lease_id": "lease_789", "period": "2025-02"}
    assert inv["pdf_url"] is None and inv["hosted_invoice_url"] is None
    assert inv["finalized_at"] is None and inv["paid_at"] is None and inv["livemode"] is False
    expected = {
        "id",
        "object",
        "customer",
        "status",
        "amount_due",
        "amount_paid",
        "amount_remaining",
        "currency",
        "due_date",
        "line_items",
        "subtotal",
        "tax",
        "total",
        "description",
        "pdf_url",
        "hosted_invoice_url",
        "payment_intent",
        "metadata",
        "finalized_at",
        "paid_at",
        "created",
        "livemode",
    }
    assert expected <= set(inv)


def test_create_with_form_body_in_bracket_notation(api: Api) -> None:
    cus = customer(api)
    r = api.post(
        "/v1/invoices",
        data={
            "customer": cus,
            "line_items[0][description]": "Rent",
            "line_items[0][amount]": "1000",
            "line_items[0][currency]": "EUR",
            "line_items[0][quantity]": "3",
            "metadata[lease]": "L-9",
            "expand[0]": "customer",
        },
    )
    assert r.status_code == 200, r.text
    inv = r.json()
    assert inv["line_items"][0]["unit_amount"] == 1000 and inv["line_items"][0]["amount"] == 3000
    assert inv["total"] == 3000 and inv["currency"] == "eur"
    assert inv["customer"]["id"] == cus and inv["customer"]["object"] == "customer"


def test_customer_is_required_and_must_exist(api: Api) -> None:
    r = api.post("/v1/invoices", json={})
    assert r.status_code == 400 and r.json()["error"]["code"] == "parameter_missing"
    assert r.json()["error"]["param"] == "customer"
    r = api.post("/v1/invoices", json={"customer": "cus_nope"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "resource_missing"
    assert r.json()["error"]["param"] == "customer"


def test_one_currency_per_invoice(api: Api) -> None:
    r = api.post(
        "/v1/invoices",
        json={
            "customer": customer(api),
            "line_items": [
                {"description": "Rent", "amount": 100, "currency": "eur"},
                {"description": "Fee", "amount": 100, "currency": "usd"},
            ],
        },
    )
    assert r.status_code == 400
    assert r.json()["error"]["param"] == "line_items[1][currency]"


def test_strict_types_and_unknown_parameters(api: Api) -> None:
    cus = customer(api)
    line = {"description": "Rent", "amount": False, "currency": "eur"}
    r = api.post("/v1/invoices", json={"customer": cus, "line_items": [line]})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parameter_invalid_integer"
    assert r.json()["error"]["param"] == "line_items[0][amount]"
    r = api.post("/v1/invoices", json={"customer": cus, "colour": "red"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "parameter_unknown"


def test_retrieve_update_and_metadata_rules(api: Api) -> None:
    inv = invoice(api, metadata={"a": "1", "b": "2"})
    r = api.post(
        f"/v1/invoices/{inv['id']}",
        data={"due_date": "1769904000", "description": "February", "metadata[a]": ""},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["due_date"] == 1769904000 and body["description"] == "February"
    assert body["metadata"] == {"b": "2"}
    got = api.get(f"/v1/invoices/{inv['id']}").json()
    assert got == body
    too_many = {f"k{i}": "v" for i in range(51)}
    r = api.post(f"/v1/invoices/{inv['id']}", json={"metadata": too_many})
    assert r.status_code == 400 and r.json()["error"]["param"] == "metadata"
    r = api.post(f"/v1/invoices/{inv['id']}", json={"metadata": {"k" * 41: "v"}})
    assert r.status_code == 400
    r = api.post(f"/v1/invoices/{inv['id']}", json={"metadata": {"k": "v" * 501}})
    assert r.status_code == 400
    assert api.get("/v1/invoices/inv_missing").json()["error"]["code"] == "resource_missing"


def test_update_and_delete_only_drafts(api: Api) -> None:
    inv = invoice(api)
    assert act(api, inv["id"], "finalize").status_code == 200
    r = api.post(f"/v1/invoices/{inv['id']}", json={"description": "late"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invoice_not_editable"
    r = api.delete(f"/v1/invoices/{inv['id']}")
    assert r.status_code == 400 and r.json()["error"]["code"] == "status_transition_invalid"
    draft = invoice(api)
    r = api.delete(f"/v1/invoices/{draft['id']}")
    assert r.status_code == 200
    assert r.json() == {"id": draft["id"], "object": "invoice", "deleted": True}
    assert api.get(f"/v1/invoices/{draft['id']}").status_code == 404


def test_finalize_sets_urls_and_locks(api: Api, services: Services) -> None:
    inv = invoice(api)
    services.clock.advance(60)  # type: ignore[attr-defined]
    r = act(api, inv["id"], "finalize")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "open" and body["finalized_at"] == services.clock()
    assert body["hosted_invoice_url"] == f"http://testserver/i/{inv['id']}"
    assert body["pdf_url"] == f"http://testserver/i/{inv['id']}/pdf"


@pytest.mark.parametrize(
    ("path", "action", "allowed"),
    [
        (["finalize"], "finalize", "draft"),
        ([], "void", "open, uncollectible"),
        ([], "mark_uncollectible", "open"),
        ([], "pay", "open, uncollectible"),
        ([], "send", "open"),
        (["finalize", "void"], "pay", "open, uncollectible"),
        (["finalize", "void"], "void", "open, uncollectible"),
        (["finalize", "void"], "mark_uncollectible", "open"),
        (["finalize", "void"], "finalize", "draft"),
        (["finalize", "void"], "send", "open"),
        (["finalize", "pay"], "void", "open, uncollectible"),
        (["finalize", "pay"], "pay", "open, uncollectible"),
        (["finalize", "pay"], "mark_uncollectible", "open"),
        (["finalize", "pay"], "finalize", "draft"),
        (["finalize", "pay"], "send", "open"),
        (["finalize", "mark_uncollectible"], "mark_uncollectible", "open"),
        (["finalize", "mark_uncollectible"], "finalize", "draft"),
        (["finalize", "mark_uncollectible"], "send", "open"),
    ],
)
def test_illegal_transitions_name_the_status(
    api: Api, path: list[str], action: str, allowed: str
) -> None:
    inv = invoice(api)
    for step in path:
        assert act(api, inv["id"], step).status_code == 200
    status = api.get(f"/v1/invoices/{inv['id']}").json()["status"]
    r = act(api, inv["id"], action)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "status_transition_invalid" and error["param"] is None
    assert f"status is {status}" in error["message"]
    assert f"allowed from {allowed}." in error["message"]
    assert api.get(f"/v1/invoices/{inv['id']}").json()["status"] == status


def test_legal_transitions(api: Api, services: Services) -> None:
    a = invoice(api)
    act(api, a["id"], "finalize")
    services.clock.advance(5)  # type: ignore[attr-defined]
    paid = act(api, a["id"], "pay").json()
    assert paid["status"] == "paid" and paid["paid_at"] == services.clock()
    assert paid["amount_paid"] == 125000 and paid["amount_remaining"] == 0
    assert paid["payment_intent"].startswith("pi_")
    b = invoice(api)
    act(api, b["id"], "finalize")
    assert act(api, b["id"], "void").json()["status"] == "void"
    c = invoice(api)
    act(api, c["id"], "finalize")
    unc = act(api, c["id"], "mark_uncollectible").json()
    assert unc["status"] == "uncollectible"
    assert unc["status_transitions"]["marked_uncollectible_at"] == services.clock()
    oob = act(api, c["id"], "pay", json={"paid_out_of_band": True}).json()
    assert oob["status"] == "paid" and oob["paid_out_of_band"] is True
    assert oob["payment_intent"] is None
    d = invoice(api)
    act(api, d["id"], "finalize")
    act(api, d["id"], "mark_uncollectible")
    assert act(api, d["id"], "void").json()["status"] == "void"


def test_pay_expands_the_payment_intent(api: Api) -> None:
    inv = invoice(api)
    act(api, inv["id"], "finalize")
    body = act(api, inv["id"], "pay", data={"expand[]": "payment_intent"}).json()
    pi = body["payment_intent"]
    assert pi["object"] == "payment_intent" and pi["status"] == "succeeded"
    assert pi["amount"] == 125000 and pi["invoice"] == inv["id"]
    r = api.get(f"/v1/invoices/{inv['id']}", params={"expand[0]": "nonsense"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "expand"


def test_finalize_needs_lines(api: Api) -> None:
    inv = api.post("/v1/invoices", json={"customer": customer(api)}).json()
    assert inv["currency"] is None and inv["total"] == 0
    r = act(api, inv["id"], "finalize")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invoice_no_line_items"


def test_list_filters_and_pagination(api: Api, services: Services) -> None:
    jane, bob = customer(api), customer(api, name="Bob")
    made = []
    for i in range(5):
        services.clock.advance(10)  # type: ignore[attr-defined]
        made.append(invoice(api, jane if i % 2 == 0 else bob, due_date=1_000 + i)["id"])
    act(api, made[0], "finalize")
    listed = api.get("/v1/invoices").json()
    assert listed["object"] == "list" and listed["url"] == "/v1/invoices"
    assert [i["id"] for i in listed["data"]] == list(reversed(made))
    assert [i["id"] for i in api.get("/v1/invoices", params={"customer": jane}).json()["data"]] == [
        made[4],
        made[2],
        made[0],
    ]
    assert [i["id"] for i in api.get("/v1/invoices", params={"status": "open"}).json()["data"]] == [
        made[0]
    ]
    ranged = api.get("/v1/invoices", params={"due_date[gte]": 1001, "due_date[lte]": 1003}).json()
    assert [i["id"] for i in ranged["data"]] == [made[3], made[2], made[1]]
    created = api.get("/v1/invoices", params={"created[lt]": services.clock()}).json()
    assert len(created["data"]) == 4
    page = api.get("/v1/invoices", params={"limit": 2, "starting_after": made[3]}).json()
    assert [i["id"] for i in page["data"]] == [made[2], made[1]] and page["has_more"] is True
    back = api.get("/v1/invoices", params={"limit": 2, "ending_before": made[2]}).json()
    assert [i["id"] for i in back["data"]] == [made[4], made[3]]
    assert api.get("/v1/invoices", params={"limit": 0}).status_code == 400
    assert api.get("/v1/invoices", params={"status": "weird"}).status_code == 400
    expanded = api.get("/v1/invoices", params={"expand[]": "data.customer", "limit": 1}).json()
    assert expanded["data"][0]["customer"]["object"] == "customer"


def test_livemode_is_separate(api: Api) -> None:
    inv = invoice(api)
    assert api.get(f"/v1/invoices/{inv['id']}", key=api.live_key).status_code == 404
    r = act(api, inv["id"], "pay", key=api.live_key)
    assert r.status_code == 402 and r.json()["error"]["type"] == "card_error"
