"""The engine's interface as the pipeline uses it: shapes, failures, determinism, threads."""

from __future__ import annotations

import datetime
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from extract_testkit import FIXTURES

from extract import ExtractConfig, ExtractionFailed, extract_pdf

CONFIG = ExtractConfig(reference_date=datetime.date(2025, 6, 1))


def test_extracted_data_has_exactly_the_seed_shape() -> None:
    result = extract_pdf((FIXTURES / "text_nl_invoice.pdf").read_bytes(), CONFIG)
    data = result.extracted_data()
    assert list(data) == [
        "total_amount",
        "currency",
        "due_date",
        "reference",
        "line_items",
        "tax_amount",
        "confidence_score",
    ]
    assert data["total_amount"] == 101500 and data["currency"] == "eur"
    assert data["line_items"] == [
        {"description": "Huur juli 2025", "amount": 95000},
        {"description": "Servicekosten", "amount": 6500},
    ]


def test_to_json_is_serialisable_and_carries_evidence() -> None:
    result = extract_pdf((FIXTURES / "text_nl_invoice.pdf").read_bytes(), CONFIG)
    data = json.loads(json.dumps(result.to_json()))
    for key in ("issue_date", "vendor", "iban", "document_type", "fields", "checks", "reasons"):
        assert key in data
    total = data["fields"]["total_amount"]
    assert set(total) == {"value", "confidence", "source", "page", "bbox", "reasons"}


def test_same_bytes_give_the_same_result() -> None:
    data = (FIXTURES / "text_it_invoice_deposit.pdf").read_bytes()
    assert extract_pdf(data, CONFIG).to_json() == extract_pdf(data, CONFIG).to_json()


def test_parallel_threads_agree() -> None:
    names = ["text_de_rent_prepayment", "text_es_invoice", "text_ch_invoice_apostrophe"]
    blobs = [(FIXTURES / f"{n}.pdf").read_bytes() for n in names] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda b: extract_pdf(b, CONFIG).to_json(), blobs))
    assert results[:3] == results[3:]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "pdf_unreadable"),
        (b"hello world", "pdf_unreadable"),
        (b"%PDF-1.4\n%%EOF", "pdf_unreadable"),
    ],
)
def test_garbage_fails_permanently_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(ExtractionFailed) as info:
        extract_pdf(data, CONFIG)
    assert info.value.code == code


def test_too_many_pages_is_refused() -> None:
    small = ExtractConfig(reference_date=datetime.date(2025, 6, 1), max_pages=0)
    with pytest.raises(ExtractionFailed) as info:
        extract_pdf((FIXTURES / "text_nl_invoice.pdf").read_bytes(), small)
    assert info.value.code == "too_many_pages"


def test_damaged_pdfs_fail_with_a_code_never_a_crash() -> None:
    import random

    data = (FIXTURES / "text_es_invoice.pdf").read_bytes()
    rnd = random.Random(7)
    for i in range(40):
        damaged = bytearray(data)
        if i % 2:
            damaged = damaged[: rnd.randrange(len(damaged))]
        else:
            start = rnd.randrange(len(damaged))
            damaged = damaged[:start] + damaged[start + rnd.randrange(1, 200) :]
        try:
            extract_pdf(bytes(damaged), CONFIG)
        except ExtractionFailed as exc:
            assert exc.code in {"pdf_unreadable", "no_amount_found", "pdf_encrypted"}
