"""Collecting an invoice: a payment (pi_) or an out-of-band mark, and its effects.

Paying an invoice made from a forwarded PDF also settles that alias invoice and its payment
request, in the same transaction, so the tenant never sees one paid and the other not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from billing.invoice_states import check_transition
from billing.invoices import emit_invoice
from models import lifecycle
from models.events import EventType
from models.ids import new_id
from models.invoices import Invoice
from models.payments import PaymentIntent, PaymentRequest
from models.scoped import get_scoped


def pay_invoice(
    session: Session, invoice: Invoice, *, now: int, source: str, out_of_band: bool = False
) -> Invoice:
    """open|uncollectible -> paid. Without out_of_band a test-mode payment (pi_) is recorded.

    Callers lock the invoice row first (get_invoice(..., for_update=True)), so two payers
    cannot both pass the status check.
    """
    target = check_transition("pay", invoice.id, invoice.status)
    assert target is not None
    intent_id: str | None = None
    if not out_of_band:
        intent = PaymentIntent(
            id=new_id("pi"),
            account_id=invoice.account_id,
            livemode=invoice.livemode,
            invoice_id=invoice.id,
            customer_id=invoice.customer_id,
            amount=invoice.amount_remaining,
            amount_received=invoice.amount_remaining,
            currency=invoice.currency or "eur",
            status="succeeded",
            payment_method_type="test_card",
            source=source,
            created=now,
        )
        session.add(intent)
        intent_id = intent.id
    invoice.payment_intent = intent_id
    invoice.paid_out_of_band = out_of_band
    invoice.amount_paid = invoice.amount_due
    invoice.amount_remaining = 0
    invoice.status = target
    invoice.paid_at = now
    session.execute(
        update(PaymentRequest)
        .where(PaymentRequest.invoice_id == invoice.id, PaymentRequest.status != "paid")
        .values(status="paid")
    )
    session.flush()
    emit_invoice(session, invoice, EventType.INVOICE_PAID)
    if invoice.alias_invoice_id:
        lifecycle.paid(session, invoice.alias_invoice_id, payment_intent=intent_id, now=now)
    return invoice


def get_payment_intent(
    session: Session, account_id: str, livemode: bool, intent_id: str
) -> PaymentIntent:
    return get_scoped(session, PaymentIntent, "payment_intent", intent_id, account_id, livemode)


def payment_intent_json(intent: PaymentIntent) -> dict[str, Any]:
    return {
        "id": intent.id,
        "object": "payment_intent",
        "amount": intent.amount,
        "amount_received": intent.amount_received,
        "currency": intent.currency,
        "customer": intent.customer_id,
        "invoice": intent.invoice_id,
        "status": intent.status,
        "payment_method_types": [intent.payment_method_type],
        "created": intent.created,
        "livemode": intent.livemode,
    }
