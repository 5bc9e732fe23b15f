"""The webhooks stage's actor: post one delivery, and the periodic task that finds due ones.

Dramatiq does not retry this actor: the next attempt is a row in the database (see delivery.py),
sent again by `send_due`, which the worker runs on its schedule.
"""

from __future__ import annotations

from sqlalchemy import select

from models import metrics
from models.queue import WEBHOOK, ActorSpec
from models.services import Services
from models.unit_of_work import Job, send, unit_of_work
from models.webhooks import WebhookDelivery
from webhooks import delivery

BATCH = 500


def run_deliver(services: Services, delivery_id: str) -> None:
    with unit_of_work(services) as session:
        plan = delivery.claim(session, delivery_id, now=services.clock())
    if plan is None:
        return
    outcome = delivery.post(plan, timestamp=services.clock())
    with unit_of_work(services) as session:
        delivery.record(session, plan, outcome, now=services.clock())
    metrics.webhook_attempt(outcome.succeeded)


def send_due(services: Services) -> list[str]:
    """Queue every delivery whose next attempt is due (first tries are queued at once anyway)."""
    now = services.clock()
    with services.sessions() as session:
        ids = list(
            session.scalars(
                select(WebhookDelivery.id)
                .where(delivery.due(now))
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(BATCH)
            )
        )
    send(services.queue, [Job(WEBHOOK, (i,)) for i in ids])
    return ids


ACTORS = (ActorSpec(WEBHOOK, run_deliver, time_limit_ms=60_000, max_retries=0),)
