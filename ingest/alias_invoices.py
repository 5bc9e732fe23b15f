"""Reading alias invoices and sending failed ones back through the pipeline."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models import lifecycle
from models.alias_invoices import AliasInvoice
from models.queue import EXTRACT
from models.scoped import get_scoped
from models.unit_of_work import enqueue_after_commit

PDF_URL_TTL = 3600


def get_alias_invoice(
    session: Session, account_id: str, livemode: bool, alias_invoice_id: str
) -> AliasInvoice:
    return get_scoped(
        session, AliasInvoice, "alias_invoice", alias_invoice_id, account_id, livemode
    )


def retry(session: Session, row: AliasInvoice, now: int) -> None:
    """failed → received, queued for extraction after commit (run it in a unit of work)."""
    lifecycle.reopen(session, row, now=now)
    enqueue_after_commit(session, EXTRACT, row.id)


def alias_invoice_json(
    row: AliasInvoice, *, pdf_url: str | None, payment_request: dict[str, Any] | None
) -> dict[str, Any]:
    error = None
    if row.error_code:
        error = {"code": row.error_code, "message": row.error_message}
    return {
        "id": row.id,
        "object": "alias_invoice",
        "email_alias": row.email_alias_id,
        "alias_email": row.alias_email,
        "tenant": row.customer_id,
        "status": row.status,
        "sender_email": row.sender_email,
        "sender_auth": row.sender_auth,
        "subject": row.subject,
        "pdf_url": pdf_url,
        "pdf_filename": row.pdf_filename,
        "extracted_data": row.extracted_data,
        "payment_request": payment_request,
        "payment_intent": row.payment_intent,
        "error": error,
        "metadata": row.metadata_,
        "received_at": row.received_at,
        "processed_at": row.processed_at,
        "paid_at": row.paid_at,
        "created": row.created,
        "livemode": row.livemode,
    }
