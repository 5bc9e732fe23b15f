"""The totals block an invoice shows (hosted page and PDF): only the rows that say something.

A "Tax 0.00" row on a bill that printed no tax, or a total repeated as the amount due, would
make the tenant's invoice look unlike the document they forwarded.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.invoices import Invoice


@dataclass(frozen=True)
class TotalRow:
    label: str
    amount: int
    strong: bool = False


def total_rows(invoice: Invoice) -> list[TotalRow]:
    """Subtotal, tax (when there is any), total, a prepayment or rounding, the amount due."""
    included = invoice.tax - (invoice.total - invoice.subtotal)
    rows = [TotalRow("Subtotal", invoice.subtotal)]
    if invoice.tax:
        rows.append(TotalRow("Tax included" if included else "Tax", invoice.tax))
    rows.append(TotalRow("Total", invoice.total, strong=True))
    if invoice.prepaid_amount:
        rows.append(TotalRow("Prepaid", -invoice.prepaid_amount))
    if invoice.rounding_amount:
        rows.append(TotalRow("Rounding", invoice.rounding_amount))
    if invoice.amount_paid and invoice.amount_paid != invoice.amount_due:
        rows.append(TotalRow("Paid", -invoice.amount_paid))
    return rows


def issuer_line(invoice: Invoice) -> str | None:
    """ "Northside Property Ltd, invoice INV-42": who billed the tenant, in their own words."""
    parts = [invoice.vendor or ""]
    if invoice.vendor_reference:
        parts.append(f"invoice {invoice.vendor_reference}")
    text = ", ".join(p for p in parts if p)
    return text or None
