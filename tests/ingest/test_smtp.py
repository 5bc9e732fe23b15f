"""The SMTP receiver over real sockets: who may receive, what is stored, what is refused."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from models.alias_invoices import AliasInvoice, InboundMessage
from models.blobstore import S3BlobStore
from models.customers import EmailAlias
from models.db import make_session_factory, transaction
from models.events import Event
from models.services import Services
from models.webhooks import WebhookDelivery
from tests.conftest import free_port
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs, send
from tests.pdfs import invoice_pdf
from webhooks.endpoints import create_endpoint


def rows(services: Services) -> list[AliasInvoice]:
    with services.sessions() as session:
        return list(session.scalars(select(AliasInvoice).order_by(AliasInvoice.attachment_index)))


def rcpt(port: int, address: str) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.ehlo()
        client.mail("someone@example.org")
        return client.rcpt(address)


def test_unknown_alias_foreign_domain_and_disabled_alias_are_refused(
    services: Services, smtp_port: int
) -> None:
    alias = make_alias(services)
    code, text = rcpt(smtp_port, "nobody@casapay.me")
    assert (code, text[:5]) == (550, b"5.1.1")
    code, text = rcpt(smtp_port, "jane.doe@gmail.com")
    assert (code, text[:5]) == (550, b"5.7.1")
    with transaction(services.sessions) as session:
        session.get_one(EmailAlias, alias.id).status = "disabled"
    code, text = rcpt(smtp_port, "jane.doe@casapay.me")
    assert (code, text[:5]) == (550, b"5.2.1")


def test_alias_lookup_ignores_case(services: Services, smtp_port: int) -> None:
    make_alias(services)
    assert rcpt(smtp_port, "Jane.Doe@CasaPay.ME")[0] == 250


def test_too_many_recipients(services: Services, smtp_port: int) -> None:
    make_alias(services)
    limit = services.settings.max_recipients
    with smtplib.SMTP("127.0.0.1", smtp_port) as client:
        client.ehlo()
        client.mail("a@example.org")
        codes = [
            client.rcpt("jane.doe@casapay.me" if i == 0 else f"x{i}@casapay.me")[0]
            for i in range(limit + 1)
        ]
    # Unknown aliases are refused one by one; past the limit the answer is 452 4.5.3.
    assert codes[0] == 250 and codes[-1] == 452


def test_each_pdf_becomes_a_received_alias_invoice(services: Services, smtp_port: int) -> None:
    make_alias(services)
    pdfs = [("rent.pdf", invoice_pdf(reference="R-1")), ("water.pdf", invoice_pdf(reference="W-1"))]
    message = mail_with_pdfs("jane.doe@casapay.me", pdfs)
    refused = send(smtp_port, message, ["jane.doe@casapay.me"])
    assert refused == {}
    got = rows(services)
    assert [(r.status, r.pdf_filename) for r in got] == [
        ("received", "rent.pdf"),
        ("received", "water.pdf"),
    ]
    assert got[0].sender_email == "billing@northside.example"
    assert got[0].subject == "Invoice INV-2026-0042"
    assert got[0].received_at == services.clock()
    assert got[0].pdf_blob_key is not None
    assert services.blobs.get(got[0].pdf_blob_key) == pdfs[0][1]
    with services.sessions() as session:
        stored = session.scalars(select(InboundMessage)).one()
    assert services.blobs.get(stored.raw_blob_key) == crlf(bytes(message))  # raw kept as sent
    queued = services.queue.broker.queues["extract"]  # type: ignore[attr-defined]
    assert queued.qsize() == 2


def test_same_message_twice_creates_nothing_new(services: Services, smtp_port: int) -> None:
    make_alias(services)
    message = mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])
    send(smtp_port, message, ["jane.doe@casapay.me"])
    send(smtp_port, message, ["jane.doe@casapay.me"])
    assert len(rows(services)) == 1


def test_one_message_to_two_aliases_makes_one_invoice_each(
    services: Services, smtp_port: int
) -> None:
    make_alias(services, "jane.doe")
    make_alias(services, "flat.4b", email=None)
    to = ["jane.doe@casapay.me", "flat.4b@casapay.me"]
    send(smtp_port, mail_with_pdfs(to, [("rent.pdf", invoice_pdf())]), to)
    assert sorted(r.alias_email for r in rows(services)) == sorted(to)


def test_mail_without_pdf_is_kept_as_failed(services: Services, smtp_port: int) -> None:
    make_alias(services)
    send(smtp_port, mail_with_pdfs("jane.doe@casapay.me", []), ["jane.doe@casapay.me"])
    (row,) = rows(services)
    assert row.status == "failed" and row.error_code == "no_pdf_attachment"
    assert row.pdf_blob_key is None and row.error_message


def test_oversize_message_gets_552_at_mail_from_or_after_data(
    services: Services, smtp_port: int
) -> None:
    make_alias(services)
    big = b"x" * (services.settings.max_message_bytes + 10)
    message = crlf(bytes(mail_with_pdfs("jane.doe@casapay.me", [("big.pdf", big)])))
    # smtplib declares SIZE=..., so a polite client is stopped before sending a byte.
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(smtp_port, message, ["jane.doe@casapay.me"])
    assert refused.value.smtp_code == 552 and refused.value.smtp_error.startswith(b"5.3.4")
    # A client that does not declare the size is stopped after DATA.
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
        client.ehlo()
        client.mail("billing@northside.example")
        client.rcpt("jane.doe@casapay.me")
        code, text = client.data(message)
    assert (code, text[:5]) == (552, b"5.3.4")
    assert rows(services) == []


def test_blob_store_down_during_data_gets_451_and_stores_nothing(
    services: Services, smtp_port: int
) -> None:
    make_alias(services)
    message = mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])
    working = services.blobs
    dead = S3BlobStore(f"http://127.0.0.1:{free_port()}", "casapay")  # nothing listens there
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
        client.ehlo()
        client.mail("billing@northside.example")
        client.rcpt("jane.doe@casapay.me")
        services.blobs = dead
        code, text = client.data(crlf(bytes(message)))
    assert (code, text[:5]) == (451, b"4.3.0")
    assert rows(services) == []
    services.blobs = working  # the sender retries later and it goes through, once
    send(smtp_port, message, ["jane.doe@casapay.me"])
    assert len(rows(services)) == 1


def test_database_down_during_data_gets_451_and_writes_nothing(
    services: Services, smtp_port: int
) -> None:
    make_alias(services)
    message = mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])
    working = services.sessions
    dead = make_session_factory(
        create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test",
            connect_args={"connect_timeout": 2},
        )
    )
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
        client.ehlo()
        client.mail("billing@northside.example")
        client.rcpt("jane.doe@casapay.me")
        services.sessions = dead
        code, text = client.data(crlf(bytes(message)))
    services.sessions = working
    assert (code, text[:5]) == (451, b"4.3.0")
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0
    assert rows(services) == []


def drop_connections(services: Services) -> int:
    """What a database restart does to the receiver's pool: every server connection is gone."""
    admin = create_engine(services.settings.database_url, poolclass=NullPool)
    with admin.connect() as conn:
        dropped = conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()
    return int(dropped or 0)


