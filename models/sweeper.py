"""Re-enqueue work whose message was lost: a lost message delays work, it never loses it."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import and_, or_, select

from models.alias_invoices import AliasInvoice
from models.payments import Notification
from models.queue import EXTRACT, NOTIFY, ROUTE, QueueUnavailable
from models.services import Services

log = logging.getLogger(__name__)


def sweep(services: Services, grace_seconds: int | None = None) -> list[tuple[str, str]]:
    """Find stuck rows and enqueue them again; returns what was sent, for tests and logs."""
    now = services.clock()
    grace = (
        int(services.settings.sweep_interval_seconds * 2)
        if grace_seconds is None
        else grace_seconds
    )
    lease_expired = now - services.settings.processing_lease_seconds
    found: list[tuple[str, str]] = []
    with services.sessions() as session:
        for row_id in session.scalars(
            select(AliasInvoice.id)
            .where(
                or_(
                    and_(
                        AliasInvoice.status == "received", AliasInvoice.received_at <= now - grace
                    ),
                    and_(
                        AliasInvoice.status == "processing",
                        AliasInvoice.extracted_at.is_(None),
                        AliasInvoice.claimed_at < lease_expired,
                    ),
                )
            )
            .limit(500)
        ):
            found.append((EXTRACT, row_id))
        for row_id in session.scalars(
            select(AliasInvoice.id)
            .where(
                AliasInvoice.status == "processing",
                AliasInvoice.extracted_at <= now - grace,
            )
            .limit(500)
        ):
            found.append((ROUTE, row_id))
        for row_id in session.scalars(
            select(Notification.id)
            .where(Notification.status == "pending", Notification.created <= now - grace)
            .limit(500)
        ):
            found.append((NOTIFY, row_id))
    for actor, row_id in found:
        try:
            services.queue.enqueue(actor, row_id)
        except QueueUnavailable:
            log.warning("queue down during sweep; will try again")
            break
    if found:
        log.info("sweeper re-enqueued %d message(s)", len(found))
    return found


class Sweeper(threading.Thread):
    def __init__(self, services: Services) -> None:
        super().__init__(name="casapay-sweeper", daemon=True)
        self.services = services
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.services.settings.sweep_interval_seconds):
            try:
                sweep(self.services)
            except Exception:  # the sweeper must outlive a database blip; it runs again soon
                log.exception("sweep failed")

    def stop(self) -> None:
        self.stopped.set()
