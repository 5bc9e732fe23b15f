"""Hostile and malformed mail: each gets its permanent 5xx at bounded cost, stores nothing, and
never holds up the other senders."""

from __future__ import annotations

import asyncio
import fcntl
import smtplib
import socket
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from ingest.limits import MailLimits
from ingest.mime import ParsedMail, parse_mail
from ingest.parser_pool import ParserPool, ParserUnavailable
from ingest.refusals import MailRefused, TooComplex
from ingest.server import start_smtp
from models.alias_invoices import AliasInvoice, InboundMessage
from models.blobstore import LocalBlobStore
from models.services import Services
from tests.conftest import free_port
from tests.hostile import HOSTILE_MAIL, deep_nesting, many_parts
from tests.ingest.conftest import make_alias
from tests.mail import mail_with_pdfs, send
from tests.pdfs import invoice_pdf


def stored(services: Services) -> int:
    """Rows and blobs: a refused message leaves neither (its raw bytes are written only once
    it parsed, beside its documents)."""
    with services.sessions() as session:
        messages = session.scalar(select(func.count()).select_from(InboundMessage)) or 0
        invoices = session.scalar(select(func.count()).select_from(AliasInvoice)) or 0
    assert isinstance(services.blobs, LocalBlobStore)
    blobs = [p for p in services.blobs.root.rglob("*") if p.is_file()]
    return messages + invoices + len(blobs)


def data_reply(port: int, raw: bytes) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
        client.ehlo()
        client.mail("billing@northside.example")
        assert client.rcpt("jane.doe@casapay.me")[0] == 250
        return client.data(raw)


@pytest.mark.parametrize("name", sorted(HOSTILE_MAIL))
def test_parse_mail_refuses_hostile_mail_with_its_reason(name: str) -> None:
    build, code, status = HOSTILE_MAIL[name]
    with pytest.raises(MailRefused) as refused:
        parse_mail(build())
    assert (refused.value.code, refused.value.status) == (code, status)


@pytest.mark.parametrize("name", sorted(HOSTILE_MAIL))
def test_hostile_mail_gets_its_permanent_reply_and_stores_nothing(
    name: str, services: Services, smtp_port: int
) -> None:
    make_alias(services)
    build, code, status = HOSTILE_MAIL[name]
    reply_code, text = data_reply(smtp_port, build())
    assert (reply_code, text[:5].decode()) == (code, status), text
    assert stored(services) == 0


def raw_session(port: int, *commands: bytes) -> list[bytes]:
    """Replies to commands sent byte for byte (smtplib would refuse to send these)."""
    replies = []
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        for command in (b"EHLO client.example", *commands):
            sock.sendall(command + b"\r\n")
            line = reader.readline()
            while line[3:4] == b"-":
                line = reader.readline()
            replies.append(line.strip())
    return replies[1:]


def test_bad_envelope_addresses_get_553(services: Services, smtp_port: int) -> None:
    make_alias(services)
    replies = raw_session(
        smtp_port,
        b"MAIL FROM:<billing\x00@northside.example>",
        b"MAIL FROM:<billing@northside.example>",
        b"RCPT TO:<\xff\xfe@casapay.me>",
        b"RCPT TO:<jane.doe\x01@casapay.me>",
        b"RCPT TO:<jane.doe@casapay.me>",
    )
    assert [r[:9] for r in replies] == [
        b"553 5.1.7",
        b"250 2.1.0",
        b"553 5.1.3",
        b"553 5.1.3",
        b"250 2.1.5",
    ]


def test_documents_per_message_is_configurable(services: Services) -> None:
    services.settings = replace(services.settings, max_documents_per_message=2)
    make_alias(services)
    port = free_port()
    controller = start_smtp(services, port=port)
    try:
        pdfs = [(f"{i}.pdf", invoice_pdf(reference=f"R-{i}")) for i in range(3)]
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(port, mail_with_pdfs("jane.doe@casapay.me", pdfs), ["jane.doe@casapay.me"])
        assert refused.value.smtp_code == 552
        assert b"at most 2" in refused.value.smtp_error
        send(port, mail_with_pdfs("jane.doe@casapay.me", pdfs[:2]), ["jane.doe@casapay.me"])
    finally:
        controller.stop()
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AliasInvoice)) == 2


def test_an_ordinary_mail_goes_through_while_hostile_sessions_are_parsed(
    services: Services, smtp_port: int
) -> None:
    make_alias(services)
    hostile = deep_nesting(20_000)  # the heaviest of the set to refuse
    replies: list[int] = []
    started = threading.Barrier(9)

    def attack() -> None:
        started.wait()
        replies.append(data_reply(smtp_port, hostile)[0])

    threads = [threading.Thread(target=attack) for _ in range(8)]
    for thread in threads:
        thread.start()
    started.wait()
    message = mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])
    assert send(smtp_port, message, ["jane.doe@casapay.me"]) == {}
    for thread in threads:
        thread.join(120)
    assert replies == [554] * 8
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AliasInvoice)) == 1


def run(coroutine: Coroutine[Any, Any, ParsedMail]) -> ParsedMail:
    """On a fresh event loop in its own thread (another test may leave one running here)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_a_parse_over_its_cpu_budget_is_refused_and_the_parser_carries_on() -> None:
    pool = ParserPool(MailLimits(parse_cpu_seconds=0.02, max_parts=10**6), workers=1)
    try:
        with pytest.raises(TooComplex, match="too long to parse"):
            run(pool.parse(many_parts(100_000)))
        ordinary = bytes(mail_with_pdfs("jane.doe@casapay.me", [("a.pdf", invoice_pdf())]))
        parsed = run(pool.parse(ordinary))
        assert [d.filename for d in parsed.documents] == ["a.pdf"]
    finally:
        pool.close()


def test_a_parser_that_does_not_answer_in_time_is_replaced() -> None:
    pool = ParserPool(MailLimits(max_parts=10**6), workers=1, timeout=0.001)
    try:
        with pytest.raises(ParserUnavailable):
            run(pool.parse(many_parts(100_000)))
        pool.timeout = 60
        ordinary = bytes(mail_with_pdfs("jane.doe@casapay.me", [("a.pdf", invoice_pdf())]))
        assert len(run(pool.parse(ordinary)).documents) == 1
    finally:
        pool.close()


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are a Linux feature")
def test_a_typical_mail_and_its_documents_cross_to_the_parser_in_one_write() -> None:
    pool = ParserPool(MailLimits(), workers=1)
    try:
        pdf = invoice_pdf() + b"%" + bytes(600 * 1024)  # a scan-sized invoice
        mail = bytes(mail_with_pdfs("jane.doe@casapay.me", [("scan.pdf", pdf)]))
        child = pool._children[0]
        for end in (child.requests, child.replies):
            assert fcntl.fcntl(end.fileno(), fcntl.F_GETPIPE_SZ) >= len(mail)
        assert run(pool.parse(mail)).documents[0].data == pdf
    finally:
        pool.close()
