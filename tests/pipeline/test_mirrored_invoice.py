"""A forwarded document becomes an invoice that looks like it: through the queue to the hosted
page and the PDF the tenant sees."""

from __future__ import annotations

import pypdfium2
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from billing.invoices import items_of
from cli import WorkerRuntime
from models.invoices import Invoice
from models.review import ReviewItem
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.pdfs import invoice_pdf
from tests.pipeline.conftest import drain
from tests.pipeline.test_pipeline import deliver, row

LINES = (("Monthly rent - Unit 4B", "1,000.00"), ("Parking space", "50.00"))


def _invoice(services: Services, alias_invoice_id: str) -> Invoice:
    with services.sessions() as session:
        return session.scalars(
            select(Invoice).where(Invoice.alias_invoice_id == alias_invoice_id)
        ).one()


def test_printed_tax_is_the_invoice_tax_and_no_tax_line(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    pdf = invoice_pdf(
        lines=LINES, summary=(("Subtotal", "1,050.00"), ("VAT 19%", "199.50")), total="1,249.50"
    )
    (ainv,) = deliver(services, pdf)
    drain(services)
    assert row(services, ainv).status == "processed"
    invoice = _invoice(services, ainv)
    with services.sessions() as session:
        lines = [(i.description, i.amount) for i in items_of(session, invoice.id)]
    assert lines == [("Monthly rent - Unit 4B", 100000), ("Parking space", 5000)]
    assert (invoice.subtotal, invoice.tax, invoice.total, invoice.amount_due) == (
        105000,
        19950,
        124950,
        124950,
    )
    assert (invoice.vendor, invoice.vendor_reference) == (
        "Northside Property Management Ltd",
        "INV-2026-0042",
    )
    with TestClient(create_app(services)) as client:
        page = client.get(f"/i/{invoice.id}").text
        pdf_text = client.get(f"/i/{invoice.id}/pdf").content
    assert "Northside Property Management Ltd, invoice INV-2026-0042" in page
    assert "199.50 EUR" in page and ">Tax<" in page and "Adjustment" not in page
    document = pypdfium2.PdfDocument(pdf_text)
    printed = document[0].get_textpage().get_text_bounded()
    assert "From: Northside Property Management Ltd, invoice INV-2026-0042" in printed
    assert "199.50 EUR" in printed and "Amount due" in printed and "Adjustment" not in printed


def test_a_prepayment_shows_as_such_and_no_tax_zero_row(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    pdf = invoice_pdf(
        lines=LINES,
        summary=(("Total", "1,050.00"), ("Prepayment received", "300.00")),
        total="750.00",
        total_label="Amount due",
    )
    (ainv,) = deliver(services, pdf)
    drain(services)
    invoice = _invoice(services, ainv)
    assert (invoice.total, invoice.prepaid_amount, invoice.amount_due) == (105000, 30000, 75000)
    with TestClient(create_app(services)) as client:
        page = client.get(f"/i/{invoice.id}").text
    assert ">Prepaid<" in page and "-300.00 EUR" in page and "750.00 EUR" in page
    assert ">Tax<" not in page  # the document printed no tax


def test_figures_that_do_not_add_up_wait_for_review(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf(lines=LINES, total="1,310.00"))
    drain(services)
    assert row(services, ainv).status == "requires_review"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    (reason,) = [r for r in item.reasons if r["code"] == "figures_do_not_add_up"]
    assert reason["message"] == (
        "The lines add up to 1,050.00 EUR, but the amount due is 1,310.00 EUR."
    )


def test_tenant_pages_answer_errors_with_a_page(services: Services) -> None:
    with TestClient(create_app(services)) as client:
        for path in ("/i/inv_doesnotexist", "/pay/pr_expired", "/i/bad%20id"):
            r = client.get(path)
            assert r.status_code in (400, 404), path
            assert r.headers["content-type"].startswith("text/html"), path
            assert "<html" in r.text and '"error"' not in r.text
        assert client.get("/v1/invoices/inv_x").headers["content-type"] == "application/json"
