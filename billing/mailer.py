"""Outbound mail: an SMTP relay when configured, else .eml files in the outbox folder."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path


class MailError(Exception):
    code = "mail_delivery_failed"


class Mailer:
    def __init__(self, relay: str | None, outbox_dir: Path) -> None:
        self.relay = relay
        self.outbox_dir = outbox_dir

    def send(self, message: EmailMessage, name: str) -> None:
        """Deliver once per `name`: the outbox file is overwritten, not duplicated, on retry."""
        if self.relay:
            host, _, port = self.relay.rpartition(":")
            try:
                with smtplib.SMTP(host or self.relay, int(port or 25), timeout=30) as smtp:
                    smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as exc:
                raise MailError(f"relay {self.relay} refused the message: {exc}") from exc
            return
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.outbox_dir / f".{name}.tmp"
        tmp.write_bytes(bytes(message))
        tmp.replace(self.outbox_dir / f"{name}.eml")
