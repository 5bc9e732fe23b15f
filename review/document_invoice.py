"""The invoice that mirrors the forwarded document (pure: extraction data in, figures out).

The tenant's invoice shows what the document printed: its charge rows as lines, its tax as the
invoice's tax (never a "Tax" line), a prepayment or rounding as such, and the amount due. When
the printed figures do not add up, nothing is invented: `mirror` says so, and routing sends the
document to a person instead of billing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from models import currencies

# A table row that only restates the document's tax ("VAT 19 %", "MwSt.", "TVA 20%").
_TAX_ROW = re.compile(
    r"\b(vat|tax|taxes|mwst|ust|umsatzsteuer|mehrwertsteuer|steuer|tva|iva|btw|igic|gst|hst)\b",
    re.I,
)


@dataclass(frozen=True)
class Line:
    description: str
    amount: int


@dataclass(frozen=True)
class Mirror:
    """What the invoice shows. total = subtotal + tax (exclusive) or subtotal (inclusive);
    amount due = total - prepaid + rounding."""

    lines: tuple[Line, ...]
    tax: int | None
    tax_inclusive: bool
    prepaid: int
    rounding: int
    vendor: str | None
    reference: str | None

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return self.subtotal + (0 if self.tax_inclusive else self.tax or 0)

    @property
    def amount_due(self) -> int:
        return self.total - self.prepaid + self.rounding


@dataclass(frozen=True)
class Mismatch:
    """The printed figures do not add up; `message` names them."""

    message: str


def figure(data: Mapping[str, Any], name: str) -> Any:
    """A value at the top of an extraction result, else in its per-field evidence."""
    value = data.get(name)
    if value is None:
        evidence = (data.get("fields") or {}).get(name)
        if isinstance(evidence, Mapping):
            value = evidence.get("value")
    return value


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def printed_lines(data: Mapping[str, Any]) -> list[Line]:
    """Charge rows: headings and notes the table reader kept as 0.00 rows are not charges."""
    lines = []
    for item in data.get("line_items") or []:
        if not isinstance(item, Mapping):
            continue
        amount = _int(item.get("amount"))
        if amount:
            lines.append(Line(str(item.get("description") or "Item").strip()[:500], amount))
    return lines


def mirror(data: Mapping[str, Any]) -> Mirror | Mismatch:
    """The invoice's figures from the document's, or why they do not add up."""
    due = _int(data.get("total_amount"))
    if due is None:
        return Mismatch("No amount due was found.")
    tax = _int(data.get("tax_amount"))
    prepaid = _int(figure(data, "prepaid_amount")) or 0
    rounding = _int(figure(data, "rounding_amount")) or 0
    gross = due + prepaid - rounding
    printed_gross = _int(figure(data, "gross_amount"))
    vendor = figure(data, "vendor")
    reference = data.get("reference")

    def made(lines: list[Line], inclusive: bool) -> Mirror:
        return Mirror(
            tuple(lines),
            tax,
            inclusive,
            prepaid,
            rounding,
            str(vendor) if vendor else None,
            str(reference) if reference else None,
        )

    if printed_gross is not None and printed_gross != gross:
        money = _money(data)
        return Mismatch(
            f"The total {money(printed_gross)} less {money(prepaid)} prepaid is not the amount "
            f"due {money(due)}."
        )
    lines = printed_lines(data)
    if not lines:
        label = f"Invoice {reference}" if reference else "Forwarded invoice"
        return made([Line(label, gross - (tax or 0))], False)
    subtotal = sum(line.amount for line in lines)
    if subtotal + (tax or 0) == gross:
        return made(lines, False)
    without_tax_rows = [line for line in lines if not _is_tax_row(line, tax)]
    rest = sum(line.amount for line in without_tax_rows)
    if tax and len(without_tax_rows) < len(lines) and rest + tax == gross:
        return made(without_tax_rows, False)  # the table repeated the tax as a row
    if tax and subtotal == gross:
        return made(lines, True)  # the rows include the tax ("incl. 19 % VAT")
    money = _money(data)
    return Mismatch(
        f"The lines add up to {money(subtotal)}"
        + (f", the tax is {money(tax)}" if tax else "")
        + (f", {money(prepaid)} was prepaid" if prepaid else "")
        + f", but the amount due is {money(due)}."
    )


def _money(data: Mapping[str, Any]) -> Callable[[int], str]:
    currency = currencies.normalise(data.get("currency"))
    return lambda amount: currencies.format_amount(amount, currency)


def _is_tax_row(line: Line, tax: int | None) -> bool:
    return line.amount == tax and bool(_TAX_ROW.search(line.description))


def summary(data: Mapping[str, Any]) -> Mirror:
    """When a person approved figures that do not add up: one line for the amount due (net of
    the document's tax), never an invented adjustment line."""
    due = int(data["total_amount"])
    tax = _int(data.get("tax_amount"))
    if tax is not None and not 0 <= tax <= due:
        tax = None
    reference = data.get("reference")
    vendor = figure(data, "vendor")
    label = f"Invoice {reference}" if reference else "Forwarded invoice"
    return Mirror(
        (Line(label, due - (tax or 0)),),
        tax,
        False,
        0,
        0,
        str(vendor) if vendor else None,
        str(reference) if reference else None,
    )
