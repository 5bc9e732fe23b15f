"""Invoice items and tax rates through HTTP; the parent invoice's totals follow every change."""

from __future__ import annotations

from typing import Any

from tests.api.test_invoices import act, customer, invoice
from tests.conftest import Api


def tax_rate(api: Api, pct: Any, inclusive: bool, **kw: Any) -> str:
    r = api.post(
        "/v1/tax_rates",
        json={"display_name": "VAT", "percentage": pct, "inclusive": inclusive, **kw},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def totals(api: Api, inv_id: str) -> tuple[int, int, int, int]:
    body = api.get(f"/v1/invoices/{inv_id}").json()
    return body["subtotal"], body["tax"], body["total"], body["amount_remaining"]


def test_item_crud_keeps_totals_right(api: Api) -> None:
    inv = invoice(api)
    r = api.post(
        "/v1/invoice_items",
        json={"invoice": inv["id"], "description": "Late fee", "amount": 2500, "currency": "eur"},
    )
    assert r.status_code == 200, r.text
    item = r.json()
    assert item["id"].startswith("ii_") and item["object"] == "invoice_item"
    assert item["invoice"] == inv["id"] and item["quantity"] == 1
    assert item["unit_amount"] == item["amount"] == 2500
    assert item["tax_rates"] == [] and item["metadata"] == {} and item["created"]
    assert totals(api, inv["id"]) == (127500, 0, 127500, 127500)
    assert api.get(f"/v1/invoice_items/{item['id']}").json() == item
    r = api.post(
        f"/v1/invoice_items/{item['id']}",
        data={
            "description": "Late fee (Jan)",
            "amount": "3000",
            "quantity": "2",
            "metadata[reason]": "late",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["amount"] == 6000 and r.json()["metadata"] == {"reason": "late"}
    assert totals(api, inv["id"]) == (131000, 0, 131000, 131000)
    r = api.delete(f"/v1/invoice_items/{item['id']}")
    assert r.json() == {"id": item["id"], "object": "invoice_item", "deleted": True}
    assert totals(api, inv["id"]) == (125000, 0, 125000, 125000)
    assert api.get(f"/v1/invoice_items/{item['id']}").status_code == 404


def test_items_only_on_drafts(api: Api) -> None:
    inv = invoice(api)
    item_id = inv["line_items"][0]["id"]
    act(api, inv["id"], "finalize")
    r = api.post(
        "/v1/invoice_items",
        json={"invoice": inv["id"], "description": "x", "amount": 1, "currency": "eur"},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invoice_not_editable"
    r = api.post(f"/v1/invoice_items/{item_id}", json={"amount": 1})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invoice_not_editable"
    r = api.delete(f"/v1/invoice_items/{item_id}")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invoice_not_editable"


def test_item_currency_must_match_and_is_required(api: Api) -> None:
    inv = invoice(api)
    r = api.post(
        "/v1/invoice_items",
        json={"invoice": inv["id"], "description": "x", "amount": 1, "currency": "usd"},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "currency_mismatch"
    r = api.post("/v1/invoice_items", json={"invoice": inv["id"], "description": "x", "amount": 1})
    assert r.status_code == 400 and r.json()["error"]["param"] == "currency"
    r = api.post(
        "/v1/invoice_items",
        json={"invoice": "inv_nope", "description": "x", "amount": 1, "currency": "eur"},
    )
    assert r.status_code == 404


def test_list_items_by_invoice(api: Api) -> None:
    a, b = invoice(api), invoice(api)
    listed = api.get("/v1/invoice_items", params={"invoice": a["id"]}).json()
    assert listed["url"] == "/v1/invoice_items"
    assert {i["id"] for i in listed["data"]} == {li["id"] for li in a["line_items"]}
    assert len(api.get("/v1/invoice_items").json()["data"]) == 4
    assert (
        len(api.get("/v1/invoice_items", params={"invoice": b["id"], "limit": 1}).json()["data"])
        == 1
    )


def test_tax_rates_exclusive_and_inclusive(api: Api) -> None:
    vat = tax_rate(api, 19, False, jurisdiction="DE")
    incl = tax_rate(api, 7.7, True)
    got = api.get(f"/v1/tax_rates/{vat}").json()
    assert got["object"] == "tax_rate" and got["percentage"] == 19 and got["jurisdiction"] == "DE"
    cus = customer(api)
    r = api.post(
        "/v1/invoices",
        json={
            "customer": cus,
            "tax_rates": [vat],
            "line_items": [
                {"description": "Rent", "amount": 1000, "currency": "eur"},  # invoice default: 19 %
                {"description": "Service", "amount": 1077, "currency": "eur", "tax_rates": [incl]},
            ],
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    # 190 exclusive on the rent, 77 inclusive carved out of the service's 1077.
    assert (body["subtotal"], body["tax"], body["total"]) == (2077, 267, 2267)
    assert body["amount_due"] == 2267
    r = api.post(f"/v1/invoices/{body['id']}", json={"tax_rates": ""})
    assert (r.json()["tax"], r.json()["total"]) == (77, 2077)
    listed = api.get("/v1/tax_rates", params={"inclusive": "true"}).json()
    assert [t["id"] for t in listed["data"]] == [incl]


def test_tax_rate_validation(api: Api) -> None:
    for bad in (101, -1, 1.23456, True):
        r = api.post(
            "/v1/tax_rates", json={"display_name": "X", "percentage": bad, "inclusive": False}
        )
        assert r.status_code == 400, bad
    r = api.post("/v1/invoices", json={"customer": customer(api), "tax_rates": ["txr_nope"]})
    assert r.status_code == 400 and r.json()["error"]["param"] == "tax_rates[0]"
    assert api.get("/v1/tax_rates/txr_nope").status_code == 404


def test_zero_decimal_currency(api: Api) -> None:
    vat = tax_rate(api, 10, False)
    r = api.post(
        "/v1/invoices",
        json={
            "customer": customer(api),
            "line_items": [
                {"description": "Rent", "amount": 85005, "currency": "JPY", "tax_rates": [vat]}
            ],
        },
    )
    body = r.json()
    assert body["currency"] == "jpy" and (body["tax"], body["total"]) == (8501, 93506)
    act(api, body["id"], "finalize")
    page = api.client.get(f"/i/{body['id']}")
    assert "93,506 JPY" in page.text
