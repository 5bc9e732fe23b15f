"""Reading alias invoices and sending failed ones back through the pipeline."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import lifecycle
from models.alias_invoices import AliasInvoice
from models.queue import EXTRACT
from models.scoped import get_scoped
from models.unit_of_work import enqueue_after_commit


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
