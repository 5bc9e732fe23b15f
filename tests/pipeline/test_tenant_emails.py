"""The tenant hears about every outcome: what went wrong and how to fix it, receipts, the
optional acknowledgement, in their language, with a Reply-To that routes back to the invoice."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from cli import WorkerRuntime
from models.accounts import Account
from models.customers import Customer
from models.db import transaction
from models.services import Services
from models.unit_of_work import unit_of_work
from review.service import Decider, reject
from tests.ingest.conftest import make_alias
from tests.pdfs import encrypted_pdf, german_invoice_pdf, invoice_pdf
from tests.pipeline.conftest import drain
from tests.pipeline.test_pipeline import deliver, row


def outbox(services: Services) -> list[EmailMessage]:
    mails = []
    for path in sorted(Path(services.settings.outbox_dir).glob("*.eml")):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(mail, EmailMessage)
        mails.append(mail)
    return mails


def body(mail: EmailMessage, kind: str = "plain") -> str:
    part = mail.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def only(services: Services, subject_part: str) -> EmailMessage:
    found = [m for m in outbox(services) if subject_part in str(m["Subject"])]
    assert len(found) == 1, [m["Subject"] for m in outbox(services)]
    return found[0]


def test_a_mail_without_a_document_tells_the_tenant_how_to_fix_it(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    (ainv,) = deliver(services)  # no attachment
    drain(services)
    mail = only(services, "could not process")
    assert mail["To"] == "jane@example.com"
    assert mail["Reply-To"] == f"jane.doe+{ainv}@casapay.me"
    assert mail["Message-ID"].startswith("<ntf_") and mail["Content-Language"] == "en"
    text = body(mail)
    assert "had no invoice attached" in text and "Reply to this email with the invoice" in text
    assert "had no invoice attached" in body(mail, "html")


def test_an_encrypted_pdf_asks_for_an_open_copy(services: Services, worker: WorkerRuntime) -> None:
    make_alias(services)
    (ainv,) = deliver(services, encrypted_pdf())
    drain(services)
    assert row(services, ainv).error_code == "pdf_encrypted"
    assert "protected by a password" in body(only(services, "could not process"))


def test_an_unreadable_pdf_asks_for_a_fresh_copy(services: Services, worker: WorkerRuntime) -> None:
    make_alias(services)
    deliver(services, b"%PDF-1.4 this is not really a PDF")
    drain(services)
    assert "damaged or not a PDF" in body(only(services, "could not process"))


def test_a_rejection_tells_the_reviewers_reason(services: Services, worker: WorkerRuntime) -> None:
    from models.review import ReviewItem

    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf(currency_symbol="", due_date=""))
    drain(services)
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    with unit_of_work(services) as session:
        reject(
            session,
            item.id,
            "This is the landlord's copy, not a bill for you",
            scope=None,
            decider=Decider("ops:maria", "ops_user:1"),
            now=services.clock(),
        )
    drain(services)
    text = body(only(services, "could not process"))
    assert "The reason: This is the landlord's copy, not a bill for you" in text
    assert row(services, ainv).error_code == "rejected_in_review"


def test_acknowledgement_is_optional_per_account(services: Services, worker: WorkerRuntime) -> None:
    alias = make_alias(services)
    deliver(services, invoice_pdf(), message_id="<a1@example>")
    drain(services)
    assert not [m for m in outbox(services) if "We received" in str(m["Subject"])]
    with transaction(services.sessions) as session:
        session.get_one(Account, alias.account_id).acknowledge_receipts = True
    deliver(services, invoice_pdf(reference="INV-2"), message_id="<a2@example>")
    drain(services)
    mail = only(services, "We received your invoice")
    assert "invoice-0.pdf" in body(mail) and "jane.doe@casapay.me" in body(mail)


def test_payment_sends_a_receipt(services: Services, worker: WorkerRuntime) -> None:
    from billing.invoices import get_invoice
    from billing.payments import pay_invoice
    from models.invoices import Invoice

    alias = make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    drain(services)
    with unit_of_work(services) as session:
        invoice_id = session.scalars(select(Invoice.id)).one()
        invoice = get_invoice(session, alias.account_id, False, invoice_id, for_update=True)
        pay_invoice(session, invoice, now=services.clock(), source="api")
    drain(services)
    receipt = only(services, "Receipt: 1,250.00 EUR paid")
    assert receipt["Reply-To"] == f"jane.doe+{ainv}@casapay.me"
    assert "we received your payment of 1,250.00 EUR" in body(receipt)


def test_emails_speak_the_customers_locale_else_the_documents(
    services: Services, worker: WorkerRuntime
) -> None:
    alias = make_alias(services)
    with transaction(services.sessions) as session:
        session.get_one(Customer, alias.customer_id).locale = "it"
    deliver(services, message_id="<it@example>")
    drain(services)
    mail = only(services, "Non siamo riusciti")
    assert mail["Content-Language"] == "it" and body(mail).startswith("Buongiorno Jane Doe,")
    # Without a locale on the customer, a German document gets German mail.
    with transaction(services.sessions) as session:
        session.get_one(Customer, alias.customer_id).locale = None
    deliver(services, german_invoice_pdf(), message_id="<de@example>")
    drain(services)
    mail = only(services, "Zahlungsaufforderung: 1,250.00 EUR")
    assert mail["Content-Language"] == "de"
    assert "Die weitergeleitete Rechnung (RE-2026-0007) kann jetzt bezahlt werden." in body(mail)
