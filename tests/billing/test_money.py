"""The money math, pure: properties (hypothesis) and the worked examples they generalise."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from billing.money import (
    Line,
    Rate,
    compute_totals,
    line_taxes,
    percentage,
    round_half_up,
)

amounts = st.integers(min_value=-(10**11), max_value=10**11)
quantities = st.integers(min_value=1, max_value=1000)
pcts = st.decimals(min_value=0, max_value=100, places=4).map(lambda d: Fraction(d))
rates = st.lists(
    st.builds(Rate, id=st.uuids().map(str), percentage=pcts, inclusive=st.booleans()),
    max_size=4,
    unique_by=lambda r: r.id,
)
lines = st.lists(
    st.builds(Line, unit_amount=amounts, quantity=quantities, rates=rates.map(tuple)), max_size=8
)


def test_worked_examples() -> None:
    vat = Rate("txr_vat", percentage(19.0), False)
    incl = Rate("txr_incl", percentage(7.7), True)
    assert line_taxes(1000, [vat])[0].amount == 190
    assert line_taxes(1077, [incl])[0].amount == 77
    # 0.5 minor units round up, -0.5 rounds to -1.
    assert line_taxes(50, [Rate("r", Fraction(1), False)])[0].amount == 1
    assert line_taxes(-50, [Rate("r", Fraction(1), False)])[0].amount == -1
    totals = compute_totals([Line(120000, 1), Line(2500, 2, (vat,))])
    assert (totals.subtotal, totals.tax, totals.total) == (125000, 950, 125950)
    assert totals.amount_due == 125950 and totals.amount_remaining == 125950
    assert percentage(7.7) == Fraction(77, 10)


@given(st.fractions(min_value=-(10**9), max_value=10**9))
def test_rounding_is_nearest_with_halves_away_from_zero(value: Fraction) -> None:
    rounded = round_half_up(value)
    assert abs(rounded - value) <= Fraction(1, 2)
    if abs(rounded - value) == Fraction(1, 2):
        assert abs(rounded) > abs(value)


@given(lines, st.integers(min_value=0, max_value=10**12))
def test_totals_identities(items: list[Line], paid: int) -> None:
    totals = compute_totals(items, amount_paid=paid)
    assert totals.subtotal == sum(i.unit_amount * i.quantity for i in items)
    assert totals.total == totals.subtotal + totals.exclusive_tax
    assert totals.tax == totals.exclusive_tax + totals.inclusive_tax
    assert totals.amount_due == totals.total
    assert totals.amount_remaining == totals.amount_due - paid
    per_line = sum(t.amount for taxes in totals.line_taxes for t in taxes)
    assert per_line == totals.tax  # rounded per line, then summed: no drift


@given(amounts, rates)
def test_each_line_tax_is_within_half_a_unit_of_exact(amount: int, line_rates: list[Rate]) -> None:
    taxes = {t.tax_rate: t for t in line_taxes(amount, line_rates)}
    inclusive = sum((r.percentage for r in line_rates if r.inclusive), Fraction(0))
    carved = sum(t.amount for t in taxes.values() if t.inclusive)
    for rate in line_rates:
        if rate.inclusive:
            exact = amount * rate.percentage / (100 + inclusive)
        else:
            exact = (amount - carved) * rate.percentage / 100
        assert abs(taxes[rate.id].amount - exact) <= Fraction(1, 2)
    assert abs(carved) <= abs(amount)


@given(amounts, rates)
def test_credits_mirror_debits(amount: int, line_rates: list[Rate]) -> None:
    debit = [t.amount for t in line_taxes(amount, line_rates)]
    credit = [t.amount for t in line_taxes(-amount, line_rates)]
    assert credit == [-x for x in debit]
