"""Deciding review items: approve (through the one billing path) or reject.

Every state change is a compare-and-set, so two reviewers deciding the same item at once
cannot both win: the second one's UPDATE finds the item no longer pending and gets a
Conflict naming who decided it. Callers run them in a unit of work, which sends the tenant's
email after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from models import lifecycle
from models.alias_invoices import Extraction
from models.errors import Conflict, InvalidRequest, InvalidTransition
from models.events import EventType
from models.review import ReviewItem
from review import audit
from review.billing_path import bill_alias_invoice
from review.corrections import (
    apply_corrections,
    require_billable,
    seed_data,
    validate_corrections,
)
from review.duplicate_lookup import record_facts
from review.items import Scope, emit_item, get_item


@dataclass(frozen=True)
class Decider:
    """Who decides: the reviewer recorded on the item, and the credential that was used."""

    reviewer: str
    via: str


@dataclass(frozen=True)
class Approval:
    item: ReviewItem
    payment_request_id: str


def _ensure_pending(item: ReviewItem, action: str) -> None:
    if item.status != "pending":
        raise InvalidTransition(
            f"Cannot {action} review item {item.id}: it was already {item.status} by "
            f"{item.reviewer or 'someone'}; only pending items can be decided.",
        )


def _claim(session: Session, item: ReviewItem, status: str, values: dict[str, Any]) -> None:
    """pending → approved|rejected, or Conflict if another reviewer got there first."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(ReviewItem)
        .where(ReviewItem.id == item.id, ReviewItem.status == "pending")
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        winner = session.execute(
            select(ReviewItem.status, ReviewItem.reviewer).where(ReviewItem.id == item.id)
        ).one()
        raise Conflict(
            f"Review item {item.id} was {winner.status} by {winner.reviewer or 'someone'} "
            "while you were deciding; your decision was not applied.",
            code="review_item_decided_concurrently",
        )
    session.refresh(item)


def approve(
    session: Session,
    item_id: str,
    corrections: Mapping[str, Any],
    *,
    scope: Scope | None,
    decider: Decider,
    public_url: str,
    now: int,
) -> Approval:
    item = get_item(session, item_id, scope)
    _ensure_pending(item, "approve")
    clean = validate_corrections(corrections)
    extraction = session.get(Extraction, item.extraction_id)
    assert extraction is not None
    data, changed = apply_corrections(seed_data(extraction.result), clean)
    require_billable(data)
    _claim(
        session,
        item,
        "approved",
        {
            "reviewer": decider.reviewer,
            "decided_at": now,
            "corrections": changed,
        },
    )
    row = lifecycle.in_review(session, item.alias_invoice_id)
    # The document's other figures (vendor, prepaid, gross) still describe it; corrections win.
    document = {**extraction.result, **data}
    pr = bill_alias_invoice(session, row, document, public_url=public_url, now=now)
    if changed:
        # Later copies are compared with what was billed, not with the misread values.
        record_facts(row, document)
    lifecycle.approved(session, row.id, data=data, payment_request_id=pr.id, now=now)
    audit.record_corrections(
        session, item.id, changed, now=now, actor=decider.reviewer, via=decider.via
    )
    audit.record(
        session,
        item.id,
        "approved",
        now=now,
        actor=decider.reviewer,
        via=decider.via,
        message=f"Billed as {pr.id}",
    )
    emit_item(session, item.id, EventType.REVIEW_ITEM_APPROVED)
    return Approval(item=item, payment_request_id=pr.id)


def reject(
    session: Session,
    item_id: str,
    reason: str,
    *,
    scope: Scope | None,
    decider: Decider,
    now: int,
) -> ReviewItem:
    item = get_item(session, item_id, scope)
    _ensure_pending(item, "reject")
    reason = reason.strip()
    if not reason:
        raise InvalidRequest(
            "Missing required param: reason.", code="parameter_missing", param="reason"
        )
    _claim(
        session,
        item,
        "rejected",
        {
            "reviewer": decider.reviewer,
            "decided_at": now,
            "rejection_reason": reason,
        },
    )
    lifecycle.rejected(session, item.alias_invoice_id, reason, now=now)
    audit.record(
        session,
        item.id,
        "rejected",
        now=now,
        actor=decider.reviewer,
        via=decider.via,
        message=reason,
    )
    emit_item(session, item.id, EventType.REVIEW_ITEM_REJECTED)
    return item
