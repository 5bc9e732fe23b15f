"""The alias invoice lifecycle: its statuses and every compare-and-set transition between them.

No other module writes an alias invoice's status. Each transition is one `UPDATE … WHERE` on the
state it expects, so a redelivered message, a second worker or a second reviewer changes nothing.

    received ─claim─▶ processing[extract] ─save─▶ processing[route] ─▶ processed ─paid─▶ paid
                        │   ▲ release (transient)      │                └─▶ requires_review
                        └───┘                          │                       │ approve/reject
                        fail / attempts exhausted ─────┴──────────▶ failed ◀───┘
                        failed ─reopen (retry, reply with the document)─▶ received

Every transition that changes the status writes its event (`alias_invoice.<status>`) in the
same transaction. `processing` is one status on the API; `phase` says which stage owns the row
(extract: a worker reads the document; route: the results stage decides). A claimed row carries
`claimed_at`; a claim older than the lease was abandoned (the worker died) and may be taken over.
Every claim counts against the stage's budget (`stage_attempts`): once `max_attempts` claims
did not finish, the row fails with `processing_attempts_exhausted` and the last error, instead of
looping.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, or_, update
from sqlalchemy.orm import Session

from models import events, logs, metrics
from models.alias_invoices import AliasInvoice
from models.errors import Conflict, InvalidRequest, InvalidTransition
from models.events import EventType
from models.objects import alias_invoice_object
from models.settings import Settings
from models.unit_of_work import current

log = logging.getLogger(__name__)


class AliasInvoiceStatus(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    REQUIRES_REVIEW = "requires_review"
    PROCESSED = "processed"
    FAILED = "failed"
    PAID = "paid"


class Phase(StrEnum):
    """Which stage owns a received or processing alias invoice."""

    EXTRACT = "extract"
    ROUTE = "route"


S = AliasInvoiceStatus
ATTEMPTS_EXHAUSTED = "processing_attempts_exhausted"
NO_DOCUMENT = "no_pdf_attachment"
REJECTED_IN_REVIEW = "rejected_in_review"
NO_DOCUMENT_MESSAGE = (
    "The message carried no invoice document. Forward the invoice again with the PDF or a "
    "photo of it attached (not as a link)."
)
_OPEN = (S.RECEIVED, S.PROCESSING)


@dataclass(frozen=True)
class Limits:
    lease_seconds: int
    max_attempts: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.processing_lease_seconds, settings.max_attempts)


@dataclass(frozen=True)
class Claim:
    """A worker's hold on one alias invoice in one phase; transitions check it is still ours."""

    alias_invoice_id: str
    phase: Phase
    attempt: int  # the extraction attempt: Extraction rows are numbered by it
    stage_attempt: int
    blob_key: str | None


class Superseded(Conflict):
    """The row moved on while this work ran (a newer claim, or someone else finished it)."""

    code = "alias_invoice_superseded"


