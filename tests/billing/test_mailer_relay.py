"""Tenant emails through a real SMTP relay when one is configured."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from billing.mailer import Mailer, MailError
from tests.conftest import free_port


class Sink:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.original_content)
        return "250 OK"


def test_relay_receives_the_message(tmp_path: Path) -> None:
    sink = Sink()
    port = free_port()
    relay = Controller(sink, hostname="127.0.0.1", port=port)
    relay.start()
    try:
        message = EmailMessage()
        message["From"] = "no-reply@casapay.me"
        message["To"] = "jane@example.com"
        message["Subject"] = "Payment request"
        message.set_content("Pay here")
        Mailer(f"127.0.0.1:{port}", tmp_path / "outbox").send(message, "ntf_1")
    finally:
        relay.stop()
    (raw,) = sink.messages
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == "Payment request"
    assert not (tmp_path / "outbox").exists()  # with a relay, nothing is written locally


def test_relay_down_is_a_mail_error(tmp_path: Path) -> None:
    message = EmailMessage()
    message["To"] = "jane@example.com"
    message.set_content("x")
    with pytest.raises(MailError):
        Mailer(f"127.0.0.1:{free_port()}", tmp_path).send(message, "ntf_2")
