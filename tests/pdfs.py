"""Small invoice PDFs made on the fly for pipeline tests (the extractor has its own fixtures)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def invoice_pdf(
    *,
    vendor: str = "Northside Property Management Ltd",
    reference: str = "INV-2026-0042",
    issue_date: str = "05/01/2026",
    due_date: str = "01/02/2026",
    lines: tuple[tuple[str, str], ...] = (
        ("Monthly rent - Unit 4B", "1,200.00"),
        ("Parking space", "50.00"),
    ),
    total: str = "1,250.00",
    currency_symbol: str = "EUR",
    iban: str = "DE89 3704 0044 0532 0130 00",
    summary: tuple[tuple[str, str], ...] = (),
    total_label: str = "Total due",
) -> bytes:
    """`summary` rows (subtotal, VAT, prepaid…) print between the lines and the total."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(50, 800, vendor)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(50, 785, "12 Harbour Street, Dublin 2, Ireland")
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(50, 740, "INVOICE")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(50, 720, f"Invoice number: {reference}")
    pdf.drawString(50, 706, f"Invoice date: {issue_date}")
    pdf.drawString(50, 692, f"Due date: {due_date}")
    pdf.drawString(50, 650, "Description")
    pdf.drawRightString(500, 650, f"Amount ({currency_symbol})")
    y = 632
    for description, amount in lines:
        pdf.drawString(50, y, description)
        pdf.drawRightString(500, y, amount)
        y -= 16
    for label, amount in summary:
        y -= 4
        pdf.drawString(300, y, label)
        pdf.drawRightString(500, y, amount)
        y -= 12
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(50, y - 10, total_label)
    pdf.drawRightString(500, y - 10, f"{currency_symbol} {total}")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(50, 120, f"Please pay by bank transfer to IBAN {iban}, quoting {reference}.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def monospace_invoice_pdf(
    *, total: str = "GBP 50.69", pay_by: str = "14/05/2024", width: int = 78
) -> bytes:
    """An ERP print-out in Courier: fixed-width columns, dashed rules, the amounts far right of
    their labels. Scanned, tesseract's page layout drops that amount column."""

    def row(left: str, right: str) -> str:
        return left + " " * max(1, width - len(left) - len(right)) + right

    lines = [
        "NORDSTERN & SONS PLC",
        "94 High Street",
        "Leeds",
        "",
        row("", "TAX INVOICE"),
        "=" * width,
        f"{'Ref.':<24}2024-90050",
        f"{'Date of issue:':<24}30/03/2024",
        f"{'Pay by:':<24}{pay_by}",
        "",
        " " * 40 + "Mario Rossi",
        " " * 40 + "67 High Street",
        "-" * width,
        f"{'Description':<36}{'Qty':>6}{'Unit price':>16}{'Amount':>20}",
        "-" * width,
        f"{'Water supply':<36}{'1':>6}{'36.90':>16}{'36.90':>20}",
        f"{'Garden maintenance':<36}{'1':>6}{'5.34':>16}{'5.34':>20}",
        "-" * width,
        row(" " * 36 + "Subtotal", "42.24"),
        row(" " * 36 + "Tax (20%)", "8.45"),
        row(" " * 36 + "Total incl. VAT", total),
        "=" * width,
        "Bank details: IBAN GB40 FKMQ 1150 6158 5273 89",
    ]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Courier", 8.5)
    y = A4[1] - 50
    for line in lines:
        pdf.drawString(36, y, line)
        y -= 8.5 * 1.45
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def newsletter_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(50, 800, "Residents' newsletter - spring edition")
    pdf.drawString(50, 780, "The garden party is on Saturday. Bring a dish to share!")
    pdf.drawString(50, 760, "Tickets for the raffle cost 2.00 each at the front desk.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf(source: bytes, pages: int = 1, dpi: int = 200, blank_pages: int = 0) -> bytes:
    """An image-only PDF, as a scanner makes it: the text layer is gone, OCR must read it.

    `blank_pages` adds empty backs after the copies (a duplex scan of a one-sided invoice)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(source)
    image = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    document.close()
    out = io.BytesIO()
    image.save(
        out,
        format="PDF",
        resolution=dpi,
        save_all=True,
        append_images=[image.copy() for _ in range(pages - 1)]
        + [image.point(lambda _: 255) for _ in range(blank_pages)],
    )
    return out.getvalue()


CII_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>{reference}</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">{issue}</udt:DateTimeString>
  </ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  {lines}
  <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>{vendor}</ram:Name>
  </ram:SellerTradeParty></ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>{currency}</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
    <udt:DateTimeString format="102">{due}</udt:DateTimeString></ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>{total}</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="{currency}">0</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>{total}</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{total}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""
CII_LINE = """<ram:IncludedSupplyChainTradeLineItem>
   <ram:SpecifiedTradeProduct><ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation>
    <ram:LineTotalAmount>{amount}</ram:LineTotalAmount>
   </ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>"""


def with_cii(
    pdf: bytes,
    *,
    currency: str,
    total: str,
    lines: tuple[tuple[str, str], ...],
    reference: str = "INV-2026-0042",
    vendor: str = "Northside Property Management Ltd",
    issue: str = "20260105",
    due: str = "20260201",
) -> bytes:
    """The PDF with an embedded Factur-X (CII) invoice, amounts written as XML decimals."""
    from pypdf import PdfReader, PdfWriter

    xml = CII_TEMPLATE.format(
        reference=reference,
        issue=issue,
        due=due,
        vendor=vendor,
        currency=currency,
        total=total,
        lines="\n  ".join(CII_LINE.format(name=n, amount=a) for n, a in lines),
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment("factur-x.xml", xml.encode("utf-8"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(password: str = "s3cret") -> bytes:
    """An invoice that opens only with a password (the tenant's bank statement kind)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=StandardEncryption(password, canPrint=1))
    pdf.setFont("Helvetica", 12)
    pdf.drawString(50, 800, "INVOICE INV-LOCKED-1 - Total due EUR 300.00")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def german_invoice_pdf() -> bytes:
    """A landlord's invoice in German: the tenant's emails follow the document's language."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 11)
    lines = [
        "Hausverwaltung Müller GmbH",
        "Hauptstraße 12, 10115 Berlin",
        "RECHNUNG",
        "Rechnungsnummer: RE-2026-0007",
        "Rechnungsdatum: 05.01.2026",
        "Fällig am: 01.02.2026",
        "Beschreibung                       Betrag (EUR)",
        "Miete Januar Wohnung 4B            1.200,00",
        "Stellplatz                            50,00",
        "Gesamtbetrag                     EUR 1.250,00",
        "Bitte überweisen Sie den Betrag auf IBAN DE89 3704 0044 0532 0130 00.",
    ]
    for i, line in enumerate(lines):
        pdf.drawString(50, 800 - 18 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
