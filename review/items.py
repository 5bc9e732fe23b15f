"""Reading review items with everything a reviewer needs to judge them, in few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import events
from models.alias_invoices import AliasInvoice, Extraction
from models.customers import Customer
from models.errors import NotFound
from models.events import EventType
from models.review import ReviewEvent, ReviewItem
from review.audit import event_json
from review.corrections import seed_data

Scope = tuple[str, bool]  # (account_id, livemode) of an API key; None = ops staff, all accounts


@dataclass
class ItemView:
    """A review item joined with its alias invoice, extraction, tenant and audit trail."""

    item: ReviewItem
    alias_invoice: AliasInvoice
    extraction: Extraction
    customer: Customer | None
    events: list[ReviewEvent] = field(default_factory=list)

    @property
    def extracted(self) -> dict[str, Any]:
        return seed_data(self.extraction.result)

    @property
    def evidence(self) -> dict[str, Any]:
        fields = self.extraction.result.get("fields")
        return dict(fields) if isinstance(fields, dict) else {}

    def confidence(self, name: str) -> float | None:
        value = self.evidence.get(name, {})
        conf = value.get("confidence") if isinstance(value, dict) else None
        return float(conf) if isinstance(conf, int | float) else None


def get_item(
    session: Session, item_id: str, scope: Scope | None, *, for_update: bool = False
) -> ReviewItem:
    stmt = select(ReviewItem).where(ReviewItem.id == item_id)
    if scope is not None:
        stmt = stmt.where(ReviewItem.account_id == scope[0], ReviewItem.livemode == scope[1])
    if for_update:
        stmt = stmt.with_for_update()
    item = session.scalar(stmt)
    if item is None:
        raise NotFound.for_id("review_item", item_id)
    return item


def load_views(session: Session, items: Sequence[ReviewItem]) -> list[ItemView]:
    if not items:
        return []
    ainv_ids = {i.alias_invoice_id for i in items}
    aliases = {
        a.id: a for a in session.scalars(select(AliasInvoice).where(AliasInvoice.id.in_(ainv_ids)))
    }
    extractions = {
        e.id: e
        for e in session.scalars(
            select(Extraction).where(Extraction.id.in_({i.extraction_id for i in items}))
        )
    }
    customers = {
        c.id: c
        for c in session.scalars(
            select(Customer).where(Customer.id.in_({a.customer_id for a in aliases.values()}))
        )
    }
    events: dict[str, list[ReviewEvent]] = {i.id: [] for i in items}
    for event in session.scalars(
        select(ReviewEvent).where(ReviewEvent.review_item_id.in_(events)).order_by(ReviewEvent.seq)
    ):
        events[event.review_item_id].append(event)
    views = []
    for item in items:
        alias = aliases[item.alias_invoice_id]
        views.append(
            ItemView(
                item=item,
                alias_invoice=alias,
                extraction=extractions[item.extraction_id],
                customer=customers.get(alias.customer_id),
                events=events[item.id],
            )
        )
    return views


def load_view(session: Session, item_id: str, scope: Scope | None) -> ItemView:
    return load_views(session, [get_item(session, item_id, scope)])[0]


def review_item_json(view: ItemView) -> dict[str, Any]:
    item = view.item
    return {
        "id": item.id,
        "object": "review_item",
        "alias_invoice": item.alias_invoice_id,
        "tenant": view.alias_invoice.customer_id,
        "status": item.status,
        "reasons": list(item.reasons or []),
        "extracted_data": view.extracted,
        "fields": view.evidence,
        "confidence_score": view.extraction.confidence_score,
        "corrections": item.corrections,
        "reviewer": item.reviewer,
        "rejection_reason": item.rejection_reason,
        "decided_at": item.decided_at,
        "payment_request": view.alias_invoice.payment_request_id,
        "audit_trail": [event_json(e) for e in view.events],
        "created": item.created,
        "livemode": item.livemode,
    }


def emit_item(session: Session, item_id: str, event_type: EventType) -> None:
    """The review item's event, with the object as the API shows it, in its transaction."""
    session.flush()
    view = load_view(session, item_id, None)
    obj = review_item_json(view)
    events.emit(
        session, event_type, obj, account_id=view.item.account_id, livemode=view.item.livemode
    )
