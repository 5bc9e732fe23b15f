"""The honest auto-approve gate: when may money be requested without a person?

Two conditions, both required:
(a) the total and the currency are confirmed by something independent of the label that gave
    them: net + tax = total, line items summing to the total, a payment code (QR) with the same
    amount, or e-invoice XML. A strong, unambiguous label counts only where no arithmetic can
    exist (no net, no tax line, no item table on the page);
(b) nothing contradicts the reading: no deadline wording without a date, no second candidate
    total, no second currency, no second invoice in the file, no payment-code conflict.

Anything else becomes a blocker `{code, field, message}`; review/routing.py turns blockers into
review reasons that no account threshold can bypass. Pure: fields and facts in, blockers out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from extract.result import Blocker, Check, FieldValue

# Checks whose success confirms the total independently of its label.
CONFIRMING_CHECKS = {
    "subtotal_plus_tax_equals_total": "arithmetic",
    "line_items_sum_to_total": "line_items",
    "payment_code_matches_total": "payment_code",
}


_TAX_FROM_TOTAL = {"tax_computed_total_minus_net", "tax_zero_since_net_equals_total"}


@dataclass(frozen=True)
class Facts:
    """What the reading saw beyond the chosen fields (collected by the engine)."""

    documents: int = 1  # invoices detected in the file
    first_document_pages: int = 1  # how many pages the first of them covers
    deadline_without_date: bool = False
    other_totals: tuple[int, ...] = ()  # labelled payable amounts no arithmetic explains
    currencies: tuple[str, ...] = ()  # distinct currencies printed near amounts
    arithmetic_possible: bool = True  # net/tax lines or an item table are printed
    strong_total_label: bool = False  # the total came from an unambiguous payable label
    total_row_adds_up: bool = False  # the total's own row prints net and tax that sum to it
    unread_dates: tuple[str, ...] = ()  # later dates nothing explains while no due date was read
    photographed: bool = False  # a page was read by OCR from a phone photo
    due_on_receipt: bool = False  # "payable on receipt / sofort / à réception" is printed


def confirmations(fields: Mapping[str, FieldValue], checks: list[Check], facts: Facts) -> list[str]:
    """How the total is confirmed (empty: only its label says so)."""
    total = fields.get("total_amount")
    if total is None:
        return []
    if total.source == "xml":
        return ["xml"]
    passed = {c.name for c in checks if c.passed}
    failed = {c.name for c in checks if not c.passed}
    found = [why for name, why in CONFIRMING_CHECKS.items() if name in passed]
    tax = fields.get("tax_amount")
    if tax is not None and set(tax.reasons) & _TAX_FROM_TOTAL:
        # A tax computed as total - net makes net + tax = total by construction.
        found = [f for f in found if f != "arithmetic"]
    if facts.total_row_adds_up:
        found.append("total_row_arithmetic")
    if "prepayment_explains_amount_due" in failed:
        # net + tax confirm the grand total, but not what is left to pay after a prepayment.
        found = [f for f in found if f == "payment_code"]
    if not found and not facts.arithmetic_possible and facts.strong_total_label:
        found.append("strong_label_without_arithmetic")
    return found


def _currency_confirmed(fields: Mapping[str, FieldValue], checks: list[Check]) -> bool:
    currency = fields.get("currency")
    if currency is None:
        return False
    if currency.source == "xml" or any(
        c.name == "payment_code_matches_total" and c.passed for c in checks
    ):
        return True
    return "currency_symbol_read_by_ocr_only" not in currency.reasons


def assess(
    fields: Mapping[str, FieldValue],
    checks: list[Check],
    facts: Facts,
    upstream: tuple[Blocker, ...] = (),
) -> tuple[Blocker, ...]:
    """Every reason this extraction must not be billed without a person."""
    out: list[Blocker] = list(upstream)
    if facts.documents > 1:
        out.append(
            Blocker(
                "multiple_invoices",
                None,
                f"The file holds {facts.documents} invoices; each needs its own review.",
            )
        )
    if facts.deadline_without_date and fields.get("due_date") is None:
        out.append(
            Blocker(
                "deadline_without_date",
                "due_date",
                "The document states a payment deadline but no date could be read.",
            )
        )
    if facts.unread_dates and fields.get("due_date") is None:
        out.append(
            Blocker(
                "due_date_unread",
                "due_date",
                f"No due date was read, yet a later date is printed "
                f"({', '.join(facts.unread_dates[:3])}) that nothing else explains.",
            )
        )
    if facts.photographed and fields.get("due_date") is None and not facts.due_on_receipt:
        # A missing due date is billed as due on receipt, so its absence must be confirmed; OCR
        # of a photo drops whole boxes and misreads labels ("Zahibar bis"), so it cannot.
        out.append(
            Blocker(
                "due_date_unconfirmed",
                "due_date",
                "No due date was read on a photographed page, and a photo's reading cannot "
                "confirm that none is printed.",
            )
        )
    total = fields.get("total_amount")
    if total is not None and total.source != "xml" and facts.other_totals:
        shown = ", ".join(str(v) for v in facts.other_totals[:3])
        out.append(
            Blocker(
                "total_ambiguous",
                "total_amount",
                f"Other payable amounts are printed ({shown} minor units) and no arithmetic "
                "tells which one is owed.",
            )
        )
    if len(set(facts.currencies)) > 1 and fields.get("currency", _NONE).source != "xml":
        out.append(
            Blocker(
                "currency_ambiguous",
                "currency",
                f"Several currencies are printed: {', '.join(sorted(set(facts.currencies)))}.",
            )
        )
    if total is not None and not confirmations(fields, checks, facts):
        out.append(
            Blocker(
                "total_unconfirmed",
                "total_amount",
                "Nothing but its label confirms the total (no net + tax, line items or payment "
                "code that agree with it).",
            )
        )
    if fields.get("currency") is not None and not _currency_confirmed(fields, checks):
        out.append(
            Blocker(
                "currency_unconfirmed",
                "currency",
                "The currency rests on a symbol read by OCR alone.",
            )
        )
    seen: set[str] = set()
    unique = []
    for b in out:
        if b.code not in seen:
            seen.add(b.code)
            unique.append(b)
    return tuple(unique)


_NONE = FieldValue(None, 0.0, "none")
