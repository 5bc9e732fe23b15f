"""Delivering one event to one endpoint: claim, POST (10 s, any 2xx is done), record, reschedule.

At least once: a delivery is claimed and committed before the POST, and its outcome recorded
after, so a worker that dies mid-POST leaves a claim that is taken over after a short lease (the
receiver may then see the event twice; it deduplicates on the event id). Failed attempts are
retried with exponential backoff for three days; an endpoint that has failed for three days is
disabled, with a `webhook_endpoint.disabled` event. The schedule is `next_attempt_at` in the
database, read by the worker, so it survives a Redis loss, which Dramatiq's own retries would not.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session

from models import metrics
from models.events import Event, event_json
from models.ids import new_id
from models.unit_of_work import current
from models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, pending_counts
from webhooks.endpoints import disable_for_failures
from webhooks.signing import HEADER, signature_header

TIMEOUT_SECONDS = 10.0
LEASE_SECONDS = 60  # well above the timeout: a claim this old belongs to a dead worker
RETRY_WINDOW_SECONDS = 3 * 86400
FIRST_BACKOFF_SECONDS = 60
MAX_BACKOFF_SECONDS = 12 * 3600
USER_AGENT = "CasaPay-Webhooks/1.0"


@dataclass(frozen=True)
class Plan:
    """One claimed attempt: everything the POST needs, read before the transaction ends."""

    delivery_id: str
    attempt: int
    endpoint_id: str
    event_id: str
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempt: int) -> int:
    """Seconds before the next try after `attempt` failures: 1, 2, 4 … minutes, at most 12 h."""
    return int(min(FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))


def due(now: int) -> Any:
    """Deliveries whose next attempt is due and that no live worker holds."""
    return and_(
        WebhookDelivery.status == "pending",
        WebhookDelivery.next_attempt_at <= now,
        or_(
            WebhookDelivery.claimed_at.is_(None),
            WebhookDelivery.claimed_at < now - LEASE_SECONDS,
        ),
    )


def claim(session: Session, delivery_id: str, *, now: int) -> Plan | None:
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    if delivery is None or delivery.status != "pending":
        return None
    endpoint = session.get_one(WebhookEndpoint, delivery.endpoint_id)
    if endpoint.deleted or endpoint.status != "enabled":
        delivery.status, delivery.finished_at = "failed", now  # nobody to deliver to any more
        return None
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(WebhookDelivery)
        .where(
            due(now),
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.attempts == delivery.attempts,
        )
        .values(attempts=delivery.attempts + 1, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None  # not due yet, or another worker has it
    event = session.scalars(select(Event).where(Event.id == delivery.event_id)).one()
    pending = pending_counts(session, [event.id]).get(event.id, 0)
    body = json.dumps(event_json(event, pending), separators=(",", ":")).encode()
    return Plan(
        delivery_id=delivery.id,
        attempt=delivery.attempts + 1,
        endpoint_id=endpoint.id,
        event_id=event.id,
        url=endpoint.url,
        secret=endpoint.secret,
        body=body,
    )


def post(plan: Plan, *, timestamp: int) -> Outcome:
    """One POST; only the status line is read, so a huge or endless reply costs nothing."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        HEADER: signature_header(plan.body, plan.secret, timestamp),
    }
    started = time.monotonic()
    try:
        with httpx.stream(
            "POST",
            plan.url,
            content=plan.body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            follow_redirects=False,
        ) as response:
            status: int | None = response.status_code
            error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"[:1000]
    return Outcome(status, int((time.monotonic() - started) * 1000), error)


def record(session: Session, plan: Plan, outcome: Outcome, *, now: int) -> None:
    # The endpoint row first: its failure clock is shared by concurrent deliveries, and taking
    # the lock before the attempt's foreign key does keeps them from deadlocking.
    endpoint = session.get_one(WebhookEndpoint, plan.endpoint_id, with_for_update=True)
    session.add(
        WebhookAttempt(
            id=new_id("wha"),
            delivery_id=plan.delivery_id,
            endpoint_id=plan.endpoint_id,
            event_id=plan.event_id,
            url=plan.url,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            succeeded=outcome.succeeded,
            created=now,
        )
    )
    delivery = session.get_one(WebhookDelivery, plan.delivery_id, populate_existing=True)
    if delivery.status != "pending" or delivery.attempts != plan.attempt:
        return  # a newer attempt took over after our lease; it decides
    delivery.claimed_at = None
    if outcome.succeeded:
        delivery.status, delivery.finished_at = "succeeded", now
        endpoint.failing_since = None
        return
    if now - delivery.created >= RETRY_WINDOW_SECONDS:
        delivery.status, delivery.finished_at = "failed", now
        current(session).after_commit(metrics.webhook_given_up)
    else:
        delivery.next_attempt_at = now + backoff(plan.attempt)
    endpoint.failing_since = endpoint.failing_since or now
    if endpoint.status == "enabled" and now - endpoint.failing_since >= RETRY_WINDOW_SECONDS:
        disable_for_failures(
            session,
            endpoint,
            f"Every delivery attempt failed for 3 days (last: {outcome.error}).",
        )
