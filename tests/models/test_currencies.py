"""The one money table: every currency survives parse → store → format, and the three bugs of
the old disagreeing tables (CLP ×100, JOD ×100, "1.500" KWD read as 150) stay fixed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from api.app import create_app
from extract.einvoice import parse_einvoice
from extract.numbers import find_amounts
from models import currencies
from models.currencies import AmountSyntaxError, format_amount, format_plain, parse_amount
from models.services import build_services
from models.tables import metadata
from tests.conftest import Api, FakeClock, make_settings, new_account

ALL = currencies.all_currencies()


@pytest.fixture(scope="module")
def shared_api(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One account for the whole table (an account per currency would cost minutes)."""
    tmp = Path(tmp_path_factory.mktemp("currencies"))
    services = build_services(make_settings(tmp, DATABASE_URL=pg_url), clock=FakeClock())
    account_id, test_key, live_key = new_account(services)
    with TestClient(create_app(services), raise_server_exceptions=False) as client:
        yield Api(client, account_id, test_key, live_key)
    with services.engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    services.engine.dispose()


def printed(minor: int, code: str) -> str:
    """How an invoice prints the amount: thousands with ',', CLDR's decimals after '.'."""
    major = currencies.to_major(minor, code)
    places = currencies.get(code).digits
    return f"{major:,.{places}f}"


def test_the_table_is_iso_4217_from_cldr() -> None:
    codes = currencies.codes()
    assert {"eur", "usd", "jpy", "clp", "isk", "jod", "kwd", "chf", "xof"} <= codes
    assert not {"xau", "xts", "xxx", "dem", "frf"} & codes  # metals, tests, long-gone money
    assert len(codes) > 150 and all(re.fullmatch(r"[a-z]{3}", c) for c in codes)


def test_stripe_lists_agree_with_the_table() -> None:
    """Stripe's zero- and three-decimal currencies are exactly where CLDR puts them; the
    two-decimal exceptions are written down and applied."""
    for code in currencies.STRIPE_ZERO_DECIMAL:
        assert currencies.get(code).exponent == 0, code
    for code in currencies.STRIPE_THREE_DECIMAL:
        assert currencies.get(code).exponent == 3, code
    for code in currencies.STRIPE_TWO_DECIMAL:
        cur = currencies.get(code)
        assert (cur.exponent, cur.digits) == (2, 0), code
    assert currencies.exponent("eur") == 2 and currencies.exponent(None) == 2


@pytest.mark.parametrize("currency", ALL, ids=[c.code for c in ALL])
def test_every_currency_parse_store_format(shared_api: Api, currency: currencies.Currency) -> None:
    api = shared_api
    code = currency.code
    cents = 10**currency.exponent - 1 if currency.digits else 0
    minor = 1_234_567 * 10**currency.exponent + cents
    shown = printed(minor, code)
    # parse: the extractor's reading of the printed amount, and a reviewer typing it
    (found,) = find_amounts(f"Total {shown} {code.upper()}")
    assert currencies.to_minor(found.value, code) == minor
    assert parse_amount(shown, code) == minor
    assert parse_amount(format_plain(minor, code), code) == minor
    # store: an invoice through the API keeps the integer
    customer = api.post("/v1/customers", data={"name": "Jane"}).json()["id"]
    r = api.post(
        "/v1/invoices",
        data={
            "customer": customer,
            "currency": code.upper(),
            "line_items[0][description]": "Rent",
            "line_items[0][amount]": str(minor),
            "line_items[0][currency]": code,
        },
    )
    assert r.status_code == 200, r.text
    invoice = api.post(f"/v1/invoices/{r.json()['id']}/finalize").json()
    assert (invoice["amount_due"], invoice["currency"]) == (minor, code)
    # format: the hosted page shows what the invoice printed
    page = api.client.get(f"/i/{invoice['id']}").text
    assert format_amount(minor, code) == f"{shown} {code.upper()}"
    assert f"{shown} {code.upper()}" in page


def test_unknown_currency_is_a_clear_400(api: Api) -> None:
    customer = api.post("/v1/customers", data={"name": "Jane"}).json()["id"]
    r = api.post(
        "/v1/invoices",
        data={
            "customer": customer,
            "line_items[0][description]": "Rent",
            "line_items[0][amount]": "100",
            "line_items[0][currency]": "xyz",
        },
    )
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["param"] == "line_items[0][currency]" and "ISO 4217" in error["message"]


def _cii(currency: str, amount: str) -> bytes:
    return f"""<?xml version="1.0"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
 <rsm:ExchangedDocument><ram:ID>F-1</ram:ID><ram:TypeCode>380</ram:TypeCode></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>
  <ram:InvoiceCurrencyCode>{currency}</ram:InvoiceCurrencyCode>
  <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
   <ram:GrandTotalAmount>{amount}</ram:GrandTotalAmount>
   <ram:DuePayableAmount>{amount}</ram:DuePayableAmount>
  </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
 </ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()


@pytest.mark.parametrize(
    ("currency", "amount", "minor", "shown"),
    [
        ("CLP", "1000", 1000, "1,000 CLP"),  # was billed as 100,000 CLP
        ("JOD", "1000.000", 1_000_000, "1,000.000 JOD"),  # was 100.000 JOD
        ("KWD", "1.500", 1500, "1.500 KWD"),
        ("ISK", "15000", 1_500_000, "15,000 ISK"),  # Stripe: ISK stays two-decimal on the wire
        ("EUR", "1250.00", 125000, "1,250.00 EUR"),
    ],
)
def test_factur_x_amounts_use_the_currency_minor_unit(
    currency: str, amount: str, minor: int, shown: str
) -> None:
    einv = parse_einvoice(_cii(currency, amount))
    assert einv is not None
    assert einv.values["total_amount"] == minor
    assert format_amount(minor, currency.lower()) == shown


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("1.500", "kwd", 1500),  # three decimals: 1.5 KWD, not 1,500 KWD
        ("1,500", "kwd", 1500),
        ("1.500", "eur", 150000),  # a thousands group
        ("15.000", "isk", 1_500_000),
        ("1.000", "clp", 1000),
        ("1 000,000", "jod", 1_000_000),
        ("0,500", "eur", None),  # 0.500 EUR has more decimals than EUR allows
        ("12.50", "jpy", None),
    ],
)
def test_people_type_amounts_as_their_currency_prints_them(
    text: str, currency: str, minor: int | None
) -> None:
    if minor is None:
        with pytest.raises(AmountSyntaxError):
            parse_amount(text, currency)
    else:
        assert parse_amount(text, currency) == minor


def test_display() -> None:
    assert format_amount(125000, "eur") == "1,250.00 EUR"
    assert format_amount(5000, "jpy") == "5,000 JPY"
    assert format_amount(1234, "kwd") == "1.234 KWD"
    assert format_amount(-5, "usd") == "-0.05 USD"
    # ISK shows whole krónur, but never hides minor units an amount really has.
    assert format_amount(1_500_000, "isk") == "15,000 ISK"
    assert format_amount(1_500_050, "isk") == "15,000.50 ISK"


@given(
    st.integers(min_value=-currencies.MAX_AMOUNT, max_value=currencies.MAX_AMOUNT),
    st.sampled_from([c.code for c in ALL]),
)
def test_what_is_shown_reads_back_the_same(minor: int, code: str) -> None:
    assert parse_amount(format_plain(minor, code), code) == minor
    assert currencies.to_minor(Decimal(format_plain(minor, code)), code) == minor
