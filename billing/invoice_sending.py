"""Sending an open invoice to its tenant: an outbox mail with the PDF and the pay link."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from billing.invoice_pdf import ensure_pdf
from billing.invoice_states import check_transition
from billing.invoices import emit_invoice, hosted_invoice_url
from billing.notifications import queue_email
from models.blobstore import BlobStore
from models.currencies import format_amount
from models.customers import Customer
from models.errors import InvalidRequest
from models.events import EventType
from models.invoices import Invoice
from models.payments import Notification
from models.queue import NOTIFY
from models.unit_of_work import enqueue_after_commit


def send_invoice(
    session: Session, invoice: Invoice, *, blobs: BlobStore, public_url: str, now: int
) -> Notification:
    """Writes the mail in the caller's unit of work; it is delivered after commit."""
    check_transition("send", invoice.id, invoice.status)
    customer = session.get(Customer, invoice.customer_id)
    assert customer is not None  # foreign key
    if not customer.email:
        raise InvalidRequest(
            f"Customer {customer.id} has no email address to send invoice {invoice.id} to.",
            code="customer_email_missing",
            param="customer",
        )
    key = ensure_pdf(session, invoice, blobs, public_url)
    link = hosted_invoice_url(public_url, invoice)
    amount = format_amount(invoice.amount_remaining, invoice.currency or "eur")
    lines = [
        f"Hello {customer.name or 'there'},",
        "",
        f"Your invoice {invoice.id} is attached."
        + (f" {invoice.description}" if invoice.description else ""),
        f"Amount due: {amount}",
    ]
    if invoice.due_date:
        lines.append(f"Due: {_date(invoice.due_date)}")
    lines += ["", f"View and pay it here: {link}", "", "CasaPay"]
    row = queue_email(
        session,
        account_id=invoice.account_id,
        customer_id=customer.id,
        kind="invoice_sent",
        subject_id=invoice.id,
        to=customer.email,
        subject=f"Invoice {invoice.id}: {amount}",
        text="\n".join(lines),
        attachments=[(key, f"{invoice.id}.pdf", "application/pdf")],
        now=now,
    )
    enqueue_after_commit(session, NOTIFY, row.id)
    emit_invoice(session, invoice, EventType.INVOICE_SENT)
    return row


def _date(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")
