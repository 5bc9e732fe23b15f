"""Tenant notifications through a transactional outbox.

The row is written in the same transaction as the invoice and payment request; the notify actor
delivers it after commit. A crash between the two delays the mail, it never loses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from billing.mailer import Mailer
from models.blobstore import BlobStore
from models.ids import new_id
from models.payments import Notification, PaymentRequest


def queue_email(
    session: Session,
    *,
    account_id: str,
    customer_id: str,
    kind: str,
    subject_id: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[tuple[str, str, str]] = (),
    now: int,
) -> Notification:
    """attachments: (blob key, filename, content type)."""
    payload: dict[str, Any] = {
        "to": to,
        "subject": subject,
        "text": text,
        "html": html,
        "attachments": [list(a) for a in attachments],
    }
    return _add(session, account_id, customer_id, "email", kind, subject_id, payload, now)


def record_wallet_entry(
    session: Session,
    *,
    account_id: str,
    customer_id: str,
    kind: str,
    subject_id: str,
    payload: dict[str, Any],
    now: int,
) -> Notification:
    """The tenant's wallet feed reads these rows directly: stored means delivered."""
    row = _add(session, account_id, customer_id, "wallet", kind, subject_id, payload, now)
    row.status = "sent"
    row.sent_at = now
    return row


def _add(
    session: Session,
    account_id: str,
    customer_id: str,
    channel: str,
    kind: str,
    subject_id: str,
    payload: dict[str, Any],
    now: int,
) -> Notification:
    row = Notification(
        id=new_id("ntf"),
        account_id=account_id,
        customer_id=customer_id,
        channel=channel,
        kind=kind,
        subject_id=subject_id,
        payload=payload,
        status="pending",
        attempts=0,
        created=now,
    )
    session.add(row)
    session.flush()
    return row


def build_message(row: Notification, mail_from: str, blobs: BlobStore) -> EmailMessage:
    payload = row.payload
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Message-ID"] = make_msgid(idstring=row.id, domain="casapay.me")
    message.set_content(payload["text"])
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    for key, filename, content_type in payload.get("attachments", []):
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(
            blobs.get(key), maintype=maintype, subtype=subtype, filename=filename
        )
    return message


def deliver(
    session: Session, row: Notification, mailer: Mailer, mail_from: str, blobs: BlobStore, now: int
) -> bool:
    """Send one pending email; returns False when there was nothing to do (already sent)."""
    if row.status != "pending" or row.channel != "email":
        return False
    row.attempts += 1
    mailer.send(build_message(row, mail_from, blobs), row.id)
    row.status = "sent"
    row.sent_at = now
    if row.kind == "payment_request":
        session.execute(
            update(PaymentRequest)
            .where(PaymentRequest.id == row.subject_id, PaymentRequest.status == "pending")
            .values(status="sent", sent_at=now)
        )
    return True
