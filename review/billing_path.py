"""The one billing path, shared by automatic processing and ops approval.

An extraction becomes an open invoice for the tenant and a payment request, notified by email
and wallet in the same transaction (outbox). The alias invoice's own status change is the
caller's compare-and-set, so that exactly one caller bills it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from billing import payment_requests
from billing.invoices import DocumentSource, NewItem, create_invoice, finalize_invoice
from billing.money import PrintedFigures
from billing.notifications import record_wallet_entry
from models.alias_invoices import AliasInvoice
from models.customers import Customer
from models.ids import new_id
from models.notices import queue_tenant_email
from models.objects import payment_link
from models.payments import PaymentRequest
from review.document_invoice import Mirror, mirror, summary


def document_source(data: Mapping[str, Any]) -> tuple[list[NewItem], DocumentSource]:
    """The invoice's lines and printed figures, mirroring the document. Figures that do not add
    up reach here only after a person approved them: then one line for the amount due."""
    currency = str(data["currency"])
    found = mirror(data)
    figures = found if isinstance(found, Mirror) else summary(data)
    items = [NewItem(line.description, line.amount, currency) for line in figures.lines]
    printed = PrintedFigures(
        tax=figures.tax,
        tax_inclusive=figures.tax_inclusive,
        prepaid=figures.prepaid,
        rounding=figures.rounding,
    )
    return items, DocumentSource(figures.vendor, figures.reference, printed)


def due_timestamp(due_date: object) -> int | None:
    if not isinstance(due_date, str):
        return None
    day = dt.date.fromisoformat(due_date)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def bill_alias_invoice(
    session: Session, row: AliasInvoice, data: Mapping[str, Any], *, public_url: str, now: int
) -> PaymentRequest:
    """Create invoice + payment request; the tenant's email is sent after commit."""
    currency = str(data["currency"])
    reference = data.get("reference")
    items, source = document_source(data)
    invoice = create_invoice(
        session,
        account_id=row.account_id,
        livemode=row.livemode,
        customer_id=row.customer_id,
        currency=currency,
        due_date=due_timestamp(data.get("due_date")),
        description=f"Invoice {reference}" if reference else row.subject,
        items=items,
        metadata={"alias_invoice": row.id, **({"reference": str(reference)} if reference else {})},
        now=now,
        alias_invoice_id=row.id,
        document=source,
    )
    finalize_invoice(session, invoice, now=now)
    customer = session.get(Customer, row.customer_id)
    assert customer is not None
    channels = ["email", "wallet"] if customer.email else ["wallet"]
    pr = PaymentRequest(
        id=new_id("pr"),
        account_id=row.account_id,
        livemode=row.livemode,
        invoice_id=invoice.id,
        customer_id=row.customer_id,
        amount=invoice.amount_due,
        currency=currency,
        status="pending",
        sent_via=channels,
        created=now,
    )
    session.add(pr)
    session.flush()
    link = payment_link(public_url, pr.id)
    queue_tenant_email(
        session,
        kind="payment_request",
        customer=customer,
        subject_id=pr.id,
        context={
            "amount": pr.amount,
            "currency": currency,
            "reference": str(reference) if reference else None,
            "due_date": data.get("due_date"),
            "link": link,
        },
        alias_invoice=row,
        now=now,
    )
    record_wallet_entry(
        session,
        account_id=row.account_id,
        customer_id=customer.id,
        kind="payment_request",
        subject_id=pr.id,
        payload={
            "payment_request": pr.id,
            "amount": pr.amount,
            "currency": currency,
            "payment_link": link,
            "due_date": data.get("due_date"),
        },
        now=now,
    )
    if not customer.email:
        payment_requests.mark_sent(session, pr.id, now=now)
    return pr
