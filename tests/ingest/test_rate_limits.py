"""Rate limits answer temporary codes: too many sessions or messages from one client, or too
many messages for one alias, and a sender that waits gets through."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest

from ingest.rate_limits import TokenBuckets
from ingest.server import start_smtp
from models.services import Services
from tests.conftest import free_port
from tests.ingest.conftest import make_alias
from tests.mail import mail_with_pdfs
from tests.pdfs import invoice_pdf


@pytest.fixture
def limited_port(services: Services) -> Iterator[int]:
    services.settings = replace(
        services.settings,
        smtp_client_sessions=2,
        smtp_client_messages_per_minute=3,
        smtp_alias_messages_per_hour=2,
    )
    port = free_port()
    controller = start_smtp(services, port=port)
    yield port
    controller.stop()


def test_a_client_over_its_session_cap_gets_421(services: Services, limited_port: int) -> None:
    first = smtplib.SMTP("127.0.0.1", limited_port)
    second = smtplib.SMTP("127.0.0.1", limited_port)
    try:
        with socket.create_connection(("127.0.0.1", limited_port), timeout=10) as third:
            assert third.makefile("rb").readline().startswith(b"421 4.7.0")
    finally:
        first.quit()
        second.quit()
    with smtplib.SMTP("127.0.0.1", limited_port) as again:  # a slot is free once one closes
        assert again.noop()[0] == 250


def test_a_client_over_its_message_rate_gets_450(services: Services, limited_port: int) -> None:
    make_alias(services)
    with smtplib.SMTP("127.0.0.1", limited_port) as client:
        client.ehlo()
        codes = []
        for _ in range(4):
            code, text = client.mail("billing@northside.example")
            codes.append((code, text[:5]))
            client.rset()
    assert codes == [(250, b"2.1.0")] * 3 + [(450, b"4.7.1")]


def test_an_alias_over_its_message_rate_gets_450(services: Services, limited_port: int) -> None:
    make_alias(services)
    codes = []
    for i in range(3):
        with smtplib.SMTP("127.0.0.1", limited_port) as client:
            client.ehlo()
            client.mail("billing@northside.example")
            code, text = client.rcpt("jane.doe@casapay.me")
            codes.append((code, text[:5]))
            if code == 250:
                message = mail_with_pdfs(
                    "jane.doe@casapay.me",
                    [("a.pdf", invoice_pdf(reference=f"R-{i}"))],
                    message_id=f"<{i}@northside.example>",
                )
                assert client.data(bytes(message).replace(b"\n", b"\r\n"))[0] == 250
    assert codes == [(250, b"2.1.5"), (250, b"2.1.5"), (450, b"4.2.1")]


def test_token_buckets_refill_with_time() -> None:
    now = [0.0]
    buckets = TokenBuckets(capacity=2, per_second=1 / 30, clock=lambda: now[0])
    assert [buckets.allow("a"), buckets.allow("a"), buckets.allow("a")] == [True, True, False]
    assert buckets.allow("b")  # another key has its own bucket
    now[0] += 30
    assert buckets.allow("a") and not buckets.allow("a")
    assert TokenBuckets(capacity=0, per_second=0).allow("x")  # 0 is "no limit"
