"""The aiosmtpd handler: sender and recipient policy, then parse-store-queue at DATA.

Parsing runs in the parser pool's child processes and blocking work (database, blob store) in
threads, so neither a hostile message nor a slow upload stalls the other sessions. Defects of
the message get a permanent 5xx (`ingest.refusals`); only our own failures answer 451.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.exc import SQLAlchemyError

from ingest.aliases import find_alias_by_address
from ingest.data_reader import BulkDataSMTP
from ingest.parser_pool import ParserPool, ParserUnavailable
from ingest.rate_limits import (
    ALIAS_TOO_BUSY,
    TOO_MANY_MESSAGES,
    TOO_MANY_SESSIONS,
    RateLimits,
)
from ingest.refusals import MailRefused
from ingest.replies import accept as accept_replies_and_mail
from ingest.replies import reply_alias
from ingest.sender_auth import authenticate, not_checked
from ingest.sender_auth.dns import Resolver
from models import metrics
from models.blobstore import BlobStoreError
from models.services import Services

log = logging.getLogger(__name__)

TRY_LATER = "451 4.3.0 Temporary failure, please try again later"
TRANSIENT = (SQLAlchemyError, BlobStoreError, OSError)


def address_defect(address: str) -> str | None:
    """Why an envelope address cannot be stored or looked up (None when it can)."""
    try:
        address.encode("utf-8")  # aiosmtpd keeps invalid UTF-8 as lone surrogates
    except UnicodeEncodeError:
        return "not valid UTF-8"
    if any(ord(c) < 32 or ord(c) == 127 for c in address):
        return "control characters"
    local, _, domain = address.rpartition("@")
    if len(local) > 64 or len(domain) > 255:
        return "too long"
    return None


class InboxHandler:
    def __init__(
        self,
        services: Services,
        parser: ParserPool,
        limits: RateLimits,
        resolver: Resolver | None = None,
    ) -> None:
        self.services = services
        self.parser = parser
        self.limits = limits
        self.resolver = resolver  # None: sender authentication is off

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if defect := address_defect(address):
            return f"553 5.1.7 Bad sender address syntax: {defect}"
        if not self.limits.client_messages.allow(_client(session)):
            return TOO_MANY_MESSAGES
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        settings = self.services.settings
        # Count every RCPT, refused ones too: a harvester probing addresses hits the cap.
        attempts = getattr(envelope, "casapay_rcpt_attempts", 0) + 1
        setattr(envelope, "casapay_rcpt_attempts", attempts)  # noqa: B010
        if attempts > settings.max_recipients:
            return "452 4.5.3 Too many recipients"
        if defect := address_defect(address):
            return f"553 5.1.3 Bad recipient address syntax: {defect}"
        local, _, domain = address.rpartition("@")
        if not local or domain.lower() != settings.alias_domain:
            return f"550 5.7.1 Relaying denied: this server only accepts @{settings.alias_domain}"
        try:
            status = await asyncio.get_running_loop().run_in_executor(
                None, self._alias_status, local, domain
            )
        except TRANSIENT:
            log.exception("alias lookup failed for %s", address)
            return TRY_LATER
        if status is None:
            return f"550 5.1.1 <{address}>: no such CasaPay alias"
        if status != "active":
            return f"550 5.2.1 <{address}>: this alias is disabled"
        if not self.limits.alias_messages.allow(f"{local.lower()}@{domain.lower()}"):
            return ALIAS_TOO_BUSY
        if address.lower() not in (a.lower() for a in envelope.rcpt_tos):
            envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _alias_status(self, local: str, domain: str) -> str | None:
        with self.services.sessions() as db:
            # A read that needs no transaction: autocommit spares a BEGIN and a ROLLBACK, two
            # of the lookup's three round trips, on every recipient.
            db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            # A reply-to-fix address (alias+ainv_…) is accepted like its alias.
            alias = find_alias_by_address(db, local, domain) or reply_alias(db, local, domain)
            return alias.status if alias else None

    @metrics.timed_accept
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        loop = asyncio.get_running_loop()
        try:
            parsed = await self.parser.parse(raw)
        except MailRefused as refused:
            log.info("refused a message from %s: %s", envelope.mail_from, refused.reply)
            return refused.reply
        except ParserUnavailable:
            return TRY_LATER
        sender_auth = not_checked()
        if self.resolver is not None:
            sender_auth = await loop.run_in_executor(
                None,
                functools.partial(
                    authenticate,
                    self.resolver,
                    raw,
                    ip=_client(session),
                    helo=session.host_name or "",
                    mail_from=envelope.mail_from or "",
                    from_domain=parsed.from_domain,
                    enforced=self.services.settings.sender_auth == "enforce",
                ),
            )
        try:
            # One hop to a thread: the raw message, its documents and its rows are written
            # there side by side, and the commit waits for all of them (`accept_message`).
            accepted = await loop.run_in_executor(
                None,
                functools.partial(
                    accept_replies_and_mail,
                    self.services,
                    envelope.mail_from or "",
                    list(envelope.rcpt_tos),
                    raw,
                    parsed,
                    sender_auth,
                ),
            )
        except MailRefused as refused:
            log.info("refused a message from %s: %s", envelope.mail_from, refused.reply)
            return refused.reply
        except TRANSIENT:
            log.exception("could not store message from %s", envelope.mail_from)
            return TRY_LATER
        log.info(
            "accepted %s: %d alias invoice(s)%s",
            accepted.message_id,
            len(accepted.created),
            " (repeat delivery)" if accepted.duplicate else "",
            extra={"message_id": accepted.message_id},
        )
        return f"250 2.0.0 OK: queued as {accepted.message_id}"

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd would answer a permanent 500 with the exception text; the sender must retry.
        log.exception("SMTP session error", exc_info=error)
        return TRY_LATER


def _client(session: Session) -> str:
    peer = session.peer
    return str(peer[0]) if isinstance(peer, tuple) else str(peer)


class InboxSMTP(BulkDataSMTP):
    """aiosmtpd with RFC 3463 enhanced codes on its built-in size refusals and a per-client
    cap on concurrent sessions."""

    def __init__(self, handler: Any, *, rate_limits: RateLimits, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.rate_limits = rate_limits

    async def _handle_client(self) -> None:
        assert self.session is not None
        client = _client(self.session)
        if not self.rate_limits.open_session(client):
            await self.push(TOO_MANY_SESSIONS)
            if self.transport is not None:
                self.transport.close()
            return
        try:
            await super()._handle_client()
        finally:
            self.rate_limits.close_session(client)

    async def push(self, status: Any) -> None:
        if isinstance(status, str) and status.startswith("552 Error"):
            status = f"552 5.3.4 Message too big: the limit is {self.data_size_limit} bytes"
        metrics.smtp_reply(status)
        await super().push(status)
