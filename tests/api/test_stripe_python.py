"""stripe-python 16, pointed at a real uvicorn server on a loopback port, drives the API."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from models.services import Services
from tests.conftest import new_account


@pytest.fixture
def client(services: Services, server_url: str) -> stripe.StripeClient:
    _, test_key, _ = new_account(services, "Stripe client")
    return stripe.StripeClient(test_key, base_addresses={"api": server_url})


def new_customer(client: stripe.StripeClient) -> str:
    customer = client.v1.customers.create(params={"name": "Jane", "email": "jane@example.com"})
    return str(customer.id)


def test_invoice_lifecycle_with_stripe_python(client: stripe.StripeClient) -> None:
    cus = new_customer(client)
    params: Any = {
        "customer": cus,
        "due_date": 1_767_830_400,
        "line_items": [
            {"description": "Rent", "amount": 120000, "currency": "eur"},
            {"description": "Fee", "amount": 500, "currency": "eur", "quantity": 2},
        ],
        "metadata": {"lease": "L-9", "old": ""},
        "expand": ["customer"],
    }
    inv = client.v1.invoices.create(params=params, options={"idempotency_key": "idem-1"})
    assert isinstance(inv, stripe.Invoice)
    assert inv.amount_due == 121000 and inv.status == "draft"
    assert inv.metadata.to_dict() == {"lease": "L-9"}
    assert inv.customer.id == cus  # type: ignore[union-attr]
    assert inv.last_response.request_id.startswith("req_")  # type: ignore[union-attr]
    replay = client.v1.invoices.create(params=params, options={"idempotency_key": "idem-1"})
    assert replay.id == inv.id

    got = client.v1.invoices.retrieve(inv.id)  # type: ignore[arg-type]
    assert got.id == inv.id and got.customer == cus
    updated = client.v1.invoices.update(
        inv.id,
        params={"description": "January", "metadata": {"lease": ""}},  # type: ignore[arg-type]
    )
    assert updated.description == "January" and updated.metadata.to_dict() == {}

    final = client.v1.invoices.finalize_invoice(inv.id)  # type: ignore[arg-type]
    assert final.status == "open" and final.hosted_invoice_url and final.pdf_url
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.finalize_invoice(inv.id)  # type: ignore[arg-type]
    assert err.value.http_status == 400 and err.value.code == "status_transition_invalid"
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.delete(inv.id)  # type: ignore[arg-type]
    assert err.value.code == "status_transition_invalid"

    paid = client.v1.invoices.pay(inv.id, params={"expand": ["payment_intent"]})  # type: ignore[arg-type]
    assert paid.status == "paid" and paid.amount_remaining == 0
    assert paid.payment_intent.id.startswith("pi_")  # type: ignore[union-attr]

    draft = client.v1.invoices.create(params={"customer": cus})
    deleted = client.v1.invoices.delete(draft.id)  # type: ignore[arg-type]
    assert deleted.deleted is True and deleted.id == draft.id
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.retrieve(draft.id)  # type: ignore[arg-type]
    assert err.value.http_status == 404 and err.value.code == "resource_missing"


def test_auto_pagination_keeps_filters(client: stripe.StripeClient) -> None:
    jane, bob = new_customer(client), new_customer(client)
    mine = [
        client.v1.invoices.create(params={"customer": jane, "due_date": 100 + i}).id
        for i in range(5)
    ]
    client.v1.invoices.create(params={"customer": bob})
    page = client.v1.invoices.list(
        params={"customer": jane, "limit": 2, "due_date": {"gte": 101}}  # type: ignore[typeddict-item]
    )
    seen = [inv.id for inv in page.auto_paging_iter()]
    assert sorted(seen) == sorted(mine[1:])
    assert len(seen) == 4


def test_errors_map_to_stripe_exception_classes(
    client: stripe.StripeClient, server_url: str
) -> None:
    cus = new_customer(client)
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.create(params={"customer": cus, "colour": "red"})  # type: ignore[typeddict-unknown-key]
    assert err.value.code == "parameter_unknown" and err.value.param == "colour"
    client.v1.invoices.create(params={"customer": cus}, options={"idempotency_key": "same"})
    with pytest.raises(stripe.IdempotencyError):
        client.v1.invoices.create(
            params={"customer": cus, "description": "other"}, options={"idempotency_key": "same"}
        )
    bad = stripe.StripeClient("sk_test_wrong", base_addresses={"api": server_url})
    with pytest.raises(stripe.AuthenticationError):
        bad.v1.invoices.list()


def test_invoice_items_tax_rates_and_customers_through_typed_resources(
    client: stripe.StripeClient,
) -> None:
    customer = client.v1.customers.create(params={"name": "Jane", "metadata": {"unit": "4B"}})
    updated = client.v1.customers.update(
        customer.id, params={"email": "jane@example.com", "metadata": {"floor": "2"}}
    )
    assert updated.email == "jane@example.com"
    assert updated.metadata.to_dict() == {"unit": "4B", "floor": "2"}
    rate = client.v1.tax_rates.create(
        params={"display_name": "VAT", "percentage": 19, "inclusive": False}
    )
    assert client.v1.tax_rates.retrieve(rate.id).percentage == 19
    inv = client.v1.invoices.create(
        params={
            "customer": customer.id,
            "collection_method": "send_invoice",
            "days_until_due": 30,
            "auto_advance": False,
            "default_tax_rates": [rate.id],
        }
    )
    assert inv.collection_method == "send_invoice" and inv.auto_advance is False
    assert inv.due_date == inv.created + 30 * 86400 and inv.tax_rates == [rate.id]
    item = client.v1.invoice_items.create(
        params={
            "customer": customer.id,
            "invoice": inv.id,
            "description": "Rent",
            "amount": 1000,
            "currency": "eur",
            "quantity": 2,
        }
    )
    assert item.object == "invoice_item" and item.amount == 2000
    assert client.v1.invoice_items.retrieve(item.id).id == item.id
    changed = client.v1.invoice_items.update(item.id, params={"description": "Rent, 4B"})
    assert changed.description == "Rent, 4B"
    again = client.v1.invoices.retrieve(inv.id)
    assert (again.subtotal, again.tax, again.total) == (2000, 380, 2380)
    listed = client.v1.invoice_items.list(params={"invoice": inv.id, "limit": 1})
    assert [i.id for i in listed.auto_paging_iter()] == [item.id]
    assert client.v1.invoice_items.delete(item.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.create(
            params={"customer": customer.id, "collection_method": "charge_automatically"}
        )
    assert err.value.code == "parameter_invalid" and err.value.param == "collection_method"
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.create(params={"customer": customer.id, "auto_advance": True})
    assert err.value.param == "auto_advance"
    assert client.v1.customers.delete(customer.id).deleted is True
    assert client.v1.customers.retrieve(customer.id).deleted is True  # type: ignore[attr-defined]
