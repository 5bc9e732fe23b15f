"""The pipeline's state as gauges, read at scrape time from the database (the source of truth)
and the broker: how much work waits in each stage, how old its oldest item is, and the review
queue. The API process serves them (`casapay serve` too); the queries use the stages' indexes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from models.alias_invoices import AliasInvoice
from models.lifecycle import AliasInvoiceStatus, Phase
from models.payments import Notification
from models.queue import EXTRACT, NOTIFY, ROUTE, WEBHOOK, QueueUnavailable
from models.review import ReviewItem
from models.services import Services
from models.webhooks import WebhookDelivery

log = logging.getLogger(__name__)

WEBHOOK_LEASE_SECONDS = 60  # webhooks/delivery.py's lease: a claim younger than it is running
_OPEN = (AliasInvoiceStatus.RECEIVED, AliasInvoiceStatus.PROCESSING)


class PipelineGauges(Collector):
    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Any]:
        items = GaugeMetricFamily(
            "casapay_pipeline_items",
            "Work items not finished, by stage and state (waiting for a worker, running, or "
            "scheduled for a later retry), counted from the database.",
            labels=["stage", "state"],
        )
        oldest = GaugeMetricFamily(
            "casapay_pipeline_oldest_item_age_seconds",
            "Age of the oldest unfinished item of each stage (0 when there is none).",
            labels=["stage"],
        )
        review = GaugeMetricFamily(
            "casapay_review_queue_items", "Review items waiting for an ops decision."
        )
        review_age = GaugeMetricFamily(
            "casapay_review_queue_oldest_age_seconds",
            "Age of the oldest pending review item (0 when the queue is empty).",
        )
        up = GaugeMetricFamily(
            "casapay_pipeline_state_up", "1 when the database answered this scrape's queries."
        )
        now = self.services.clock()
        lease = self.services.settings.processing_lease_seconds
        try:
            with self.services.sessions() as session:
                for stage, row in _stage_rows(session, now, lease):
                    waiting, running, scheduled, first = row
                    items.add_metric([stage, "waiting"], waiting or 0)
                    items.add_metric([stage, "running"], running or 0)
                    items.add_metric([stage, "scheduled"], scheduled or 0)
                    oldest.add_metric([stage], max(0, now - first) if first else 0)
                count, first = session.execute(
                    select(func.count(), func.min(ReviewItem.created)).where(
                        ReviewItem.status == "pending"
                    )
                ).one()
                review.add_metric([], count)
                review_age.add_metric([], max(0, now - first) if first else 0)
        except Exception as exc:  # the scrape must still answer, and say the state is unknown
            log.warning("pipeline gauges unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            yield from self._broker()
            return
        up.add_metric([], 1)
        yield from (items, oldest, review, review_age, up)
        yield from self._broker()

    def _broker(self) -> Iterator[Any]:
        broker = GaugeMetricFamily(
            "casapay_broker_messages",
            "Messages in the broker not yet acknowledged (waiting, delayed or being worked on).",
            labels=["queue"],
        )
        try:
            for name in (EXTRACT, ROUTE, NOTIFY, WEBHOOK):
                broker.add_metric([name], self.services.queue.pending(name))
        except QueueUnavailable as exc:
            log.warning("broker gauges unavailable: %s", exc)
            return
        yield broker


def _stage_rows(session: Session, now: int, lease: int) -> Iterator[tuple[str, Any]]:
    for phase, stage in ((Phase.EXTRACT, EXTRACT), (Phase.ROUTE, ROUTE)):
        yield (
            stage,
            _counts(
                session,
                AliasInvoice.claimed_at,
                AliasInvoice.available_at,
                now - lease,
                None,
                (AliasInvoice.phase == phase, AliasInvoice.status.in_(_OPEN)),
            ),
        )
    yield (
        NOTIFY,
        _counts(
            session,
            Notification.claimed_at,
            Notification.created,
            now - lease,
            None,
            (Notification.status == "pending", Notification.channel == "email"),
        ),
    )
    yield (
        WEBHOOK,
        _counts(
            session,
            WebhookDelivery.claimed_at,
            WebhookDelivery.created,
            now - WEBHOOK_LEASE_SECONDS,
            WebhookDelivery.next_attempt_at > now,
            (WebhookDelivery.status == "pending",),
        ),
    )


def _counts(
    session: Session,
    claimed_at: Any,
    since: Any,
    stale_before: int,
    later: ColumnElement[bool] | None,
    where: tuple[ColumnElement[bool], ...],
) -> Any:
    """(waiting, running, scheduled, oldest `since`) of one stage's unfinished rows."""
    running = claimed_at >= stale_before
    if later is None:
        scheduled: Any = literal(0)
        waiting = case((running, 0), else_=1)
    else:
        scheduled = func.sum(case((running, 0), (later, 1), else_=0))
        waiting = case((running, 0), (later, 0), else_=1)
    return session.execute(
        select(
            func.sum(waiting),
            func.sum(case((running, 1), else_=0)),
            scheduled,
            func.min(since),
        ).where(*where)
    ).one()
