"""Sending an open invoice to its tenant: an outbox mail with the PDF and the pay link."""

from __future__ import annotations

from sqlalchemy.orm import Session

from billing.invoice_pdf import ensure_pdf
from billing.invoice_states import check_transition
from billing.invoices import emit_invoice, hosted_invoice_url
from models.alias_invoices import AliasInvoice
from models.blobstore import BlobStore
from models.customers import Customer
from models.errors import InvalidRequest
from models.events import EventType
from models.invoices import Invoice
from models.notices import queue_tenant_email
from models.payments import Notification


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
    source = invoice.alias_invoice_id
    row = queue_tenant_email(
        session,
        kind="invoice_sent",
        customer=customer,
        subject_id=invoice.id,
        context={
            "invoice": invoice.id,
            "description": invoice.description,
            "amount": invoice.amount_remaining,
            "currency": invoice.currency or "eur",
            "due_date": invoice.due_date,
            "link": hosted_invoice_url(public_url, invoice),
        },
        alias_invoice=session.get(AliasInvoice, source) if source else None,
        attachments=[(key, f"{invoice.id}.pdf", "application/pdf")],
        now=now,
    )
    assert row is not None  # the customer has an email (checked above)
    emit_invoice(session, invoice, EventType.INVOICE_SENT)
    return row
