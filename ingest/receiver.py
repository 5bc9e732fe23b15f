"""What happens to an accepted message, as a plain function the SMTP handler and tests call.

Store the raw bytes and each document (content-addressed, so a retry rewrites the same keys), then
record the message and one alias invoice per (document, alias recipient) in one transaction. Only
after the commit are the new rows queued; the sweeper covers a queue that is down.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.aliases import find_alias_by_address
from ingest.documents import Document
from ingest.mime import ParsedMail, parse_mail
from models.alias_invoices import AliasInvoice, InboundMessage
from models.customers import EmailAlias
from models.db import transaction
from models.ids import new_id
from models.queue import EXTRACT, QueueUnavailable
from models.services import Services

log = logging.getLogger(__name__)

NO_PDF_MESSAGE = (
    "The message carried no invoice document. Forward the invoice again with the PDF or a "
    "photo of it attached (not as a link)."
)


@dataclass(frozen=True)
class Accepted:
    message_id: str
    created: tuple[str, ...]  # new alias invoice ids (empty for a repeated delivery)
    duplicate: bool


def accept_message(
    services: Services,
    mail_from: str,
    rcpt_tos: Sequence[str],
    raw: bytes,
    parsed: ParsedMail | None = None,
) -> Accepted:
    """Store and record a message. The receiver hands over what its parser pool parsed; without
    it the message is parsed here (MailRefused for a defective one)."""
    if parsed is None:
        parsed = parse_mail(raw)
    digest = hashlib.sha256(raw).hexdigest()
    raw_key = f"messages/{digest}.eml"
    services.blobs.put(raw_key, raw, "message/rfc822")
    for document in parsed.documents:
        services.blobs.put(document_key(document), document.data, document.content_type)
    try:
        accepted, queued = _record(services, digest, raw_key, mail_from, rcpt_tos, raw, parsed)
    except IntegrityError:
        # The same message arrived on two connections at once; the other one won the insert.
        accepted, queued = _record(services, digest, raw_key, mail_from, rcpt_tos, raw, parsed)
    for alias_invoice_id in queued:
        try:
            services.queue.enqueue(EXTRACT, alias_invoice_id)
        except QueueUnavailable:
            log.warning("queue down; the sweeper will pick up %s", alias_invoice_id)
    return accepted


def document_key(document: Document) -> str:
    """Content-addressed, with the real extension: a retried delivery rewrites the same key."""
    return f"documents/{document.sha256}.{document.extension}"


def _record(
    services: Services,
    digest: str,
    raw_key: str,
    mail_from: str,
    rcpt_tos: Sequence[str],
    raw: bytes,
    parsed: ParsedMail,
) -> tuple[Accepted, list[str]]:
    """Returns what was accepted and the new alias invoices to queue for extraction."""
    now = services.clock()
    created: list[tuple[str, str]] = []
    with transaction(services.sessions) as session:
        message = session.scalar(select(InboundMessage).where(InboundMessage.sha256 == digest))
        duplicate = message is not None
        if message is None:
            message = InboundMessage(
                id=new_id("msg"),
                sha256=digest,
                message_id=parsed.message_id[:998] if parsed.message_id else None,
                raw_blob_key=raw_key,
                mail_from=mail_from[:320],
                sender_email=(parsed.sender_email or mail_from or None),
                subject=parsed.subject,
                size=len(raw),
                pdf_count=len(parsed.documents),  # documents: PDFs and photos
                received_at=now,
            )
            session.add(message)
            session.flush()
        for alias in _aliases(session, rcpt_tos):
            created.extend(_alias_invoices(session, message, alias, parsed, now))
    accepted = Accepted(message.id, tuple(ainv for ainv, _ in created), duplicate)
    return accepted, [ainv for ainv, status in created if status == "received"]


def _aliases(session: Session, rcpt_tos: Sequence[str]) -> list[EmailAlias]:
    seen: dict[str, EmailAlias] = {}
    for address in rcpt_tos:
        local, _, domain = address.rpartition("@")
        alias = find_alias_by_address(session, local, domain)
        if alias is not None:
            seen.setdefault(alias.id, alias)
    return list(seen.values())


def _alias_invoices(
    session: Session, message: InboundMessage, alias: EmailAlias, parsed: ParsedMail, now: int
) -> list[tuple[str, str]]:
    existing = set(
        session.scalars(
            select(AliasInvoice.attachment_index).where(
                AliasInvoice.inbound_message_id == message.id,
                AliasInvoice.email_alias_id == alias.id,
            )
        )
    )
    wanted: list[tuple[int, Document | None]] = list(enumerate(parsed.documents)) or [(-1, None)]
    created = []
    for index, document in wanted:
        if index in existing:
            continue  # a repeated delivery: this invoice is already recorded
        key = document_key(document) if document else None
        status = "received" if key else "failed"
        row = AliasInvoice(
            id=new_id("ainv"),
            account_id=alias.account_id,
            livemode=alias.livemode,
            email_alias_id=alias.id,
            alias_email=alias.email,
            customer_id=alias.customer_id,
            inbound_message_id=message.id,
            attachment_index=index,
            pdf_blob_key=key,
            pdf_filename=document.filename if document else None,
            content_type=document.content_type if document else None,
            sender_email=message.sender_email,
            subject=message.subject,
            status=status,
            error_code=None if key else "no_pdf_attachment",
            error_message=None if key else NO_PDF_MESSAGE,
            metadata_={},
            attempts=0,
            received_at=now,
            processed_at=None if key else now,
            created=now,
        )
        session.add(row)
        created.append((row.id, status))
    session.flush()
    return created
