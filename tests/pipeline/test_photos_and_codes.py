"""Through the queue: a phone photo is read like a PDF, and a payment code that contradicts the
printed total sends the invoice to a person whatever its score."""

from __future__ import annotations

from sqlalchemy import select

from cli import WorkerRuntime
from ingest.receiver import accept_message
from models.alias_invoices import AliasInvoice
from models.review import ReviewItem
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.paycode_docs import epc_payload, with_code
from tests.pdfs import invoice_pdf
from tests.photos import encode, photo_of
from tests.pipeline.conftest import drain

TO = "jane.doe@casapay.me"


def deliver(services: Services, filename: str, data: bytes, subtype: str) -> str:
    message = mail_with_pdfs(TO, [])
    maintype = "application" if subtype == "pdf" else "image"
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    raw = crlf(bytes(message))
    (ainv,) = accept_message(services, "billing@northside.example", [TO], raw).created
    return ainv


def test_a_photographed_invoice_becomes_a_payment_request(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    ainv = deliver(services, "IMG_2041.jpg", encode(photo_of(invoice_pdf()), "JPEG"), "jpeg")
    drain(services)
    with services.sessions() as session:
        row = session.get_one(AliasInvoice, ainv)
    assert row.content_type == "image/jpeg"
    assert row.extracted_data is not None, row.error_message
    assert (row.extracted_data["total_amount"], row.extracted_data["currency"]) == (125000, "eur")
    assert row.status in ("processed", "requires_review")


def test_a_payment_code_conflict_goes_to_review_with_its_reason(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    ainv = deliver(services, "invoice.pdf", with_code(epc_payload("1520.00")), "pdf")
    drain(services)
    with services.sessions() as session:
        row = session.get_one(AliasInvoice, ainv)
        item = session.scalars(select(ReviewItem)).one()
    assert row.status == "requires_review"
    assert "payment_code_conflict" in {r["code"] for r in item.reasons}
