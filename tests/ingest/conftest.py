from __future__ import annotations

from collections.abc import Iterator

import pytest

from billing.customers import create_customer
from ingest.aliases import create_alias
from ingest.server import start_smtp
from models.customers import EmailAlias
from models.db import transaction
from models.services import Services
from tests.conftest import free_port, new_account


@pytest.fixture
def smtp_port(services: Services) -> Iterator[int]:
    port = free_port()
    controller = start_smtp(services, port=port)
    yield port
    controller.stop()


def make_alias(
    services: Services, local_part: str = "jane.doe", *, email: str | None = "jane@example.com"
) -> EmailAlias:
    account_id, _, _ = new_account(services)
    with transaction(services.sessions) as session:
        customer = create_customer(
            session,
            account_id,
            False,
            email=email,
            name="Jane Doe",
            metadata={},
            now=services.clock(),
        )
        return create_alias(
            session,
            customer,
            domain="casapay.me",
            local_part=local_part,
            metadata={},
            now=services.clock(),
        )
