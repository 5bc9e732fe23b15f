"""The results stage: an extracted alias invoice is billed, or queued for review."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from models.alias_invoices import AliasInvoice
from models.alias_invoices import Extraction as ExtractionRow
from models.db import transaction
from models.ids import new_id
from models.review import ReviewItem
from models.services import Services
from review.billing_path import bill_alias_invoice
from review.routing import decide
from review.thresholds import threshold_for

log = logging.getLogger(__name__)


def run_route(services: Services, alias_invoice_id: str) -> None:
    """The route actor's body; running it twice bills once."""
    messages: list[tuple[str, str]] = []
    try:
        with transaction(services.sessions) as session:
            row = session.get(AliasInvoice, alias_invoice_id)
            if row is None or row.status != "processing" or row.extracted_at is None:
                return
            extraction = session.scalar(
                select(ExtractionRow).where(
                    ExtractionRow.alias_invoice_id == row.id,
                    ExtractionRow.attempt == row.attempts,
                )
            )
            if extraction is None:
                return
            threshold = threshold_for(session, row.account_id, services.settings.review_threshold)
            decision = decide(extraction.result, threshold)
            now = services.clock()
            target = "processed" if decision.bill else "requires_review"
            moved: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(AliasInvoice)
                .where(
                    AliasInvoice.id == row.id,
                    AliasInvoice.status == "processing",
                    AliasInvoice.attempts == row.attempts,
                )
                .values(status=target, claimed_at=None)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:
                return  # another run of this message got here first
            if decision.bill:
                pr, messages = bill_alias_invoice(
                    session,
                    row,
                    extraction.result,
                    public_url=services.settings.public_url,
                    now=now,
                )
                row.payment_request_id = pr.id
                row.processed_at = now
            else:
                session.add(
                    ReviewItem(
                        id=new_id("rev"),
                        account_id=row.account_id,
                        livemode=row.livemode,
                        alias_invoice_id=row.id,
                        extraction_id=extraction.id,
                        status="pending",
                        reasons=list(decision.reasons),
                        created=now,
                    )
                )
    except IntegrityError:
        # The unique invoice/review row already exists: a concurrent run won. Nothing to do.
        log.info("route for %s already done by another run", alias_invoice_id)
        return
    for actor, object_id in messages:
        services.queue.enqueue(actor, object_id)
