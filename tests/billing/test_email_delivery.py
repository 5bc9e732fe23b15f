"""Tenant emails are idempotent: the Message-ID comes from the notification id, so a resend after
a lost commit is the same message; no row lock is held across the SMTP conversation; a relay
that keeps refusing ends the email `failed` with the last error."""

from __future__ import annotations

import dataclasses
import threading
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from billing.actors import run_notify
from billing.mailer import Mailer, MailError
from billing.notifications import build_message, claim_email
from models.notices import queue_tenant_email
from models.payments import Notification
from models.services import Services
from models.sweeper import sweep
from models.unit_of_work import unit_of_work
from tests.conftest import FakeClock, free_port, new_account


class Relay:
    """A real SMTP relay on loopback that keeps what it receives; `during` runs mid-DATA."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.during: Any = None
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.during is not None:
            self.during()
        self.messages.append(envelope.original_content)
        return "250 OK"


def with_relay(services: Services, address: str) -> Services:
    settings = dataclasses.replace(services.settings, outbound_smtp=address)
    return dataclasses.replace(services, settings=settings)


def pending_email(services: Services) -> str:
    account_id, _, _ = new_account(services)
    from billing.customers import create_customer

    with unit_of_work(services) as session:
        customer = create_customer(
            session, account_id, False, email="jane@example.com", name="Jane", metadata={}, now=0
        )
        row = queue_tenant_email(
            session,
            kind="payment_request",
            customer=customer,
            subject_id=customer.id,
            context={"amount": 1000, "currency": "eur", "link": "http://testserver/pay/pr_1"},
            now=services.clock(),
        )
        assert row is not None
        return row.id


def notification(services: Services, notification_id: str) -> Notification:
    with services.sessions() as session:
        return session.get_one(Notification, notification_id)


def test_a_resend_after_a_lost_commit_is_the_same_message(
    services: Services, clock: FakeClock
) -> None:
    relay = Relay()
    relay.controller.start()
    try:
        services = with_relay(services, f"127.0.0.1:{relay.port}")
        ntf = pending_email(services)
        # A worker claims and sends, then dies before recording "sent" (or its commit fails).
        with unit_of_work(services) as session:
            row = claim_email(session, ntf, now=clock(), lease_seconds=900, max_attempts=5)
        assert row is not None
        message = build_message(row, services.settings.mail_from, services.blobs)
        Mailer(services.settings.outbound_smtp, services.settings.outbox_dir).send(message, ntf)
        clock.advance(services.settings.processing_lease_seconds + 1)
        assert ("notify", ntf) in sweep(services)
        run_notify(services, ntf)
    finally:
        relay.controller.stop()
    first, second = (message_from_bytes(m, policy=policy.default) for m in relay.messages)
    assert first["Message-ID"] == second["Message-ID"] == f"<{ntf}@casapay.me>"
    assert notification(services, ntf).status == "sent"
    assert sweep(services, grace_seconds=0) == []


def test_no_row_lock_is_held_while_the_relay_talks(services: Services) -> None:
    relay = Relay()
    services = with_relay(services, f"127.0.0.1:{relay.port}")
    ntf = pending_email(services)
    seen: list[str] = []

    def lock_the_row() -> None:
        # Runs while the relay receives DATA: another transaction must get the row at once.
        def probe() -> None:
            with services.engine.connect() as conn:
                conn.execute(text("SET lock_timeout = '2s'"))
                status = conn.execute(
                    text("SELECT status FROM notifications WHERE id = :id FOR UPDATE NOWAIT"),
                    {"id": ntf},
                ).scalar_one()
                seen.append(status)

        thread = threading.Thread(target=probe)
        thread.start()
        thread.join(10)

    relay.during = lock_the_row
    relay.controller.start()
    try:
        run_notify(services, ntf)
    finally:
        relay.controller.stop()
    assert seen == ["pending"]
    assert notification(services, ntf).status == "sent"


def test_a_relay_that_keeps_refusing_ends_failed_with_the_last_error(
    services: Services, clock: FakeClock
) -> None:
    services = with_relay(services, f"127.0.0.1:{free_port()}")  # nothing listens there
    ntf = pending_email(services)
    budget = services.settings.max_attempts
    for _ in range(budget - 1):
        with pytest.raises(MailError):  # raised so that Dramatiq retries with backoff
            run_notify(services, ntf)
    run_notify(services, ntf)  # the last attempt fails the email instead
    failed = notification(services, ntf)
    assert (failed.status, failed.attempts) == ("failed", budget)
    assert failed.last_error and failed.last_error.startswith("MailError: relay")
    clock.advance(3600)
    assert sweep(services) == []
