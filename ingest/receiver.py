"""What happens to an accepted message, as a plain function the SMTP handler and tests call.

Store the raw bytes and each document (content-addressed, so a retry rewrites the same keys),
then record the message and one alias invoice per (document, alias recipient) in one unit of work:
the new rows are queued for extraction after the commit (the sweeper covers a queue that is down).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.documents import Document
from ingest.mime import ParsedMail, parse_mail
from models import lifecycle, logs, webhooks
from models.accounts import Account
from models.alias_invoices import AliasInvoice, InboundMessage
from models.customers import Customer, EmailAlias
from models.ids import new_id
from models.queue import EXTRACT
from models.services import Services
from models.unit_of_work import enqueue_after_commit, unit_of_work

log = logging.getLogger(__name__)


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
    sender_auth: dict[str, Any] | None = None,
) -> Accepted:
    """Store and record a message. The receiver hands over what its parser pool parsed; without
    it the message is parsed here (MailRefused for a defective one)."""
    if parsed is None:
        parsed = parse_mail(raw)
    digest = hashlib.sha256(raw).hexdigest()
    raw_key = raw_blob_key(digest)
    blobs = [(raw_key, raw, "message/rfc822")]
    blobs += [(document_key(d), d.data, d.content_type) for d in parsed.documents]
    # Durable writes wait on the disk or the network, the rows on the database: the raw
    # message, its documents and the rows all go at once, and the transaction commits only
    # once every blob is stored (`_record`). A refused message stores nothing.
    uploading = [uploads().submit(services.blobs.put, *blob) for blob in blobs]
    args = (services, digest, raw_key, mail_from, rcpt_tos, raw, parsed, sender_auth, uploading)
    try:
        # Optimistic: a new message is inserted without first asking whether it exists (one
        # statement less for every message); the unique sha256 refuses a repeated delivery.
        return _record(*args, known=False)
    except IntegrityError:
        pass  # a repeat: record it again, looking for what its first delivery stored
    try:
        return _record(*args, known=True)
    except IntegrityError:
        # The same message arrived on two connections at once; the other one won the insert.
        return _record(*args, known=True)


def raw_blob_key(digest: str) -> str:
    """Content-addressed by the SHA-256 of the bytes: a retried delivery rewrites the same key."""
    return f"messages/{digest}.eml"


@cache
def uploads() -> ThreadPoolExecutor:
    """The threads blob writes wait on (the receiver's, beside the database's)."""
    return ThreadPoolExecutor(8, thread_name_prefix="blob-put")


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
    sender_auth: dict[str, Any] | None,
    uploading: Sequence[Future[None]],
    *,
    known: bool,
) -> Accepted:
    """One unit of work: the message, its alias invoices and their events, committed once the
    `uploading` blobs are stored (a failed upload rolls it back). `known`: the message may have
    been recorded before (look it up); otherwise it is inserted as new."""
    now = services.clock()
    created: list[str] = []
    wanted = _addresses(rcpt_tos)
    # The scope's ids (the message_id, once known) go with the queue messages sent at commit.
    with logs.bind(), unit_of_work(services) as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        message = None if known else _new_message(digest, raw_key, mail_from, raw, parsed, now)
        # PostgreSQL inserts a new message in the recipients' lookup (a data-modifying CTE):
        # one round trip for both. SQLite has no such CTE, and takes its writer lock late.
        inserted = message is not None and bool(wanted) and not sqlite
        recipients = _recipients(session, wanted, message if inserted else None)
        if sqlite:
            # SQLite has one writer at a time, from its first write to the commit: the blobs
            # are awaited before it, never while the other sessions wait for the lock.
            _stored(uploading)
        if known:
            message = session.scalar(select(InboundMessage).where(InboundMessage.sha256 == digest))
        duplicate = known and message is not None
        if message is None:  # recorded by a delivery whose transaction then rolled back
            message = _new_message(digest, raw_key, mail_from, raw, parsed, now)
        if not duplicate and not inserted:
            # A plain INSERT rather than a flush of the object: nothing reads the row back,
            # and a flush of its own cost every message a second unit-of-work cycle.
            session.connection().execute(_INSERT_MESSAGE, _values(message))
        logs.add(message_id=message.id)
        for alias, _customer, _account in recipients:
            created.extend(
                _alias_invoices(session, message, alias, parsed, sender_auth, now, duplicate)
            )
        session.flush()  # the rows go out while the blobs are written; only the commit waits
        _stored(uploading)
    return Accepted(message.id, tuple(created), duplicate)


def _stored(uploading: Sequence[Future[None]]) -> None:
    """Wait for the blob writes; a BlobStoreError rolls the transaction back (451, a retry)."""
    for upload in uploading:
        upload.result()


def _new_message(
    digest: str, raw_key: str, mail_from: str, raw: bytes, parsed: ParsedMail, now: int
) -> InboundMessage:
    """The message's row, inserted before the alias invoices that refer to it (mappers without
    a relationship() are not ordered by their foreign keys, so it never waits for a flush)."""
    return InboundMessage(
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


_MESSAGES = cast(Table, InboundMessage.__table__)
_MESSAGE_COLUMNS = tuple(column.key for column in _MESSAGES.columns)
_INSERT_MESSAGE = insert(_MESSAGES)


def _values(message: InboundMessage, prefix: str = "") -> dict[str, Any]:
    """The new message's row, from the object that holds its values (never in the session)."""
    return {prefix + key: getattr(message, key) for key in _MESSAGE_COLUMNS}


