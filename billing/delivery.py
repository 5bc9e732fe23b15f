"""The notify stage: deliver one outbox email."""

from __future__ import annotations

from billing.mailer import Mailer
from billing.notifications import deliver
from models.db import transaction
from models.payments import Notification
from models.services import Services


def run_notify(services: Services, notification_id: str) -> None:
    settings = services.settings
    mailer = Mailer(settings.outbound_smtp, settings.outbox_dir)
    with transaction(services.sessions) as session:
        row = session.get(Notification, notification_id, with_for_update=True)
        if row is None:
            return
        deliver(session, row, mailer, settings.mail_from, services.blobs, services.clock())
