"""Reply to fix: a reply to a tenant email lands on `<alias>+<alias_invoice_id>@<domain>`.

The receiver accepts these addresses at RCPT like the alias itself. A reply from the tenant (the
customer's address) or from the invoice's original sender, carrying a document, puts that
document on the same alias invoice and sends it round again (failed → received → …). Anyone else
is refused with a permanent 5xx, as is a reply with nothing to fix or nothing attached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from email.utils import parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.aliases import find_alias_by_address
from ingest.mime import ParsedMail
from ingest.receiver import Accepted, accept_message, document_key
from ingest.refusals import MailRefused
from ingest.sender_auth import HELD_VERDICTS
from models import lifecycle
from models.alias_invoices import AliasInvoice, InboundMessage
from models.customers import Customer, EmailAlias
from models.ids import new_id
from models.lifecycle import NewDocument
from models.queue import EXTRACT
from models.replies import parse_reply_local
from models.services import Services
from models.unit_of_work import enqueue_after_commit, unit_of_work


class ReplyRefused(MailRefused):
    """The reply cannot fix its alias invoice (wrong sender, nothing to fix, nothing attached)."""

    code = 550
    status = "5.7.1"


class NothingAttached(MailRefused):
    code = 550
    status = "5.6.0"


def reply_alias(session: Session, local_part: str, domain: str) -> EmailAlias | None:
    """The alias a reply address belongs to, when it names one of that alias's invoices."""
    parsed = parse_reply_local(local_part)
    if parsed is None:
        return None
    alias_local, alias_invoice_id = parsed
    alias = find_alias_by_address(session, alias_local, domain)
    if alias is None:
        return None
    row = session.get(AliasInvoice, alias_invoice_id)
    return alias if row is not None and row.email_alias_id == alias.id else None


def accept(
    services: Services,
    mail_from: str,
    rcpt_tos: Sequence[str],
    raw: bytes,
    parsed: ParsedMail,
    sender_auth: dict[str, Any] | None = None,
) -> Accepted:
    """The receiver's DATA step: replies fix their alias invoices; other recipients get the
    ordinary path. Raises MailRefused (a 5xx for the whole message) for a reply it refuses."""
    replies = [a for a in rcpt_tos if parse_reply_local(a.rpartition("@")[0])]
    if not replies:
        return accept_message(services, mail_from, rcpt_tos, raw, parsed, sender_auth)
    if sender_auth and sender_auth.get("enforced") and sender_auth.get("verdict") in HELD_VERDICTS:
        raise ReplyRefused(
            "The reply's sender could not be authenticated (SPF, DKIM, DMARC), so it cannot "
            "change an invoice; forward the invoice to the alias instead."
        )
    fixed = [_apply(services, mail_from, address, raw, parsed) for address in replies]
    others = [a for a in rcpt_tos if a not in replies]
    if others:
        return accept_message(services, mail_from, others, raw, parsed, sender_auth)
    return Accepted(fixed[0], (), False)


def _apply(services: Services, mail_from: str, address: str, raw: bytes, parsed: ParsedMail) -> str:
    """Attach the reply's document to the alias invoice it names; returns the message id."""
    local, _, _domain = address.rpartition("@")
    target = parse_reply_local(local)
    assert target is not None
    alias_invoice_id = target[1]
    if parsed.documents:
        document = parsed.documents[0]
        services.blobs.put(document_key(document), document.data, document.content_type)
    digest = hashlib.sha256(raw + alias_invoice_id.encode()).hexdigest()
    try:
        with unit_of_work(services) as session:
            return _reopen(services, session, alias_invoice_id, mail_from, raw, parsed, digest)
    except IntegrityError:  # the same reply on two connections at once: the other one won
        with services.sessions() as session:
            message_id = session.scalar(
                select(InboundMessage.id).where(InboundMessage.sha256 == digest)
            )
        assert message_id is not None
        return message_id


def _reopen(
    services: Services,
    session: Session,
    alias_invoice_id: str,
    mail_from: str,
    raw: bytes,
    parsed: ParsedMail,
    digest: str,
) -> str:
    seen = session.scalar(select(InboundMessage.id).where(InboundMessage.sha256 == digest))
    if seen is not None:
        return seen  # the same reply delivered again: it was applied once
    row = session.get(AliasInvoice, alias_invoice_id, with_for_update=True)
    assert row is not None  # checked at RCPT; alias invoices are never deleted
    _check_sender(session, row, mail_from, parsed)
    if row.status != lifecycle.AliasInvoiceStatus.FAILED:
        raise ReplyRefused(
            f"Invoice {row.id} is {row.status}: it is not waiting for a document. Forward new "
            f"invoices to {row.alias_email}."
        )
    if not parsed.documents:
        raise NothingAttached(
            f"No document attached: reply with invoice {row.id} attached as a PDF or a photo."
        )
    now = services.clock()
    message = InboundMessage(
        id=new_id("msg"),
        sha256=digest,
        message_id=parsed.message_id[:998] if parsed.message_id else None,
        raw_blob_key=f"messages/{hashlib.sha256(raw).hexdigest()}.eml",
        mail_from=mail_from[:320],
        sender_email=parsed.sender_email or mail_from or None,
        subject=parsed.subject,
        size=len(raw),
        pdf_count=len(parsed.documents),
        received_at=now,
    )
    services.blobs.put(message.raw_blob_key, raw, "message/rfc822")
    session.add(message)
    document = parsed.documents[0]
    lifecycle.reopen(
        session,
        row,
        now=now,
        document=NewDocument(document_key(document), document.filename, document.content_type),
    )
    enqueue_after_commit(session, EXTRACT, row.id)
    return message.id


def _check_sender(session: Session, row: AliasInvoice, mail_from: str, parsed: ParsedMail) -> None:
    """Only the tenant's known address or the invoice's original sender may fix it."""
    customer = session.get_one(Customer, row.customer_id)
    allowed = {a.lower() for a in (customer.email, row.sender_email) if a}
    senders = {parseaddr(a)[1].lower() for a in (parsed.sender_email, mail_from) if a}
    if not allowed & senders:
        raise ReplyRefused(
            f"Only the tenant or the original sender of invoice {row.id} may reply to it; "
            "forward new invoices to the alias instead."
        )