def _addresses(rcpt_tos: Sequence[str]) -> list[tuple[str, str]]:
    """(local part, domain) of each recipient, lower-cased, each once, in order."""
    wanted: dict[tuple[str, str], None] = {}
    for address in rcpt_tos:
        local, _, domain = address.rpartition("@")
        wanted.setdefault((local.lower(), domain.lower()), None)
    return list(wanted)


def _recipients(
    session: Session, wanted: Sequence[tuple[str, str]], inserting: InboundMessage | None
) -> list[tuple[EmailAlias, Customer, Account]]:
    """The recipients' aliases, in order, with their customer and account: one query, which
    also inserts `inserting` (PostgreSQL). The receipt notice reads the customer and the
    account; while the caller holds them the session's identity map answers it without a
    query of its own. The same query asks whether each account listens to webhooks, which most
    do not: their events then need no query of their own either."""
    if not wanted:
        return []
    params = _values(inserting, "message_") if inserting is not None else {}
    for i, (local, domain) in enumerate(wanted):
        params[f"local_{i}"], params[f"domain_{i}"] = local, domain
    found = {}
    query = _recipients_query(len(wanted), inserting is not None)
    for alias, customer, account, has_endpoint in session.execute(query, params):
        found[alias.local_part, alias.domain] = (alias, customer, account)
        if not has_endpoint:
            webhooks.without_endpoints(session, alias.account_id, alias.livemode)
    return [found[address] for address in wanted if address in found]


@cache
def _recipients_query(count: int, inserting: bool) -> Select[EmailAlias, Customer, Account, bool]:
    """The lookup for `count` addresses, built once: a message pays for binding its values,
    not for building the expression and its cache key again. `inserting`: with the message's
    INSERT as a CTE, which PostgreSQL runs whether or not the query reads it."""
    listened = webhooks.has_enabled_endpoint(EmailAlias.account_id, EmailAlias.livemode)
    query = (
        select(EmailAlias, Customer, Account, listened)
        .join(Customer, Customer.id == EmailAlias.customer_id)
        .join(Account, Account.id == EmailAlias.account_id)
        .where(
            or_(
                *(
                    and_(
                        EmailAlias.local_part == bindparam(f"local_{i}"),
                        EmailAlias.domain == bindparam(f"domain_{i}"),
                    )
                    for i in range(count)
                )
            )
        )
    )
    if inserting:
        values: dict[str, Any] = {k: bindparam(f"message_{k}") for k in _MESSAGE_COLUMNS}
        query = query.add_cte(insert(_MESSAGES).values(values).cte("new_message"))
    return query


def _alias_invoices(
    session: Session,
    message: InboundMessage,
    alias: EmailAlias,
    parsed: ParsedMail,
    sender_auth: dict[str, Any] | None,
    now: int,
    repeated: bool,
) -> list[str]:
    existing: set[int] = set()
    if repeated:  # only a message seen before can have alias invoices already
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
            sender_auth=sender_auth,
            metadata_={},
        )
        lifecycle.received(session, row, now)
        if row.status == lifecycle.AliasInvoiceStatus.RECEIVED:
            enqueue_after_commit(session, EXTRACT, row.id)
        created.append(row.id)
    return created
