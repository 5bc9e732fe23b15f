"""Reply to fix, over real SMTP: the tenant answers the failure email with the document, and the
same alias invoice is processed; strangers and empty replies get a clear 5xx."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from cli import WorkerRuntime
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf
from tests.pipeline.conftest import drain
from tests.pipeline.test_pipeline import deliver, event_types, row
from tests.pipeline.test_tenant_emails import only


def reply(
    port: int, to: str, sender: str, pdf: bytes | None, *, message_id: str = "<r1@example.com>"
) -> tuple[int, bytes]:
    """Send a reply; returns the server's answer to DATA (or to RCPT when refused there)."""
    message: EmailMessage = mail_with_pdfs(
        to,
        [("invoice.pdf", pdf)] if pdf else [],
        sender=sender,
        subject="Re: We could not process the invoice you forwarded",
        message_id=message_id,
    )
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        client.mail(sender)
        code, text = client.rcpt(to)
        if code >= 400:
            return code, text
        return client.data(crlf(bytes(message)))


@pytest.fixture
def failed_without_document(services: Services, worker: WorkerRuntime) -> tuple[str, str]:
    make_alias(services)
    (ainv,) = deliver(services)  # the mail had no attachment
    drain(services)
    reply_to = str(only(services, "could not process")["Reply-To"])
    return ainv, reply_to


def test_replying_with_the_pdf_processes_the_same_alias_invoice(
    services: Services,
    smtp_port: int,
    failed_without_document: tuple[str, str],
) -> None:
    ainv, reply_to = failed_without_document
    assert reply_to == f"jane.doe+{ainv}@casapay.me"
    code, text = reply(smtp_port, reply_to, "jane@example.com", invoice_pdf())
    assert code == 250, text
    drain(services)
    done = row(services, ainv)
    assert done.status == "processed" and done.error_code is None
    assert done.pdf_filename == "invoice.pdf" and done.payment_request_id
    assert event_types(services, ainv) == [
        "alias_invoice.failed",
        "alias_invoice.received",
        "alias_invoice.processing",
        "alias_invoice.processed",
    ]
    # The same reply delivered again changes nothing.
    code, _ = reply(smtp_port, reply_to, "jane@example.com", invoice_pdf())
    assert code == 550  # the invoice is no longer waiting for a document
    assert row(services, ainv).status == "processed"


def test_the_original_sender_may_reply_too(
    services: Services,
    smtp_port: int,
    failed_without_document: tuple[str, str],
) -> None:
    ainv, reply_to = failed_without_document
    code, _ = reply(smtp_port, reply_to, "billing@northside.example", invoice_pdf())
    assert code == 250
    drain(services)
    assert row(services, ainv).status == "processed"


def test_a_stranger_is_refused(
    services: Services,
    smtp_port: int,
    failed_without_document: tuple[str, str],
) -> None:
    ainv, reply_to = failed_without_document
    code, text = reply(smtp_port, reply_to, "mallory@evil.example", invoice_pdf())
    assert code == 550 and text.startswith(b"5.7.1")
    assert b"Only the tenant or the original sender" in text
    assert b"jane@example.com" not in text  # the refusal does not leak the tenant's address
    assert row(services, ainv).status == "failed"


def test_a_reply_without_a_document_is_refused_with_what_to_do(
    services: Services,
    smtp_port: int,
    failed_without_document: tuple[str, str],
) -> None:
    ainv, reply_to = failed_without_document
    code, text = reply(smtp_port, reply_to, "jane@example.com", None)
    assert code == 550 and text.startswith(b"5.6.0") and b"No document attached" in text
    assert row(services, ainv).status == "failed"


def test_a_reply_address_must_name_an_invoice_of_that_alias(
    services: Services,
    smtp_port: int,
    failed_without_document: tuple[str, str],
) -> None:
    ainv, _ = failed_without_document
    other = make_alias(services, "john.roe")
    for address in (
        "jane.doe+ainv_doesnotexist@casapay.me",
        f"{other.local_part}+{ainv}@casapay.me",
    ):
        code, text = reply(smtp_port, address, "jane@example.com", invoice_pdf())
        assert (code, text[:5]) == (550, b"5.1.1"), address
