"""The invoice as a PDF: drawn with reportlab from the finalized (locked) data, stored once.

Rendering is deterministic (reportlab's invariant mode) and keyed by invoice id, so rendering
again after a crash or by a second caller writes the same bytes under the same key.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy.orm import Session

from billing.invoice_summary import TotalRow, issuer_line, total_rows
from billing.invoices import items_of
from models.blobstore import BlobStore
from models.currencies import format_amount
from models.customers import Customer
from models.errors import InvalidRequest
from models.invoices import Invoice


@dataclass(frozen=True)
class PdfLine:
    description: str
    quantity: int
    unit_amount: int
    amount: int


@dataclass(frozen=True)
class PdfInvoice:
    number: str
    customer_name: str
    customer_email: str | None
    currency: str
    description: str | None
    finalized_at: int
    due_date: int | None
    lines: tuple[PdfLine, ...]
    totals: tuple[TotalRow, ...]
    amount_due: int
    hosted_url: str | None
    issuer: str | None = None


def _date(ts: int | None) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d") if ts is not None else "-"


def render_pdf(doc: PdfInvoice) -> bytes:
    """One A4 page per 30 lines: header, lines, totals, the pay link."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=True)
    canvas.setTitle(f"Invoice {doc.number}")
    _width, height = A4
    money = lambda amount: format_amount(amount, doc.currency)  # noqa: E731

    def header() -> float:
        canvas.setFont("Helvetica-Bold", 18)
        canvas.drawString(20 * mm, height - 25 * mm, "Invoice")
        canvas.setFont("Helvetica", 10)
        y = height - 35 * mm
        for text in (
            *([f"From: {doc.issuer[:100]}"] if doc.issuer else []),
            f"Number: {doc.number}",
            f"Billed to: {doc.customer_name}"
            + (f" <{doc.customer_email}>" if doc.customer_email else ""),
            f"Issued: {_date(doc.finalized_at)}    Due: {_date(doc.due_date)}",
            *([doc.description[:110]] if doc.description else []),
        ):
            canvas.drawString(20 * mm, y, text)
            y -= 6 * mm
        y -= 4 * mm
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(20 * mm, y, "Description")
        canvas.drawRightString(130 * mm, y, "Qty")
        canvas.drawRightString(160 * mm, y, "Unit")
        canvas.drawRightString(190 * mm, y, "Amount")
        canvas.setFont("Helvetica", 10)
        return y - 7 * mm

    y = header()
    for index, line in enumerate(doc.lines):
        if index and index % 30 == 0:
            canvas.showPage()
            y = header()
        canvas.drawString(20 * mm, y, line.description[:60])
        canvas.drawRightString(130 * mm, y, str(line.quantity))
        canvas.drawRightString(160 * mm, y, money(line.unit_amount))
        canvas.drawRightString(190 * mm, y, money(line.amount))
        y -= 6 * mm
    y -= 4 * mm
    rows = [(r.label, r.amount, r.strong) for r in doc.totals]
    for label, amount, bold in (*rows, ("Amount due", doc.amount_due, True)):
        canvas.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
        canvas.drawRightString(160 * mm, y, label)
        canvas.drawRightString(190 * mm, y, money(amount))
        y -= 6 * mm
    if doc.hosted_url:
        canvas.setFont("Helvetica", 9)
        canvas.drawString(20 * mm, 20 * mm, f"Pay online: {doc.hosted_url}")
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def pdf_key(invoice: Invoice) -> str:
    return f"invoices/{invoice.account_id}/{invoice.id}.pdf"


def ensure_pdf(session: Session, invoice: Invoice, blobs: BlobStore, public_url: str) -> str:
    """The blob key of the invoice's PDF, rendering and storing it on first use."""
    if invoice.pdf_blob_key:
        return invoice.pdf_blob_key
    if invoice.finalized_at is None:
        raise InvalidRequest(
            f"Invoice {invoice.id} is a draft; its PDF exists once it is finalized.",
            code="invoice_not_finalized",
        )
    customer = session.get(Customer, invoice.customer_id)
    assert customer is not None  # foreign key
    doc = PdfInvoice(
        number=invoice.id,
        customer_name=customer.name or customer.email or customer.id,
        customer_email=customer.email,
        currency=invoice.currency or "eur",
        description=invoice.description,
        finalized_at=invoice.finalized_at,
        due_date=invoice.due_date,
        lines=tuple(
            PdfLine(i.description, i.quantity, i.unit_amount, i.amount)
            for i in items_of(session, invoice.id)
        ),
        totals=tuple(total_rows(invoice)),
        amount_due=invoice.amount_remaining,
        issuer=issuer_line(invoice),
        hosted_url=f"{public_url}/i/{invoice.id}",
    )
    key = pdf_key(invoice)
    blobs.put(key, render_pdf(doc), "application/pdf")
    invoice.pdf_blob_key = key
    session.flush()
    return key
