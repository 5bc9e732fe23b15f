"""Tenant notifications through a transactional outbox.

The row is written in the same transaction as the change it reports (models/notices.py decides
which), and the notify actor renders and delivers it after commit. A crash between the two
delays the mail, it never loses it. Sending holds no lock: an attempt claims the row, sends,
then records the outcome; a resend after a lost commit carries the same Message-ID.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, update
from sqlalchemy.orm import Session

from billing import payment_requests
from billing.emails import render
from models.blobstore import BlobStore
from models.ids import new_id
from models.payments import Notification


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
    row = Notification(
        id=new_id("ntf"),
        account_id=account_id,
        customer_id=customer_id,
        channel="wallet",
        kind=kind,
        subject_id=subject_id,
        payload=payload,
        status="sent",
        attempts=0,
        created=now,
        sent_at=now,
    )
    session.add(row)
    session.flush()
    return row


def build_message(row: Notification, mail_from: str, blobs: BlobStore) -> EmailMessage:
    """The multipart text + HTML mail, rendered now in the tenant's language."""
    payload = row.payload
    rendered = render(
        payload["template"], payload["locale"], payload.get("name"), payload["context"]
    )
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = payload["to"]
    if payload.get("reply_to"):
        message["Reply-To"] = payload["reply_to"]
    message["Subject"] = rendered.subject
    message["Message-ID"] = message_id(row.id, mail_from)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    for key, filename, content_type in payload.get("attachments", []):
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(
            blobs.get(key), maintype=maintype, subtype=subtype, filename=filename
        )
    # Last: set_content and add_attachment move or drop Content-* headers set before them.
    message["Content-Language"] = payload["locale"]
    return message


def message_id(notification_id: str, mail_from: str) -> str:
    """Derived from the notification alone: a resend (the commit after a send failed) is the
    same message, which mail systems deduplicate."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "casapay.me"
    return f"<{notification_id}@{domain}>"


def _pending(notification_id: str) -> ColumnElement[bool]:
    return and_(Notification.id == notification_id, Notification.status == "pending")


def claim_email(
    session: Session, notification_id: str, *, now: int, lease_seconds: int, max_attempts: int
) -> Notification | None:
    """Take one pending email for one send attempt (no lock is held while it is sent); None if
    sent, taken by a live worker, or just failed for want of attempts."""
    row = session.get(Notification, notification_id, populate_existing=True)
    if row is None or row.status != "pending" or row.channel != "email":
        return None
    if row.claimed_at is not None and row.claimed_at >= now - lease_seconds:
        return None
    unchanged = and_(_pending(row.id), Notification.attempts == row.attempts)
    if row.attempts >= max_attempts:
        error = row.last_error or "the sender stopped without finishing"
        _update(session, unchanged, status="failed", claimed_at=None, last_error=error)
        return None
    if not _update(session, unchanged, attempts=row.attempts + 1, claimed_at=now):
        return None
    session.refresh(row)
    return row


def mark_sent(session: Session, row: Notification, *, now: int) -> None:
    where = and_(_pending(row.id), Notification.attempts == row.attempts)
    if not _update(session, where, status="sent", sent_at=now, claimed_at=None, last_error=None):
        return  # a newer attempt took over after our lease; it records the outcome
    if row.kind == "payment_request":
        payment_requests.mark_sent(session, row.subject_id, now=now)


def release_email(session: Session, row: Notification, error: str, *, max_attempts: int) -> bool:
    """The send failed: pending again for a retry, or failed once the budget is spent."""
    where = and_(_pending(row.id), Notification.attempts == row.attempts)
    spent = row.attempts >= max_attempts
    _update(
        session,
        where,
        status="failed" if spent else "pending",
        claimed_at=None,
        last_error=error[:1000],
    )
    return spent


def _update(session: Session, where: ColumnElement[bool], **values: Any) -> bool:
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Notification)
        .where(where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
