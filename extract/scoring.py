"""Consistency checks and the document score.

The score approximates P(total, currency and due date are all right): the product of the three
field confidences, lowered by failed checks and by document kinds that must not be paid
automatically (credit notes, receipts, anything that is not an invoice).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from extract.result import Check, FieldValue

# Probability-like factors; extract/README.md explains the rationale.
MISSING_DUE_FACTOR = 0.88  # a due date is absent on ~1/3 of real invoices ("due on receipt")
KIND_FACTOR = {"invoice": 1.0, "credit_note": 0.3, "receipt": 0.3, "other": 0.2}
FAILED_CHECK_FACTOR = 0.75


def _minor(fields: Mapping[str, FieldValue], name: str) -> int | None:
    fv = fields.get(name)
    return fv.value if fv is not None and isinstance(fv.value, int) else None


def run_checks(fields: Mapping[str, FieldValue]) -> list[Check]:
    """Arithmetic and plausibility checks over the chosen values."""
    checks: list[Check] = []
    total = _minor(fields, "total_amount")
    gross = _minor(fields, "gross_amount")
    net = _minor(fields, "subtotal_amount")
    tax = _minor(fields, "tax_amount")
    prepaid = _minor(fields, "prepaid_amount")
    rounding = _minor(fields, "rounding_amount") or 0
    grand = gross if gross is not None else total
    if grand is not None and net is not None and tax is not None:
        ok = abs(net + tax + rounding - grand) <= 1
        checks.append(
            Check(
                "subtotal_plus_tax_equals_total",
                ok,
                f"{net} + {tax} + rounding {rounding} vs {grand} (minor units)",
            )
        )
    if total is not None and gross is not None and total != gross:
        ok = prepaid is not None and abs(gross - prepaid - total) <= 1
        checks.append(
            Check(
                "prepayment_explains_amount_due",
                ok,
                f"total {gross} - prepaid {prepaid} vs due {total}",
            )
        )
    items = fields.get("line_items")
    if items is not None and isinstance(items.value, list) and items.value and grand is not None:
        line_sum = sum(int(i["amount"]) for i in items.value if isinstance(i, dict))
        targets = (
            [grand]
            + ([net] if net is not None else [])
            + ([grand - tax] if tax is not None else [])
        )
        ok = any(abs(line_sum - t) <= 1 for t in targets)
        checks.append(
            Check(
                "line_items_sum_to_total",
                ok,
                f"sum of {len(items.value)} lines {line_sum} vs {targets}",
            )
        )
    issue, due = fields.get("issue_date"), fields.get("due_date")
    if issue is not None and due is not None:
        ok = str(due.value) >= str(issue.value)
        checks.append(Check("due_date_not_before_issue_date", ok, f"{issue.value} -> {due.value}"))
    currency = fields.get("currency")
    if currency is not None:
        ok = "several_currencies_on_document" not in currency.reasons
        checks.append(Check("currency_agrees_with_symbols", ok, str(currency.value)))
    iban = fields.get("iban")
    if iban is not None:
        checks.append(Check("iban_checksum", True, "mod-97 valid"))
    return checks


def score(
    fields: Mapping[str, FieldValue],
    checks: list[Check],
    document_type: str,
    reference_date: datetime.date,
) -> tuple[float, list[str]]:
    """Calibrated document confidence and the reasons that lowered it."""
    reasons: list[str] = []
    total = fields.get("total_amount")
    currency = fields.get("currency")
    due = fields.get("due_date")
    if total is None:
        return 0.0, ["no_total_amount"]
    value = total.confidence
    if currency is None:
        value *= 0.4
        reasons.append("currency_not_found")
    else:
        value *= currency.confidence
    if due is None:
        value *= MISSING_DUE_FACTOR
        reasons.append("due_date_missing_treated_as_due_on_receipt")
    else:
        value *= due.confidence
    # Arithmetic checks that concern the total matter most; the others are softer.
    for check in checks:
        if not check.passed:
            factor = FAILED_CHECK_FACTOR if check.name != "line_items_sum_to_total" else 0.95
            value *= factor
            reasons.append(f"check_failed:{check.name}")
    kind = KIND_FACTOR.get(document_type, 0.2)
    if kind < 1.0:
        value *= kind
        reasons.append(f"not_payable_document_type:{document_type}")
    if isinstance(total.value, int) and total.value <= 0:
        value *= 0.3
        reasons.append("total_not_positive")
    if due is not None and isinstance(due.value, str):
        try:
            if datetime.date.fromisoformat(due.value) < reference_date - datetime.timedelta(
                days=3650
            ):
                reasons.append("due_date_long_past")
        except ValueError:
            pass
    for name in ("total_amount", "currency", "due_date"):
        fv = fields.get(name)
        if fv is not None and fv.confidence < 0.8:
            reasons.append(f"low_confidence:{name}")
    return max(0.0, min(1.0, value)), reasons
