"""Building and sending test mail."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage


def mail_with_pdfs(
    to: str | list[str],
    pdfs: list[tuple[str, bytes]] | None = None,
    *,
    sender: str = "billing@northside.example",
    subject: str = "Invoice INV-2026-0042",
    message_id: str = "<inv-0042@northside.example>",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Northside Billing <{sender}>"
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Mon, 05 Jan 2026 09:00:00 +0000"
    message.set_content("Please find your invoice attached.")
    for filename, data in pdfs or []:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return message


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def send(
    port: int,
    message: EmailMessage | bytes,
    to: list[str],
    sender: str = "billing@northside.example",
) -> dict[str, tuple[int, bytes]]:
    """Send over a real SMTP socket; returns refused recipients (raises on a refused DATA)."""
    raw = message if isinstance(message, bytes) else crlf(bytes(message))
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.sendmail(sender, to, raw)
