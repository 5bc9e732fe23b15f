"""The project's generated fixtures (six languages, text and scanned renderings, traps) must
come out exactly as their expected json says."""

from __future__ import annotations

import pytest
from extract_testkit import FIXTURES, ExtractionCache, expected_for, fixture_names

from extract import Extraction, ExtractionFailed


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_matches_expected(name: str, extraction_cache: ExtractionCache) -> None:
    expected = expected_for(name)
    result = extraction_cache.run(FIXTURES / f"{name}.pdf")
    if expected["outcome"] == "failed":
        assert isinstance(result, ExtractionFailed), result
        assert result.code == expected["error_code"]
        return
    assert isinstance(result, Extraction), result
    assert result.document_type == expected["document_type"]
    fields = expected["fields"]
    assert isinstance(fields, dict)
    for key, value in fields.items():
        assert result.value(key) == value, (key, result.fields.get(key))
    low, high = expected["min_score"], expected["max_score"]
    assert isinstance(low, float | int) and isinstance(high, float | int)
    assert low <= result.confidence_score <= high, result.reasons


def test_scanned_pages_are_ocred_and_text_pages_are_not(extraction_cache: ExtractionCache) -> None:
    scanned = extraction_cache.run(FIXTURES / "scan_es_invoice.pdf")
    text = extraction_cache.run(FIXTURES / "text_es_invoice.pdf")
    assert isinstance(scanned, Extraction) and isinstance(text, Extraction)
    assert (scanned.ocr_pages, scanned.text_pages) == (1, 0)
    assert (text.ocr_pages, text.text_pages) == (0, 1)
    assert scanned.fields["total_amount"].source == "ocr"
    assert text.fields["total_amount"].source == "text"


def test_embedded_xml_wins_and_text_path_agrees_without_it(
    extraction_cache: ExtractionCache,
) -> None:
    with_xml = extraction_cache.run(FIXTURES / "xml_facturx_de.pdf", use_xml=True)
    without = extraction_cache.run(FIXTURES / "xml_facturx_de.pdf", use_xml=False)
    assert isinstance(with_xml, Extraction) and isinstance(without, Extraction)
    assert with_xml.fields["total_amount"].source == "xml"
    assert without.fields["total_amount"].source == "text"
    for key in ("total_amount", "currency", "due_date", "reference", "tax_amount", "iban"):
        assert with_xml.value(key) == without.value(key), key


def test_prepayment_makes_amount_due_the_total(extraction_cache: ExtractionCache) -> None:
    result = extraction_cache.run(FIXTURES / "text_de_rent_prepayment.pdf")
    assert isinstance(result, Extraction)
    assert result.value("gross_amount") == result.value("total_amount") + 50000  # type: ignore[operator]
    check = {c.name: c.passed for c in result.checks}
    assert check["prepayment_explains_amount_due"] is True
    assert check["subtotal_plus_tax_equals_total"] is True


def test_terms_give_a_computed_due_date_slightly_below_a_printed_one(
    extraction_cache: ExtractionCache,
) -> None:
    result = extraction_cache.run(FIXTURES / "text_en_us_terms_within.pdf")
    assert isinstance(result, Extraction)
    due = result.fields["due_date"]
    assert due.source == "computed"
    assert "due_date_computed_from_terms" in due.reasons
    assert 0.7 <= due.confidence < 0.9


def test_every_value_carries_evidence(extraction_cache: ExtractionCache) -> None:
    result = extraction_cache.run(FIXTURES / "text_fr_ambiguous_dates_deposit.pdf")
    assert isinstance(result, Extraction)
    for name in ("total_amount", "due_date", "reference", "iban", "currency"):
        fv = result.fields[name]
        assert fv.page == 1 and fv.bbox is not None, name
        x0, top, x1, bottom = fv.bbox
        assert 0 <= x0 <= x1 and 0 <= top < bottom  # a glyph like € may have no width
        assert fv.source == "text" and 0 < fv.confidence <= 1
