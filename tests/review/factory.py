"""Review items made the way the results stage makes them: real rows, a real PDF in the blob
store, an extractor-shaped result with evidence, the alias invoice in `requires_review`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from models.alias_invoices import AliasInvoice, Extraction, InboundMessage
from models.customers import Customer, EmailAlias
from models.db import transaction
from models.ids import new_id
from models.review import ReviewItem
from models.services import Services

PAGE_W, PAGE_H = A4  # 595.28 x 841.89 points


@dataclass(frozen=True)
class Made:
    item_id: str
    alias_invoice_id: str
    customer_id: str
    extraction_id: str


# (label, value text, y from the top, field name): one line of the invoice per field.
LINES = (
    ("Invoice number", "INV-2026-001", 190, "reference"),
    ("Due date", "01.02.2026", 215, "due_date"),
    ("Monthly rent - Unit 4B", "1,200.00", 300, None),
    ("Parking space", "50.00", 325, None),
    ("VAT", "0.00", 380, "tax_amount"),
    ("Total due (EUR)", "1,250.00", 410, "total_amount"),
)


def invoice_pdf(
    vendor: str = "Harbour Property Management",
) -> tuple[bytes, dict[str, list[float]]]:
    """A one-page invoice and the bbox [x0, top, x1, bottom] of each field's value."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(60, PAGE_H - 90, vendor)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, PAGE_H - 110, "12 Quay Street, 1011 Amsterdam  -  billing@harbour.example")
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(60, PAGE_H - 150, "INVOICE")
    boxes: dict[str, list[float]] = {}
    size = 11
    for label, value, top, field in LINES:
        pdf.setFont("Helvetica-Bold" if field == "total_amount" else "Helvetica", size)
        baseline = PAGE_H - top
        pdf.drawString(60, baseline, label)
        width = pdf.stringWidth(value, "Helvetica", size)
        pdf.drawRightString(530, baseline, value)
        if field:
            boxes[field] = [530 - width - 2, top - size, 532, top + 3]
    boxes["currency"] = [
        60 + pdf.stringWidth("Total due (", "Helvetica", size),
        410 - size,
        60 + pdf.stringWidth("Total due (EUR", "Helvetica", size),
        413,
    ]
    pdf.line(60, PAGE_H - 395, 535, PAGE_H - 395)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(60, PAGE_H - 480, "Please pay by bank transfer to NL91 ABNA 0417 1643 00.")
    pdf.showPage()
    pdf.save()
    return buf.getvalue(), boxes


def extractor_result(
    boxes: dict[str, list[float]],
    *,
    total: int = 125000,
    confidences: dict[str, float] | None = None,
    score: float = 0.55,
) -> dict[str, Any]:
    conf = {
        "total_amount": 0.42,
        "currency": 0.9,
        "due_date": 0.95,
        "reference": 0.97,
        "tax_amount": 0.8,
        "line_items": 0.6,
        **(confidences or {}),
    }
    values: dict[str, Any] = {
        "total_amount": total,
        "currency": "eur",
        "due_date": "2026-02-01",
        "reference": "INV-2026-001",
        "line_items": [
            {"description": "Monthly rent - Unit 4B", "amount": 120000},
            {"description": "Parking space", "amount": 5000},
        ],
        "tax_amount": 0,
    }
    fields = {
        name: {
            "value": value,
            "confidence": conf[name],
            "source": "text",
            "page": 1,
            "bbox": boxes.get(name),
            "reasons": ["total_mismatch"] if name == "total_amount" else [],
        }
        for name, value in values.items()
    }
    return {
        **values,
        "confidence_score": score,
        "vendor": "Harbour Property Management",
        "document_type": "invoice",
        "fields": fields,
        "checks": [
            {
                "name": "lines_sum_to_total",
                "passed": total == 125000,
                "detail": "line items add up to 1,250.00",
            }
        ],
        "reasons": ["low confidence: total_amount"],
        "pages": {"total": 1, "text": 1, "ocr": 0},
        "languages": ["en"],
    }


REASONS = [
    {
        "code": "low_confidence",
        "message": "Total amount read with confidence 0.42",
        "field": "total_amount",
    },
    {"code": "check_failed", "message": "Line items do not add up to the total"},
]


def make_review_item(
    services: Services,
    account_id: str,
    *,
    livemode: bool = False,
    tenant_name: str = "Jane Doe",
    tenant_email: str | None = "jane@example.com",
    total: int = 125000,
    reasons: list[dict[str, Any]] | None = None,
    with_pdf: bool = True,
) -> Made:
    now = services.clock()
    pdf, boxes = invoice_pdf()
    with transaction(services.sessions) as session:
        customer = Customer(
            id=new_id("cus"),
            account_id=account_id,
            livemode=livemode,
            email=tenant_email,
            name=tenant_name,
            metadata_={},
            created=now,
        )
        session.add(customer)
        session.flush()
        alias = EmailAlias(
            id=new_id("alias"),
            account_id=account_id,
            livemode=livemode,
            customer_id=customer.id,
            local_part=new_id("t", 10).lower(),
            domain="casapay.me",
            status="active",
            metadata_={},
            created=now,
        )
        message = InboundMessage(
            id=new_id("msg"),
            sha256=new_id("h", 40),
            message_id=None,
            raw_blob_key="raw/x.eml",
            mail_from="billing@harbour.example",
            sender_email="billing@harbour.example",
            subject="Invoice INV-2026-001 - February rent",
            size=1000,
            pdf_count=1,
            received_at=now,
        )
        session.add_all([alias, message])
        session.flush()
        ainv = AliasInvoice(
            id=new_id("ainv"),
            account_id=account_id,
            livemode=livemode,
            email_alias_id=alias.id,
            alias_email=alias.email,
            customer_id=customer.id,
            inbound_message_id=message.id,
            attachment_index=0,
            pdf_filename="invoice.pdf",
            sender_email=message.sender_email,
            subject=message.subject,
            status="requires_review",
            metadata_={},
            attempts=1,
            received_at=now,
            created=now,
        )
        if with_pdf:
            ainv.pdf_blob_key = f"pdfs/{ainv.id}.pdf"
            services.blobs.put(ainv.pdf_blob_key, pdf, "application/pdf")
        session.add(ainv)
        session.flush()
        result = extractor_result(boxes, total=total)
        extraction = Extraction(
            id=new_id("ext"),
            alias_invoice_id=ainv.id,
            attempt=1,
            result=result,
            confidence_score=result["confidence_score"],
            created=now,
        )
        session.add(extraction)
        session.flush()
        item = ReviewItem(
            id=new_id("rev"),
            account_id=account_id,
            livemode=livemode,
            alias_invoice_id=ainv.id,
            extraction_id=extraction.id,
            status="pending",
            reasons=reasons if reasons is not None else REASONS,
            created=now,
        )
        session.add(item)
        session.flush()
        return Made(item.id, ainv.id, customer.id, extraction.id)
