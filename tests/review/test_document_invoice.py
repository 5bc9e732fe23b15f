"""The invoice mirrors the document: printed rows as lines, the printed tax as tax, a prepayment
as such; figures that do not add up are a review reason, never an invented line (pure)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from review.document_invoice import Mirror, Mismatch, mirror, summary
from review.routing import decide

RENT = {"description": "Monthly rent", "amount": 100000}
PARKING = {"description": "Parking space", "amount": 5000}


def doc(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "total_amount": 105000,
        "currency": "eur",
        "reference": "INV-7",
        "vendor": "Northside Ltd",
        "line_items": [RENT, PARKING],
        "tax_amount": None,
        "confidence_score": 0.95,
        "document_type": "invoice",
    }
    return base | values


def test_printed_tax_is_the_invoice_tax_not_a_line() -> None:
    found = mirror(doc(total_amount=124950, tax_amount=19950))
    assert isinstance(found, Mirror)
    assert [line.description for line in found.lines] == ["Monthly rent", "Parking space"]
    assert (found.subtotal, found.tax, found.total, found.amount_due) == (
        105000,
        19950,
        124950,
        124950,
    )
    assert (found.vendor, found.reference) == ("Northside Ltd", "INV-7")


def test_a_tax_row_read_as_a_line_becomes_the_tax() -> None:
    vat = {"description": "VAT 19 %", "amount": 19950}
    found = mirror(doc(total_amount=124950, tax_amount=19950, line_items=[RENT, PARKING, vat]))
    assert isinstance(found, Mirror)
    assert len(found.lines) == 2 and found.tax == 19950 and found.total == 124950


def test_rows_that_include_the_tax_keep_it_included() -> None:
    found = mirror(doc(total_amount=105000, tax_amount=16765))
    assert isinstance(found, Mirror) and found.tax_inclusive
    assert (found.subtotal, found.total, found.amount_due) == (105000, 105000, 105000)


def test_headings_and_notes_read_as_zero_rows_are_not_lines() -> None:
    heading = {"description": "Services for January", "amount": 0}
    found = mirror(doc(line_items=[heading, RENT, PARKING]))
    assert isinstance(found, Mirror) and len(found.lines) == 2


def test_a_prepayment_is_shown_as_such() -> None:
    data = doc(total_amount=75000, fields={"prepaid_amount": {"value": 30000}})
    found = mirror(data)
    assert isinstance(found, Mirror)
    assert (found.total, found.prepaid, found.amount_due) == (105000, 30000, 75000)


def test_figures_that_do_not_add_up_are_a_mismatch_naming_them() -> None:
    found = mirror(doc(total_amount=131000))
    assert isinstance(found, Mismatch)
    assert found.message == (
        "The lines add up to 1,050.00 EUR, but the amount due is 1,310.00 EUR."
    )
    reasons = decide(doc(total_amount=131000), 0.7).reasons
    assert [r["code"] for r in reasons] == ["figures_do_not_add_up"]
    assert decide(doc(), 0.7).bill


def test_no_lines_gives_one_line_net_of_the_printed_tax() -> None:
    found = mirror(doc(line_items=None, total_amount=119000, tax_amount=19000))
    assert isinstance(found, Mirror)
    assert [(line.description, line.amount) for line in found.lines] == [("Invoice INV-7", 100000)]
    assert found.total == 119000


def test_approved_despite_a_mismatch_bills_one_line_for_the_amount_due() -> None:
    found = summary(doc(total_amount=131000, tax_amount=1000))
    assert [(line.description, line.amount) for line in found.lines] == [("Invoice INV-7", 130000)]
    assert found.amount_due == 131000


amounts = st.integers(min_value=1, max_value=10**9)


@given(st.lists(amounts, min_size=1, max_size=8), st.integers(0, 10**8), st.integers(0, 10**8))
def test_consistent_figures_always_mirror_to_the_printed_amount_due(
    lines: list[int], tax: int, prepaid: int
) -> None:
    gross = sum(lines) + tax
    items = [{"description": f"Row {i}", "amount": a} for i, a in enumerate(lines)]
    data = doc(
        total_amount=gross - prepaid,
        tax_amount=tax or None,
        line_items=items,
        fields={"prepaid_amount": {"value": prepaid}},
    )
    found = mirror(data)
    assert isinstance(found, Mirror)
    assert found.amount_due == gross - prepaid and found.subtotal + (found.tax or 0) == gross


@given(st.lists(amounts, min_size=1, max_size=8), st.integers(1, 10**6))
def test_any_unexplained_difference_is_a_mismatch(lines: list[int], off: int) -> None:
    items = [{"description": f"Row {i}", "amount": a} for i, a in enumerate(lines)]
    assert isinstance(mirror(doc(total_amount=sum(lines) + off, line_items=items)), Mismatch)
