"""Payment requests: what the tenant is asked to pay, and the link to pay it."""

from __future__ import annotations

from typing import Any

from models.payments import PaymentRequest


def payment_link(public_url: str, request_id: str) -> str:
    return f"{public_url}/pay/{request_id}"


def payment_request_json(pr: PaymentRequest, public_url: str) -> dict[str, Any]:
    return {
        "id": pr.id,
        "object": "payment_request",
        "invoice": pr.invoice_id,
        "payment_link": payment_link(public_url, pr.id),
        "amount": pr.amount,
        "currency": pr.currency,
        "status": pr.status,
        "sent_via": list(pr.sent_via),
        "sent_at": pr.sent_at,
        "created": pr.created,
        "livemode": pr.livemode,
    }
