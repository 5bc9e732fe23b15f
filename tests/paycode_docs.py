"""Invoices that carry a payment code: an EPC (GiroCode) QR or a Swiss QR-bill, drawn as an
image or module by module as vector squares (as QR-bill libraries do)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from tests.pdfs import invoice_pdf

IBAN = "DE89370400440532013000"


def epc_payload(amount: str = "1250.00", iban: str = IBAN, currency: str = "EUR") -> str:
    return "\n".join(
        [
            "BCD",
            "002",
            "1",
            "SCT",
            "COBADEFFXXX",
            "Northside Property Management Ltd",
            iban,
            f"{currency}{amount}",
            "",
            "",
            "INV-2026-0042",
        ]
    )


def swiss_payload(amount: str = "1250.00", currency: str = "CHF") -> str:
    creditor = ["S", "Northside Immobilien AG", "Bahnhofstrasse", "1", "8001", "Zürich", "CH"]
    debtor = ["S", "Jane Doe", "Seeweg", "4", "8002", "Zürich", "CH"]
    return "\n".join(
        [
            "SPC",
            "0200",
            "1",
            "CH4431999123000889012",
            *creditor,
            *([""] * 7),
            amount,
            currency,
            *debtor,
            "QRR",
            "210000000003139471430009017",
            "Miete Januar",
            "EPD",
        ]
    )


def _qr(payload: str) -> list[list[bool]]:
    import segno

    code = segno.make_qr(payload, error="m", encoding="utf-8")
    return [[bool(v) for v in row] for row in code.matrix]


def _stamp(draw: callable, size: tuple[float, float] = A4) -> bytes:  # type: ignore[valid-type]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def with_code(payload: str, *, vector: bool = False, **invoice: str) -> bytes:
    """tests.pdfs.invoice_pdf with a 120 pt QR code in its lower right corner."""
    matrix = _qr(payload)
    x0, y0, side = 420.0, 150.0, 120.0

    def draw(pdf: canvas.Canvas) -> None:
        if vector:
            module = side / (len(matrix) + 8)
            for r, row in enumerate(matrix):
                for c, dark in enumerate(row):
                    if dark:
                        x = x0 + (c + 4) * module
                        y = y0 + side - (r + 5) * module
                        pdf.rect(x, y, module, module, stroke=0, fill=1)
        else:
            import segno

            png = io.BytesIO()
            segno.make_qr(payload, error="m", encoding="utf-8").save(png, kind="png", scale=6)
            png.seek(0)
            pdf.drawImage(ImageReader(png), x0, y0, side, side)

    writer = PdfWriter(clone_from=io.BytesIO(invoice_pdf(**invoice)))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(_stamp(draw))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
