"""OCR reads a page with the language packs it needs (real tesseract): the customer's locale or
the language the document's first page was found in; a wrong guess is corrected by the text
that was read. A first page without a hint is read with every pack and its language found."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from extract import ExtractConfig, Extraction, extract_document
from tests.pdfs import german_invoice_pdf, scanned_pdf

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs"
CONFIG = ExtractConfig(reference_date=datetime.date(2025, 6, 1), use_embedded_xml=False)
ALL = "+".join(CONFIG.languages)


def scan(name: str) -> bytes:
    return (FIXTURES / f"{name}.pdf").read_bytes()


def expected_total(name: str) -> object:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text())["fields"]["total_amount"]


def languages_note(result: Extraction, page: int = 1) -> str:
    notes = [r for r in result.reasons if r.startswith(f"page{page}:ocr_languages:")]
    assert len(notes) == 1, result.reasons
    return notes[0].removeprefix(f"page{page}:ocr_languages:")


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("scan_de_rent_prepayment", "deu"),
        ("scan_en_us_terms_within", "eng"),
        ("scan_es_invoice", "spa"),
        ("scan_fr_ambiguous_dates_deposit", "fra"),
        ("scan_it_invoice_deposit", "ita"),
        ("scan_nl_credit_note", "nld"),
    ],
)
def test_a_scan_is_found_in_its_language_and_its_next_page_read_with_that_pack_alone(
    name: str, pack: str
) -> None:
    two_pages = scanned_pdf(scan(name), pages=2, dpi=300)
    result = extract_document(two_pages, CONFIG)
    assert languages_note(result, 1) == f"{ALL}:decided:{pack}"
    assert languages_note(result, 2) == f"{pack}:hint"
    assert result.value("total_amount") == expected_total(name)


def test_the_customers_locale_is_read_first_and_kept_when_the_text_agrees() -> None:
    config = ExtractConfig(
        reference_date=CONFIG.reference_date, use_embedded_xml=False, language_hint=("fra",)
    )
    result = extract_document(scan("scan_fr_ambiguous_dates_deposit"), config)
    assert languages_note(result) == "fra:hint"
    assert result.value("total_amount") == expected_total("scan_fr_ambiguous_dates_deposit")


def test_a_locale_the_document_is_not_written_in_is_corrected_by_its_text() -> None:
    config = ExtractConfig(
        reference_date=CONFIG.reference_date, use_embedded_xml=False, language_hint=("deu",)
    )
    result = extract_document(scan("scan_es_invoice"), config)
    assert languages_note(result) == "spa:hint_corrected"
    assert result.value("total_amount") == expected_total("scan_es_invoice")


def test_later_pages_are_read_in_the_language_the_first_page_was_found_in() -> None:
    result = extract_document(scanned_pdf(german_invoice_pdf(), pages=3, dpi=300), CONFIG)
    assert languages_note(result, 1) == f"{ALL}:decided:deu"
    assert languages_note(result, 2) == "deu:hint"
    assert languages_note(result, 3) == "deu:hint"
    assert result.value("total_amount") == 125000


def test_a_single_allowed_pack_is_read_without_a_first_pass() -> None:
    config = ExtractConfig(
        reference_date=CONFIG.reference_date, use_embedded_xml=False, languages=("eng",)
    )
    result = extract_document(scan("scan_en_us_terms_within"), config)
    assert languages_note(result) == "eng:only_pack"


def test_a_long_lived_reader_keeps_a_bounded_number_of_engines_and_reloads_evicted_ones() -> None:
    import pypdfium2

    from extract import tesseract

    pdf = pypdfium2.PdfDocument(scan("scan_es_invoice"))
    page = pdf[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    header = page.crop((0, 0, page.width, page.height // 6))
    first = [w.text for w in tesseract.recognise(header, ("spa",), 300)]
    packs = ("eng", "deu", "fra", "nld", "spa", "ita")
    for one in packs:
        for other in packs[:2]:
            tesseract.recognise(header, (one, other) if one != other else (one,), 300)
    assert len(tesseract._engines) <= tesseract._MAX_ENGINES
    assert [w.text for w in tesseract.recognise(header, ("spa",), 300)] == first
