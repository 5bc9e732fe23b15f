"""Starting the SMTP receiver on its own thread and event loop."""

from __future__ import annotations

import ssl
from typing import Any

from aiosmtpd.controller import Controller

from ingest.smtp_handler import InboxHandler, InboxSMTP
from models.services import Services


class InboxController(Controller):
    def factory(self) -> InboxSMTP:
        return InboxSMTP(self.handler, **self.SMTP_kwargs)


def start_smtp(services: Services, port: int | None = None) -> Controller:
    settings = services.settings
    kwargs: dict[str, Any] = {
        "data_size_limit": settings.max_message_bytes,
        "ident": "CasaPay Inbox",
    }
    if settings.smtp_tls_cert:
        # STARTTLS offered, not required: senders that cannot do TLS still deliver.
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(settings.smtp_tls_cert, settings.smtp_tls_key)
        kwargs["tls_context"] = context
    controller = InboxController(
        InboxHandler(services),
        hostname=settings.smtp_host,
        port=settings.smtp_port if port is None else port,
        server_hostname="mx.casapay.me",
        **kwargs,
    )
    controller.start()
    return controller
