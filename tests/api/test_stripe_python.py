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


def test_invoice_items_and_tax_rates_via_raw_requests(client: stripe.StripeClient) -> None:
    cus = new_customer(client)
    inv = client.v1.invoices.create(params={"customer": cus})
    rate = client.deserialize(
        client.raw_request(
            "post", "/v1/tax_rates", display_name="VAT", percentage="19", inclusive="false"
        ),
        api_mode="V1",
    )
    item = client.deserialize(
        client.raw_request(
            "post",
            "/v1/invoice_items",
            invoice=inv.id,
            description="Rent",
            amount=1000,
            currency="eur",
            quantity=2,
            tax_rates=[rate.id],
        ),
        api_mode="V1",
    )
    assert item.object == "invoice_item" and item.amount == 2000
    again = client.v1.invoices.retrieve(inv.id)  # type: ignore[arg-type]
    assert (again.subtotal, again.tax, again.total) == (2000, 380, 2380)
    params = {"invoice": inv.id, "limit": 1}
    listed = client.deserialize(
        client.raw_request("get", "/v1/invoice_items", **params), params=params, api_mode="V1"
    )
    assert [i.id for i in listed.auto_paging_iter()] == [item.id]
