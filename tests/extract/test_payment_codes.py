"""Payment codes (EPC GiroCode, Swiss QR-bill) are exact evidence on text, scan and photo pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from extract import ExtractConfig, Extraction, extract_document
from extract.paycodes import parse_payload
from tests.paycode_docs import IBAN, epc_payload, swiss_payload, with_code
from tests.pdfs import scanned_pdf
from tests.photos import encode, photo_of

CONFIG = ExtractConfig(reference_date=datetime.date(2026, 1, 1))


def code_check(result: Extraction) -> tuple[bool, str] | None:
    for check in result.checks:
        if check.name == "payment_code_matches_total":
            return check.passed, check.detail
    return None


def test_epc_payload_parses_to_iban_amount_currency_and_reference() -> None:
    code = parse_payload(epc_payload("99.5"), 1, None)
    assert code is not None and code.kind == "epc"
    assert (code.iban, code.amount, code.currency) == (IBAN, Decimal("99.5"), "eur")
    assert code.reference == "INV-2026-0042"


def test_swiss_qr_bill_payload_parses() -> None:
    code = parse_payload(swiss_payload("3949.75"), 2, None)
    assert code is not None and code.kind == "swiss_qr"
    assert (code.iban, code.amount, code.currency) == (
        "CH4431999123000889012",
        Decimal("3949.75"),
        "chf",
    )
    assert code.reference == "210000000003139471430009017"


def test_other_qr_payloads_are_not_payment_codes() -> None:
    assert parse_payload("https://example.com/pay", 1, None) is None
    assert parse_payload("BCD\n002\n1\nINST\n", 1, None) is None


@pytest.mark.parametrize("vector", [False, True], ids=["image", "vector"])
def test_code_on_a_text_page_confirms_total_currency_and_iban(vector: bool) -> None:
    result = extract_document(with_code(epc_payload(), vector=vector), CONFIG)
    assert result.text_pages == 1 and result.ocr_pages == 0
    assert code_check(result) == (True, "the epc code states the same iban, currency, total")
    total = result.fields["total_amount"]
    assert total.value == 125000 and total.confidence >= 0.97
    assert "confirmed_by_payment_code" in total.reasons
    reference = result.fields["payment_reference"]
    assert (reference.value, reference.source, reference.page) == ("INV-2026-0042", "qr", 1)


def test_code_that_disagrees_with_the_printed_total_is_a_conflict() -> None:
    result = extract_document(with_code(epc_payload("1520.00")), CONFIG)
    assert result.value("total_amount") == 125000  # the printed total is kept...
    passed, detail = code_check(result) or (True, "")
    assert not passed and "amount 152000 in the code, 125000 printed" in detail
    assert "payment_code_conflict" in {b.code for b in result.blockers}  # ...a person decides


def test_swiss_code_with_another_iban_than_the_printed_one_is_a_conflict() -> None:
    result = extract_document(with_code(swiss_payload(), currency_symbol="CHF"), CONFIG)
    passed, detail = code_check(result) or (True, "")
    assert not passed and "IBAN CH4431999123000889012 in the code" in detail


def test_code_is_read_on_a_scan_and_on_a_photo() -> None:
    pdf = with_code(epc_payload())
    for document in (scanned_pdf(pdf), encode(photo_of(pdf), "JPEG", quality=85)):
        result = extract_document(document, CONFIG)
        assert result.ocr_pages == 1
        assert code_check(result) == (True, "the epc code states the same iban, currency, total")
        assert result.fields["payment_reference"].source == "qr"


def test_pages_without_a_code_cost_no_check() -> None:
    from tests.pdfs import invoice_pdf

    result = extract_document(invoice_pdf(), CONFIG)
    assert code_check(result) is None and "payment_reference" not in result.fields
