"""The notify stage's actor: deliver one outbox email.

The attempt is claimed and committed first, the mail is sent with no transaction open, and the
outcome is recorded after: no row lock is held across the SMTP conversation. A relay that keeps
refusing ends the email `failed` after CASAPAY_MAX_ATTEMPTS, with the last error kept.
"""

from __future__ import annotations

import logging

from billing.mailer import Mailer
from billing.notifications import build_message, claim_email, mark_sent, release_email
from models import metrics
from models.queue import NOTIFY, ActorSpec
from models.services import Services
from models.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def run_notify(services: Services, notification_id: str) -> None:
    settings = services.settings
    with unit_of_work(services) as session:
        row = claim_email(
            session,
            notification_id,
            now=services.clock(),
            lease_seconds=settings.processing_lease_seconds,
            max_attempts=settings.max_attempts,
        )
    if row is None:
        return
    try:
        message = build_message(row, settings.mail_from, services.blobs)
        Mailer(settings.outbound_smtp, settings.outbox_dir).send(message, row.id)
    except BaseException as exc:
        metrics.email_attempt(sent=False)
        with unit_of_work(services) as session:
            spent = release_email(
                session, row, f"{type(exc).__name__}: {exc}", max_attempts=settings.max_attempts
            )
        if spent:
            metrics.email_given_up()
            log.warning("email %s failed after %d attempts: %s", row.id, row.attempts, exc)
            return
        raise
    metrics.email_attempt(sent=True)
    with unit_of_work(services) as session:
        mark_sent(session, row, now=services.clock())
    log.info("email %s (%s) sent", row.id, row.kind)


ACTORS = (ActorSpec(NOTIFY, run_notify, time_limit_ms=60_000, max_retries=10),)
