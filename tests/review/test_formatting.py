"""Reviewers type major units the way invoices print them; the workbench reads them exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.workbench.formatting import AmountError, money, money_input, parse_money


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("1250", "eur", 125000),
        ("1,250.00", "eur", 125000),
        ("1.250,00", "eur", 125000),
        ("1 250,5", "eur", 125050),
        ("0.07", "eur", 7),
        ("-12.30", "eur", -1230),
        ("1250", "jpy", 1250),
        ("1'250.00", "chf", 125000),
        ("1,250", "eur", 125000),
    ],
)
def test_amounts_as_printed(text: str, currency: str, minor: int) -> None:
    assert parse_money(text, currency) == minor


@pytest.mark.parametrize("text", ["", "abc", "12,5,0.999", "1.2.3", "1,25,000", "--5", "5e3"])
def test_ambiguous_or_garbled_amounts_are_refused(text: str) -> None:
    with pytest.raises(AmountError):
        parse_money(text, "eur")


def test_zero_decimal_currencies_refuse_cents() -> None:
    with pytest.raises(AmountError):
        parse_money("12.50", "jpy")


@given(st.integers(min_value=-(10**11), max_value=10**11), st.sampled_from(["eur", "jpy", "usd"]))
def test_what_the_form_shows_reads_back_the_same(minor: int, currency: str) -> None:
    assert parse_money(money_input(minor, currency), currency) == minor


def test_money_for_reading() -> None:
    assert money(125000, "eur") == "1,250.00 EUR"
    assert money(None, "eur") == "—"