def _cas(session: Session, where: ColumnElement[bool], values: dict[str, Any]) -> bool:
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(AliasInvoice)
        .where(where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _fresh(session: Session, alias_invoice_id: str) -> AliasInvoice:
    row = session.get(AliasInvoice, alias_invoice_id, populate_existing=True)
    assert row is not None
    return row


def _changed(session: Session, alias_invoice_id: str) -> AliasInvoice:
    """After a transition: its event, with the object as the API shows it now (and, once
    committed, its log line and count)."""
    # A compare-and-set UPDATE bypasses the identity map: read the row back as it now is.
    return _announced(session, _fresh(session, alias_invoice_id))


def _announced(session: Session, row: AliasInvoice) -> AliasInvoice:
    """The event (and, once committed, the log line and count) of `row` as it now is."""
    # The work in progress is about this invoice: its later lines and queue messages say so.
    logs.add(alias_invoice_id=row.id, message_id=row.inbound_message_id)
    work = current(session)
    work.after_commit(_noted(row))
    services = work.services
    obj = alias_invoice_object(
        session, row, blobs=services.blobs, public_url=services.settings.public_url
    )
    events.emit(
        session,
        EventType(f"alias_invoice.{row.status}"),
        obj,
        account_id=row.account_id,
        livemode=row.livemode,
    )
    return row


def _noted(row: AliasInvoice) -> Callable[[], None]:
    status, code = row.status, row.error_code if row.status == S.FAILED else None
    ids = {"alias_invoice_id": row.id, "message_id": row.inbound_message_id}

    def note() -> None:
        metrics.transition(status, code)
        log.info(
            "alias invoice %s is %s%s",
            ids["alias_invoice_id"],
            status,
            f" ({code})" if code else "",
            extra=ids,
        )

    return note


def claimable(phase: Phase, now: int, limits: Limits) -> ColumnElement[bool]:
    """Rows a stage may take: unclaimed, or claimed longer ago than the lease (abandoned)."""
    return and_(
        AliasInvoice.phase == phase,
        AliasInvoice.status.in_(_OPEN),
        or_(
            AliasInvoice.claimed_at.is_(None),
            AliasInvoice.claimed_at < now - limits.lease_seconds,
        ),
    )


def _ours(claim: Claim) -> ColumnElement[bool]:
    return and_(
        AliasInvoice.id == claim.alias_invoice_id,
        AliasInvoice.status == S.PROCESSING,
        AliasInvoice.phase == claim.phase,
        AliasInvoice.attempts == claim.attempt,
        AliasInvoice.stage_attempts == claim.stage_attempt,
    )


def _failed(code: str, message: str, now: int) -> dict[str, Any]:
    return {
        "status": S.FAILED,
        "phase": None,
        "error_code": code,
        "error_message": message,
        "processed_at": now,
        "claimed_at": None,
        "available_at": None,
    }


def _exhausted(stage_attempts: int, last_error: str | None, now: int) -> dict[str, Any]:
    message = (
        f"Processing was attempted {stage_attempts} times without finishing. "
        f"Last error: {last_error or 'unknown'}. Retry it once the cause is fixed."
    )
    return _failed(ATTEMPTS_EXHAUSTED, message, now)


# --- creation -----------------------------------------------------------------------------


def received(session: Session, row: AliasInvoice, now: int) -> AliasInvoice:
    """A new alias invoice from an accepted mail: queued for extraction, or failed at once
    when the mail carried no document."""
    row.attempts = 0
    row.stage_attempts = 0
    row.metadata_ = row.metadata_ or {}  # the column default, set now: the event shows it
    row.received_at = now
    row.created = now
    if row.pdf_blob_key:
        row.status, row.phase, row.available_at = S.RECEIVED, Phase.EXTRACT, now
    else:
        row.status, row.phase = S.FAILED, None
        row.error_code, row.error_message = NO_DOCUMENT, NO_DOCUMENT_MESSAGE
        row.processed_at = now
    # Every column is set here (no server defaults), so the new object already is the row: no
    # flush and no read-back. It is inserted with the rest of the unit of work's changes.
    session.add(row)
    return _announced(session, row)


# --- the stages' claims ---------------------------------------------------------------------


def claim(
    session: Session, alias_invoice_id: str, phase: Phase, *, now: int, limits: Limits
) -> Claim | None:
    """Take the row for one attempt of `phase`; None when it is not this stage's to do (taken,
    finished, or just failed for want of attempts)."""
    row = session.get(AliasInvoice, alias_invoice_id, populate_existing=True)
    if row is None:
        return None
    logs.add(alias_invoice_id=row.id, message_id=row.inbound_message_id)
    if row.phase != phase or row.status not in _OPEN:
        return None
    if row.claimed_at is not None and row.claimed_at >= now - limits.lease_seconds:
        return None  # another worker holds it
    if phase is Phase.EXTRACT and row.pdf_blob_key is None:
        return None
    if exhaust_if_spent(session, row, now=now, limits=limits):
        return None
    values: dict[str, Any] = {
        "status": S.PROCESSING,
        "claimed_at": now,
        "stage_attempts": row.stage_attempts + 1,
        "last_error": _last_error(row),
    }
    if phase is Phase.EXTRACT:
        values |= {"attempts": row.attempts + 1, "extracted_at": None}
    if not _cas(session, _unchanged(row, now, limits), values):
        return None  # another worker claimed it between our read and our write
    was = row.status
    row = _changed(session, alias_invoice_id) if was == S.RECEIVED else _fresh(session, row.id)
    return Claim(row.id, phase, row.attempts, row.stage_attempts, row.pdf_blob_key)


def _last_error(row: AliasInvoice) -> str | None:
    if row.claimed_at is None:
        return row.last_error
    return (
        f"attempt {row.stage_attempts} stopped without finishing "
        "(the worker was killed, ran out of memory or timed out)"
    )


def _unchanged(row: AliasInvoice, now: int, limits: Limits) -> ColumnElement[bool]:
    """Still claimable and exactly as read: no other worker took it in between."""
    assert row.phase is not None
    return and_(
        claimable(Phase(row.phase), now, limits),
        AliasInvoice.id == row.id,
        AliasInvoice.stage_attempts == row.stage_attempts,
        AliasInvoice.attempts == row.attempts,
    )


def exhaust_if_spent(session: Session, row: AliasInvoice, *, now: int, limits: Limits) -> bool:
    """Fail a claimable row whose stage used up its attempts; True if it did (or had)."""
    if row.phase is None or row.stage_attempts < limits.max_attempts:
        return False
    last_error = _last_error(row)
    values = _exhausted(row.stage_attempts, last_error, now) | {"last_error": last_error}
    if _cas(session, _unchanged(row, now, limits), values):
        log.warning("alias invoice %s: %s (%s)", row.id, ATTEMPTS_EXHAUSTED, last_error)
        _changed(session, row.id)
        return True
    return False


def release(session: Session, claim: Claim, error: str, *, now: int, limits: Limits) -> bool:
    """A transient failure: give the row back for a retry, or fail it when the budget is spent.
    Returns True when the row failed (nothing left to retry)."""
    if claim.stage_attempt >= limits.max_attempts:
        values = _exhausted(claim.stage_attempt, error, now) | {"last_error": error}
        if _cas(session, _ours(claim), values):
            _changed(session, claim.alias_invoice_id)
            log.warning(
                "alias invoice %s: %s (%s)", claim.alias_invoice_id, ATTEMPTS_EXHAUSTED, error
            )
            return True
        return False
    _cas(session, _ours(claim), {"claimed_at": None, "available_at": now, "last_error": error})
    return False


def fail(
    session: Session,
    claim: Claim,
    code: str,
    message: str,
    *,
    now: int,
    extracted_data: dict[str, Any] | None = None,
) -> bool:
    """A permanent failure found by a stage (unreadable, encrypted, nothing to pay…)."""
    values = _failed(code, message, now)
    if extracted_data is not None:
        values |= {"extracted_data": extracted_data, "extracted_at": now}
    if not _cas(session, _ours(claim), values):
        return False
    log.info("alias invoice %s failed: %s", claim.alias_invoice_id, code)
    _changed(session, claim.alias_invoice_id)
    return True


def save_extraction(session: Session, claim: Claim, data: dict[str, Any], *, now: int) -> bool:
    """Extraction done: the row now waits for the results stage, with a fresh budget."""
    return _cas(
        session,
        _ours(claim),
        {
            "phase": Phase.ROUTE,
            "extracted_data": data,
            "extracted_at": now,
            "claimed_at": None,
            "available_at": now,
            "stage_attempts": 0,
            "last_error": None,
        },
    )


# --- outcomes -------------------------------------------------------------------------------


def processed(
    session: Session,
    claim: Claim,
    *,
    payment_request_id: str,
    now: int,
) -> AliasInvoice:
    """Billed by the results stage. Raises Superseded (rolling the billing back) if the claim
    was lost meanwhile."""
    values = _settled(S.PROCESSED, now) | {"payment_request_id": payment_request_id}
    if not _cas(session, _ours(claim), values):
        raise Superseded(f"Alias invoice {claim.alias_invoice_id} was taken over meanwhile.")
    current(session).after_commit(lambda: metrics.routed(billed=True))
    return _changed(session, claim.alias_invoice_id)


def to_review(session: Session, claim: Claim, *, now: int) -> AliasInvoice:
    values = _settled(S.REQUIRES_REVIEW, now) | {"processed_at": None}
    if not _cas(session, _ours(claim), values):
        raise Superseded(f"Alias invoice {claim.alias_invoice_id} was taken over meanwhile.")
    current(session).after_commit(lambda: metrics.routed(billed=False))
    return _changed(session, claim.alias_invoice_id)


def _settled(status: S, now: int) -> dict[str, Any]:
    return {
        "status": status,
        "phase": None,
        "processed_at": now,
        "claimed_at": None,
        "available_at": None,
        "stage_attempts": 0,
        "last_error": None,
    }


def _from_review(alias_invoice_id: str) -> ColumnElement[bool]:
    return and_(AliasInvoice.id == alias_invoice_id, AliasInvoice.status == S.REQUIRES_REVIEW)


def in_review(session: Session, alias_invoice_id: str) -> AliasInvoice:
    """The alias invoice a review decision is about; Conflict if it left review meanwhile."""
    row = _fresh(session, alias_invoice_id)
    if row.status != S.REQUIRES_REVIEW:
        raise _not_in_review(row)
    return row


def _not_in_review(row: AliasInvoice) -> Conflict:
    return Conflict(
        f"Alias invoice {row.id} is {row.status}, not requires_review; it was "
        "handled outside this review item, so nothing was changed.",
        code="alias_invoice_not_in_review",
    )


def approved(
    session: Session,
    alias_invoice_id: str,
    *,
    data: dict[str, Any],
    payment_request_id: str,
    now: int,
) -> AliasInvoice:
    """requires_review → processed with the reviewer's data; raises Conflict otherwise."""
    values = _settled(S.PROCESSED, now) | {
        "payment_request_id": payment_request_id,
        "extracted_data": data,
    }
    if not _cas(session, _from_review(alias_invoice_id), values):
        raise _not_in_review(_fresh(session, alias_invoice_id))
    return _changed(session, alias_invoice_id)


def rejected(session: Session, alias_invoice_id: str, reason: str, *, now: int) -> AliasInvoice:
    """requires_review → failed with the reviewer's reason; raises Conflict otherwise."""
    values = _failed(REJECTED_IN_REVIEW, f"Rejected in review: {reason}", now)
    if not _cas(session, _from_review(alias_invoice_id), values):
        raise _not_in_review(_fresh(session, alias_invoice_id))
    return _changed(session, alias_invoice_id)


def paid(
    session: Session, alias_invoice_id: str, *, payment_intent: str | None, now: int
) -> AliasInvoice | None:
    """processed → paid, when the invoice made from it is paid; None if it was not processed."""
    where = and_(AliasInvoice.id == alias_invoice_id, AliasInvoice.status == S.PROCESSED)
    if not _cas(
        session, where, {"status": S.PAID, "paid_at": now, "payment_intent": payment_intent}
    ):
        return None
    return _changed(session, alias_invoice_id)


@dataclass(frozen=True)
class NewDocument:
    """A document that replaces the stored one (a reply carrying the missing or open copy)."""

    blob_key: str
    filename: str | None
    content_type: str


def _stored_document(row: AliasInvoice) -> NewDocument | None:
    if row.pdf_blob_key is None:
        return None
    return NewDocument(row.pdf_blob_key, row.pdf_filename, row.content_type or "application/pdf")


def reopen(
    session: Session,
    row: AliasInvoice,
    *,
    now: int,
    document: NewDocument | None = None,
) -> AliasInvoice:
    """failed → received: the retry API, or a reply that brings a new `document`. The budget
    starts afresh."""
    if row.status != S.FAILED:
        raise InvalidTransition.build("retry", "alias invoice", row.id, row.status, (S.FAILED,))
    document = document or _stored_document(row)
    if document is None:
        raise InvalidRequest(
            f"Alias invoice {row.id} has no PDF to process: the message carried none. "
            "Forward the invoice again with the PDF attached.",
            code="alias_invoice_not_retryable",
        )
    values = {
        "status": S.RECEIVED,
        "phase": Phase.EXTRACT,
        "pdf_blob_key": document.blob_key,
        "pdf_filename": document.filename,
        "content_type": document.content_type,
        "error_code": None,
        "error_message": None,
        "claimed_at": None,
        "available_at": now,
        "processed_at": None,
        "stage_attempts": 0,
        "last_error": None,
    }
    where = and_(AliasInvoice.id == row.id, AliasInvoice.status == S.FAILED)
    if not _cas(session, where, values):  # someone else reopened it between read and write
        raise InvalidTransition.build("retry", "alias invoice", row.id, S.RECEIVED, (S.FAILED,))
    return _changed(session, row.id)
