"""Corrections are validated and normalised before they can reach the billing path (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import InvalidRequest
from review.corrections import apply_corrections, require_billable, validate_corrections


def test_values_are_normalised() -> None:
    clean = validate_corrections(
        {
            "currency": " EUR ",
            "reference": "  INV-1 ",
            "due_date": "2026-02-28",
            "line_items": [{"description": " Rent ", "amount": -500}],
        }
    )
    assert clean == {
        "currency": "eur",
        "reference": "INV-1",
        "due_date": "2026-02-28",
        "line_items": [{"description": "Rent", "amount": -500}],
    }


def test_empty_reference_and_due_date_clear_the_value() -> None:
    assert validate_corrections({"reference": "", "due_date": ""}) == {
        "reference": None,
        "due_date": None,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_amount", -1),
        ("total_amount", 1.0),
        ("total_amount", False),
        ("total_amount", 10**12),
        ("tax_amount", "5"),
        ("currency", "EU"),
        ("currency", "abc"),
        ("currency", 978),
        ("due_date", "2026-13-01"),
        ("due_date", "2026-2-1"),
        ("due_date", "2025-02-29"),
        ("reference", "x" * 201),
        ("line_items", {"a": 1}),
        ("line_items", [{"description": "Rent", "amount": 1, "qty": 2}]),
    ],
)
def test_bad_values_name_their_field(field: str, value: object) -> None:
    with pytest.raises(InvalidRequest) as info:
        validate_corrections({field: value})
    assert info.value.param is not None and info.value.param.startswith(field)


def test_only_changed_values_count_as_corrections() -> None:
    data, changed = apply_corrections(
        {"total_amount": 100, "currency": "eur"}, {"total_amount": 100, "currency": "usd"}
    )
    assert data == {"total_amount": 100, "currency": "usd"}
    assert changed == {"currency": {"from": "eur", "to": "usd"}}


def test_billing_needs_amount_and_currency() -> None:
    with pytest.raises(InvalidRequest) as info:
        require_billable({"total_amount": 100, "currency": None})
    assert info.value.param == "currency"


@given(st.integers(min_value=0, max_value=99_999_999_999))
def test_every_plausible_amount_is_accepted_unchanged(amount: int) -> None:
    assert validate_corrections({"total_amount": amount}) == {"total_amount": amount}


@given(st.dates())
def test_every_real_date_round_trips(day: object) -> None:
    text = str(day)
    if len(text) == 10:
        assert validate_corrections({"due_date": text}) == {"due_date": text}
