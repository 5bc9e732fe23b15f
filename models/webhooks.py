"""Webhook endpoints and the deliveries of events to them (a schedule in the database).

A delivery row is written with its event, in the same transaction; the worker posts it, and a
failed attempt sets the next one with exponential backoff. The schedule lives here rather than in
Dramatiq's retries so that it survives the loss of Redis: the worker re-reads due rows.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    delete,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from models.db import Base
from models.ids import new_id
from models.queue import WEBHOOK
from models.unit_of_work import enqueue_after_commit


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    url: Mapped[str] = mapped_column(String(2048))
    enabled_events: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16))  # enabled | disabled
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    # The signing secret (whsec_…): shown once at creation, kept to sign every delivery.
    secret: Mapped[str] = mapped_column(String(80))
    # Since when every attempt failed (None after any success); 3 days of it disables the endpoint.
    failing_since: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


class WebhookDelivery(Base):
    """One event for one endpoint: pending until a 2xx, or failed after three days."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | succeeded | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[int] = mapped_column(BigInteger)
    claimed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger)
    finished_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class WebhookAttempt(Base):
    """What one POST got back, for the API and for whoever debugs their receiver."""

    __tablename__ = "webhook_attempts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(40), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


def matches(patterns: list[Any], event_type: str) -> bool:
    """`*`, `invoice.*`, or an exact type, as in an endpoint's `enabled_events`."""
    return any(isinstance(p, str) and fnmatch.fnmatchcase(event_type, p) for p in patterns)


_NO_ENDPOINTS = "casapay.accounts_without_endpoints"


def has_enabled_endpoint(account_id: Any, livemode: Any) -> ColumnElement[bool]:
    """Whether the account has an enabled endpoint, as a column another query can carry (the
    receiver's recipient lookup): with `without_endpoints`, it spares the events a query."""
    return exists().where(
        WebhookEndpoint.account_id == account_id,
        WebhookEndpoint.livemode == livemode,
        WebhookEndpoint.status == "enabled",
        WebhookEndpoint.deleted.is_(False),
    )


def without_endpoints(session: Session, account_id: str, livemode: bool) -> None:
    """This transaction read that the account has no enabled endpoint: its events in this
    session schedule no delivery without asking again (the same answer, one round trip less)."""
    session.info.setdefault(_NO_ENDPOINTS, set()).add((account_id, livemode))


def schedule_deliveries(
    session: Session, event_id: str, event_type: str, account_id: str, livemode: bool, now: int
) -> list[str]:
    """A delivery for every enabled endpoint of the account that wants this type."""
    if (account_id, livemode) in session.info.get(_NO_ENDPOINTS, ()):
        session.flush()  # as the query would have: the event and its change become rows now
        return []
    # Two columns, not the entities: this runs for every event, most accounts have no endpoint.
    endpoints = session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.enabled_events).where(
            WebhookEndpoint.account_id == account_id,
            WebhookEndpoint.livemode == livemode,
            WebhookEndpoint.status == "enabled",
            WebhookEndpoint.deleted.is_(False),
        )
    ).all()
    created = []
    for endpoint_id, enabled_events in endpoints:
        if not matches(enabled_events, event_type):
            continue
        delivery = WebhookDelivery(
            id=new_id("whdel"),
            event_id=event_id,
            endpoint_id=endpoint_id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created=now,
        )
        session.add(delivery)
        enqueue_after_commit(session, WEBHOOK, delivery.id)
        created.append(delivery.id)
    session.flush()
    return created


def pending_counts(session: Session, event_ids: list[str]) -> dict[str, int]:
    """`pending_webhooks` of each event: deliveries not yet answered with a 2xx."""
    if not event_ids:
        return {}
    rows = session.execute(
        select(WebhookDelivery.event_id, func.count())
        .where(WebhookDelivery.event_id.in_(event_ids), WebhookDelivery.status == "pending")
        .group_by(WebhookDelivery.event_id)
    ).all()
    return {event_id: int(count) for event_id, count in rows}


def forget_events(session: Session, event_ids: Select[Any]) -> None:
    """Deliveries and attempts of purged events go with them."""
    deliveries = select(WebhookDelivery.id).where(WebhookDelivery.event_id.in_(event_ids))
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.event_id.in_(event_ids)))
