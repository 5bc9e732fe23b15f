"""Amount parsing across European and Anglo-Saxon formats."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import find_amounts, parse_number, to_minor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1'234.50", "1234.50"),
        ("1234,56", "1234.56"),
        ("-9,07", "-9.07"),
        ("9,07-", "-9.07"),
        ("(45.00)", "-45.00"),
        ("1.500", "1500"),
        ("9,9000", "9.9000"),
        ("0,500", "0.500"),
    ],
)
def test_parse_number_understands_common_formats(text: str, expected: str) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed[0] == Decimal(expected)


def test_malformed_grouping_is_rejected() -> None:
    assert parse_number("12.34.5") is None
    assert parse_number("1,2345,67") is None


def test_find_amounts_skips_dates_percentages_and_iban_groups() -> None:
    found = find_amounts("05.03.2018  19%  IBAN DE30507500940000048567  Total 198,00 €")
    assert [str(a.value) for a in found] == ["198.00"]


def _format(cents: int, style: str) -> str:
    units, frac = divmod(cents, 100)
    groups = f"{units:,}"
    if style == "de":
        return groups.replace(",", ".") + f",{frac:02d}"
    if style == "fr":
        return groups.replace(",", " ") + f",{frac:02d}"
    if style == "ch":
        return groups.replace(",", "'") + f".{frac:02d}"
    return groups + f".{frac:02d}"


@given(st.integers(min_value=0, max_value=10**11), st.sampled_from(["de", "fr", "ch", "en"]))
def test_round_trip_any_format(cents: int, style: str) -> None:
    text = _format(cents, style)
    found = find_amounts(f"Total {text} EUR")
    assert len(found) == 1
    assert to_minor(found[0].value, "eur") == cents


def test_to_minor_respects_zero_decimal_currencies() -> None:
    assert to_minor(Decimal("1234"), "jpy") == 1234
    assert to_minor(Decimal("12.345"), "eur") == 1235
