"""accept_message on the database: what one accepted message writes, and in how many statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select

from ingest.mime import parse_mail
from ingest.receiver import accept_message, raw_blob_key
from models.alias_invoices import AliasInvoice, InboundMessage
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf


def statements(services: Services) -> list[str]:
    """Every statement the engine sends from now on (BEGIN and COMMIT are not statements)."""
    sent: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(services.engine, "before_cursor_execute", note)
    return sent


def counts(services: Services) -> tuple[int, int]:
    with services.sessions() as session:
        messages = session.scalar(select(func.count()).select_from(InboundMessage))
        invoices = session.scalar(select(func.count()).select_from(AliasInvoice))
    return messages or 0, invoices or 0


def test_a_new_message_is_recorded_in_three_statements_with_its_blobs(
    services: Services,
) -> None:
    # PostgreSQL: the recipients' lookup inserts the message (a data-modifying CTE); then the
    # alias invoice and its event. A fourth statement per message is a round trip every mail
    # pays for.
    make_alias(services)
    raw = crlf(bytes(mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])))
    parsed = parse_mail(raw)
    sent = statements(services)
    accepted = accept_message(
        services, "billing@northside.example", ["jane.doe@casapay.me"], raw, parsed
    )
    assert len(sent) == 3, sent
    assert "INSERT INTO inbound_messages" in sent[0]
    with services.sessions() as session:
        message = session.get_one(InboundMessage, accepted.message_id)
        row = session.scalars(select(AliasInvoice)).one()
    assert (message.raw_blob_key, message.size, message.pdf_count) == (
        raw_blob_key(message.sha256),
        len(raw),
        1,
    )
    assert row.inbound_message_id == message.id and row.id in accepted.created
    assert services.blobs.get(message.raw_blob_key) == raw
    assert row.pdf_blob_key is not None
    assert services.blobs.get(row.pdf_blob_key) == parsed.documents[0].data


def test_a_message_to_no_known_alias_is_still_recorded_once(services: Services) -> None:
    make_alias(services)
    raw = crlf(bytes(mail_with_pdfs("nobody@casapay.me", [("rent.pdf", invoice_pdf())])))
    accept_message(services, "billing@northside.example", ["nobody@casapay.me"], raw)
    assert counts(services) == (1, 0)
    again = accept_message(services, "billing@northside.example", ["nobody@casapay.me"], raw)
    assert again.duplicate and counts(services) == (1, 0)


def test_a_repeat_to_more_aliases_adds_only_the_missing_invoices(services: Services) -> None:
    make_alias(services, "jane.doe")
    make_alias(services, "john.roe")
    raw = crlf(bytes(mail_with_pdfs("jane.doe@casapay.me", [("rent.pdf", invoice_pdf())])))
    first = accept_message(services, "b@northside.example", ["jane.doe@casapay.me"], raw)
    both = ["jane.doe@casapay.me", "John.Roe@casapay.me", "nobody@casapay.me"]
    second = accept_message(services, "b@northside.example", both, raw)
    assert (first.duplicate, second.duplicate) == (False, True)
    assert second.message_id == first.message_id and len(second.created) == 1
    assert counts(services) == (1, 2)
