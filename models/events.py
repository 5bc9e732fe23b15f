"""Events (Stripe's shape): every state change writes one, in the same transaction as the change.

Because transitions are compare-and-set, a change that happens twice (a redelivered message, a
retried request) changes nothing the second time and so writes no second event. Writing an
event also schedules its webhook deliveries and the tenant's email about it, in the same
transaction, so none of them can be lost or happen for a change that rolled back.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, delete, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import notices, webhooks
from models.db import Base
from models.ids import new_id
from models.unit_of_work import current, unit_of_work

if TYPE_CHECKING:
    from models.services import Services

RETENTION_SECONDS = 30 * 86400

# Event rows are ordered by an integer sequence: ids are random and several events share a second.
_SEQ = BigInteger().with_variant(Integer, "sqlite")


class EventType(StrEnum):
    ALIAS_INVOICE_RECEIVED = "alias_invoice.received"
    ALIAS_INVOICE_PROCESSING = "alias_invoice.processing"
    ALIAS_INVOICE_PROCESSED = "alias_invoice.processed"
    ALIAS_INVOICE_REQUIRES_REVIEW = "alias_invoice.requires_review"
    ALIAS_INVOICE_FAILED = "alias_invoice.failed"
    ALIAS_INVOICE_PAID = "alias_invoice.paid"
    INVOICE_CREATED = "invoice.created"
    INVOICE_FINALIZED = "invoice.finalized"
    INVOICE_SENT = "invoice.sent"
    INVOICE_PAID = "invoice.paid"
    INVOICE_VOIDED = "invoice.voided"
    INVOICE_MARKED_UNCOLLECTIBLE = "invoice.marked_uncollectible"
    PAYMENT_REQUEST_SENT = "payment_request.sent"
    REVIEW_ITEM_CREATED = "review_item.created"
    REVIEW_ITEM_APPROVED = "review_item.approved"
    REVIEW_ITEM_REJECTED = "review_item.rejected"
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint.disabled"


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_account_seq", "account_id", "livemode", "seq"),)

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    livemode: Mapped[bool] = mapped_column(Boolean)
    type: Mapped[str] = mapped_column(String(64))
    # The object as the API returned it at the moment of the change.
    object_: Mapped[dict[str, Any]] = mapped_column("object", JSON)
    request_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


def emit(
    session: Session, event_type: EventType, obj: dict[str, Any], *, account_id: str, livemode: bool
) -> Event:
    """Record that `obj` changed; call right after the change, inside its unit of work."""
    work = current(session)
    event = Event(
        id=new_id("evt"),
        account_id=account_id,
        livemode=livemode,
        type=event_type,
        object_=obj,
        request_id=work.request.id,
        idempotency_key=work.request.idempotency_key,
        created=work.services.clock(),
    )
    # No flush of its own: the deliveries' query flushes it together with the change itself.
    session.add(event)
    webhooks.schedule_deliveries(session, event.id, event_type, account_id, livemode, event.created)
    notices.for_event(session, event)
    return event


def event_json(event: Event, pending_webhooks: int) -> dict[str, Any]:
    return {
        "id": event.id,
        "object": "event",
        "type": event.type,
        "data": {"object": event.object_},
        "created": event.created,
        "livemode": event.livemode,
        "pending_webhooks": pending_webhooks,
        "request": {"id": event.request_id, "idempotency_key": event.idempotency_key},
    }


def purge(session: Session, now: int) -> int:
    """Drop events past the 30-day retention (their deliveries go with them)."""
    cutoff = now - RETENTION_SECONDS
    old = sa_select(Event.id).where(Event.created < cutoff)
    webhooks.forget_events(session, old)
    count = session.scalar(sa_select(func.count()).select_from(Event).where(Event.created < cutoff))
    session.execute(delete(Event).where(Event.created < cutoff))
    return int(count or 0)


def purge_expired(services: Services) -> int:
    """The worker's periodic retention task."""
    with unit_of_work(services) as session:
        return purge(session, services.clock())
