"""The aiosmtpd handler: recipient policy at RCPT, accept-store-queue at DATA.

Blocking work (database, blob store) runs in a thread so one slow upload never stalls the
other sessions on the event loop. Every failure we did not foresee becomes 451 (try later).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.exc import SQLAlchemyError

from ingest.aliases import find_alias_by_address
from ingest.receiver import accept_message
from models.blobstore import BlobStoreError
from models.services import Services

log = logging.getLogger(__name__)

TRY_LATER = "451 4.3.0 Temporary failure, please try again later"
TRANSIENT = (SQLAlchemyError, BlobStoreError, OSError)


class InboxHandler:
    def __init__(self, services: Services) -> None:
        self.services = services

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
        if address.lower() not in (a.lower() for a in envelope.rcpt_tos):
            envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _alias_status(self, local: str, domain: str) -> str | None:
        with self.services.sessions() as db:
            alias = find_alias_by_address(db, local, domain)
            return alias.status if alias else None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            accepted = await asyncio.get_running_loop().run_in_executor(
                None,
                accept_message,
                self.services,
                envelope.mail_from or "",
                list(envelope.rcpt_tos),
                raw,
            )
        except TRANSIENT:
            log.exception("could not store message from %s", envelope.mail_from)
            return TRY_LATER
        log.info(
            "accepted %s: %d alias invoice(s)%s",
            accepted.message_id,
            len(accepted.created),
            " (repeat delivery)" if accepted.duplicate else "",
        )
        return f"250 2.0.0 OK: queued as {accepted.message_id}"

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd would answer a permanent 500 with the exception text; the sender must retry.
        log.exception("SMTP session error", exc_info=error)
        return TRY_LATER


class InboxSMTP(SMTP):
    """aiosmtpd with RFC 3463 enhanced codes on its built-in size refusals."""

    async def push(self, status: Any) -> None:
        if isinstance(status, str) and status.startswith("552 Error"):
            status = f"552 5.3.4 Message too big: the limit is {self.data_size_limit} bytes"
        await super().push(status)
