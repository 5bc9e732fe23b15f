"""Starting the SMTP receiver on its own thread and event loop, with its parser processes."""

from __future__ import annotations

import logging
import ssl
from dataclasses import replace
from typing import Any

from aiosmtpd.controller import Controller

from ingest.limits import MailLimits
from ingest.parser_pool import ParserPool
from ingest.rate_limits import RateLimits
from ingest.sender_auth.dns import Resolver
from ingest.smtp_handler import InboxHandler, InboxSMTP
from models.services import Services
from models.settings import Settings


class InboxController(Controller):
    def __init__(self, handler: InboxHandler, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.inbox = handler

    def factory(self) -> InboxSMTP:
        return InboxSMTP(self.handler, rate_limits=self.inbox.limits, **self.SMTP_kwargs)

    def stop(self, no_assert: bool = False) -> None:
        try:
            super().stop(no_assert)
        finally:
            self.inbox.parser.close()


def mail_limits(settings: Settings) -> MailLimits:
    return replace(MailLimits(), max_documents=settings.max_documents_per_message)


def start_smtp(services: Services, port: int | None = None) -> InboxController:
    settings = services.settings
    # aiosmtpd logs every command at INFO; the receiver logs one line per message instead.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    kwargs: dict[str, Any] = {
        "data_size_limit": settings.max_message_bytes,
        "ident": "CasaPay Inbox",
    }
    if settings.smtp_tls_cert:
        # STARTTLS offered, not required: senders that cannot do TLS still deliver.
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(settings.smtp_tls_cert, settings.smtp_tls_key)
        kwargs["tls_context"] = context
    limits = RateLimits(
        sessions_per_client=settings.smtp_client_sessions,
        messages_per_client_minute=settings.smtp_client_messages_per_minute,
        messages_per_alias_hour=settings.smtp_alias_messages_per_hour,
    )
    parser = ParserPool(mail_limits(settings), workers=settings.smtp_parsers)
    resolver = None if settings.sender_auth == "off" else Resolver(settings.dns_server)
    controller = InboxController(
        InboxHandler(services, parser, limits, resolver),
        hostname=settings.smtp_host,
        port=settings.smtp_port if port is None else port,
        server_hostname="mx.casapay.me",
        **kwargs,
    )
    try:
        controller.start()
    except BaseException:
        parser.close()
        raise
    return controller