def deliver_retrying(port: int, message: bytes, attempts: int) -> list[int]:
    """A mail server's retries: deliver until 250, up to `attempts` times; the codes seen."""
    codes: list[int] = []
    while len(codes) < attempts:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            client.ehlo()
            client.mail("billing@northside.example")
            code, _ = client.rcpt("jane.doe@casapay.me")
            if code == 250:
                code, _ = client.data(message)
        codes.append(code)
        if code == 250:
            break
    return codes


def test_dropped_database_connections_cost_at_most_one_451_then_mail_flows(
    services: Services, smtp_port: int
) -> None:
    make_alias(services)
    send(
        smtp_port,
        mail_with_pdfs("jane.doe@casapay.me", [("a.pdf", invoice_pdf())]),
        ["jane.doe@casapay.me"],
    )
    assert drop_connections(services) >= 1  # the pool kept connections, now all dead
    message = crlf(bytes(mail_with_pdfs("jane.doe@casapay.me", [("b.pdf", invoice_pdf())])))
    codes = deliver_retrying(smtp_port, message, attempts=3)
    # A dead connection fails its statement (our transient failure: 451, never a 5xx); the pool
    # then replaces every connection older than the failure, so the retry goes through.
    assert codes in ([250], [451, 250])
    assert len(rows(services)) == 2


def test_received_mail_is_announced_to_the_webhooks_of_the_accounts_that_listen(
    services: Services, smtp_port: int
) -> None:
    listening = make_alias(services, "jane.doe")
    quiet = make_alias(services, "john.roe")
    with transaction(services.sessions) as session:
        create_endpoint(
            session,
            listening.account_id,
            listening.livemode,
            url="https://hooks.example.com/casapay",
            enabled_events=["alias_invoice.received"],
            description=None,
            metadata={},
            now=services.clock(),
        )
    message = mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])
    send(smtp_port, message, ["jane.doe@casapay.me", "john.roe@casapay.me"])
    with services.sessions() as session:
        announced = session.execute(
            select(Event.account_id, Event.type).join(
                WebhookDelivery, WebhookDelivery.event_id == Event.id
            )
        ).all()
        events = session.scalars(select(Event.account_id)).all()
    assert announced == [(listening.account_id, "alias_invoice.received")]
    assert sorted(events) == sorted([listening.account_id, quiet.account_id])
