"""The extract stage: claim an alias invoice, read its PDF, save the extraction, hand over.

Compare-and-set claims make a redelivered message harmless; a claim older than the lease
(a worker killed mid-job) may be taken again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import CursorResult, and_, or_, update

from extract import ExtractConfig, Extraction, ExtractionFailed
from extract.sandbox import extract_in_sandbox
from models.alias_invoices import AliasInvoice
from models.alias_invoices import Extraction as ExtractionRow
from models.blobstore import BlobNotFound
from models.db import transaction
from models.ids import new_id
from models.queue import ROUTE
from models.services import Services

log = logging.getLogger(__name__)


def run_extract(services: Services, alias_invoice_id: str) -> None:
    """The extract actor's body."""
    claimed = claim(services, alias_invoice_id)
    if claimed is None:
        return  # already taken, finished, or not ours to do
    attempt, blob_key = claimed
    try:
        pdf = services.blobs.get(blob_key)
        reference = dt.datetime.fromtimestamp(services.clock(), dt.UTC).date()
        result = extract_in_sandbox(pdf, ExtractConfig(reference_date=reference))
    except ExtractionFailed as failure:
        fail(services, alias_invoice_id, attempt, failure.code, failure.message)
        return
    except BlobNotFound:
        fail(
            services,
            alias_invoice_id,
            attempt,
            "pdf_missing",
            "The stored PDF could not be found; restore it, then retry.",
        )
        return
    except BaseException:
        release(services, alias_invoice_id, attempt)  # transient: retried with backoff
        raise
    if result.extracted_data().get("total_amount") is None:
        # Nothing to bill and nothing a payment could be made of: a permanent outcome.
        save(services, alias_invoice_id, attempt, result)
        fail(
            services,
            alias_invoice_id,
            attempt,
            "no_amount_found",
            "No amount to pay was found in the PDF. Is it an invoice?",
            extracted=True,
        )
        return
    if save(services, alias_invoice_id, attempt, result):
        services.queue.enqueue(ROUTE, alias_invoice_id)


def claim(services: Services, alias_invoice_id: str) -> tuple[int, str] | None:
    now = services.clock()
    stale = now - services.settings.processing_lease_seconds
    with transaction(services.sessions) as session:
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(AliasInvoice)
            .where(
                AliasInvoice.id == alias_invoice_id,
                AliasInvoice.pdf_blob_key.is_not(None),
                or_(
                    AliasInvoice.status == "received",
                    and_(
                        AliasInvoice.status == "processing",
                        AliasInvoice.extracted_at.is_(None),
                        AliasInvoice.claimed_at < stale,
                    ),
                ),
            )
            .values(
                status="processing",
                claimed_at=now,
                extracted_at=None,
                attempts=AliasInvoice.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        row = session.get(AliasInvoice, alias_invoice_id)
        assert row is not None and row.pdf_blob_key is not None
        session.refresh(row)
        return row.attempts, row.pdf_blob_key


def _ours(alias_invoice_id: str, attempt: int, *, extracted: bool = False) -> Any:
    """The row as this attempt left it: a newer claim or a finished route does not match."""
    return and_(
        AliasInvoice.id == alias_invoice_id,
        AliasInvoice.status == "processing",
        AliasInvoice.attempts == attempt,
        AliasInvoice.extracted_at.is_not(None)
        if extracted
        else AliasInvoice.extracted_at.is_(None),
    )


def release(services: Services, alias_invoice_id: str, attempt: int) -> None:
    with transaction(services.sessions) as session:
        session.execute(
            update(AliasInvoice)
            .where(_ours(alias_invoice_id, attempt))
            .values(status="received", claimed_at=None)
        )


def fail(
    services: Services,
    alias_invoice_id: str,
    attempt: int,
    code: str,
    message: str,
    *,
    extracted: bool = False,
) -> None:
    log.info("alias invoice %s failed: %s", alias_invoice_id, code)
    ours = _ours(alias_invoice_id, attempt, extracted=extracted)
    with transaction(services.sessions) as session:
        session.execute(
            update(AliasInvoice)
            .where(ours)
            .values(
                status="failed",
                error_code=code,
                error_message=message,
                processed_at=services.clock(),
                claimed_at=None,
            )
        )


def save(services: Services, alias_invoice_id: str, attempt: int, result: Extraction) -> bool:
    now = services.clock()
    with transaction(services.sessions) as session:
        changed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(AliasInvoice)
            .where(_ours(alias_invoice_id, attempt))
            .values(extracted_data=result.extracted_data(), extracted_at=now)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            return False  # our claim was taken over; the newer attempt wins
        session.add(
            ExtractionRow(
                id=new_id("ext"),
                alias_invoice_id=alias_invoice_id,
                attempt=attempt,
                result=result.to_json(),
                confidence_score=result.confidence_score,
                created=now,
            )
        )
    return True
