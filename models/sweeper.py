"""Re-send work whose message was lost: a lost message delays work, it never loses it.

Which rows wait for which stage is the lifecycle's rule; the sweeper only finds them. A row
whose stage spent its attempt budget is failed here rather than re-sent, so poison work ends.
"""

from __future__ import annotations

import logging

from sqlalchemy import and_, or_, select

from models import lifecycle
from models.alias_invoices import AliasInvoice
from models.lifecycle import Limits, Phase
from models.payments import Notification
from models.queue import EXTRACT, NOTIFY, ROUTE
from models.services import Services
from models.unit_of_work import Job, send, unit_of_work

log = logging.getLogger(__name__)

STAGE_OF_PHASE = {Phase.EXTRACT: EXTRACT, Phase.ROUTE: ROUTE}
BATCH = 500


def sweep(services: Services, grace_seconds: int | None = None) -> list[tuple[str, str]]:
    """Find stuck rows and enqueue them again; returns what was sent, for tests and logs."""
    now = services.clock()
    grace = (
        int(services.settings.sweep_interval_seconds * 2)
        if grace_seconds is None
        else grace_seconds
    )
    limits = Limits.of(services.settings)
    stale = now - limits.lease_seconds
    jobs: list[Job] = []
    with unit_of_work(services) as session:
        for phase, stage in STAGE_OF_PHASE.items():
            waiting = and_(
                lifecycle.claimable(phase, now, limits),
                or_(AliasInvoice.claimed_at.is_not(None), AliasInvoice.available_at <= now - grace),
            )
            for row in session.scalars(select(AliasInvoice).where(waiting).limit(BATCH)):
                if not lifecycle.exhaust_if_spent(session, row, now=now, limits=limits):
                    jobs.append(Job(stage, (row.id,)))
        for notification_id in session.scalars(
            select(Notification.id)
            .where(
                Notification.status == "pending",
                Notification.channel == "email",
                or_(
                    and_(Notification.claimed_at.is_(None), Notification.created <= now - grace),
                    Notification.claimed_at < stale,
                ),
            )
            .limit(BATCH)
        ):
            jobs.append(Job(NOTIFY, (notification_id,)))
    send(services.queue, jobs)
    if jobs:
        log.info("sweeper re-sent %d message(s)", len(jobs))
    return [(job.actor, job.args[0]) for job in jobs]
