"""A scan whose total or due date the page's OCR missed is looked at again: the regions that can
hold them are cropped from the page's picture and read alone (real tesseract), the words merged,
the fields read again; never on a text PDF, and a retry reads the crop's words back."""

from __future__ import annotations

import json
from pathlib import Path

from extract_testkit import REFERENCE_DATE, SCAN, cached_config, page_of_rows

from devset.degrade import scan
from extract import ExtractConfig, extract_document
from extract.crop_ocr import merge
from extract.crop_regions import MAX_AREA_SHARE, MAX_REGIONS, find_regions, wanted
from extract.crop_reread import better
from extract.layout import Word
from extract.reading import open_source
from extract.result import Blocker, Extraction, ExtractionFailed, FieldValue
from extract.tesseract import recognitions
from tests.pdfs import monospace_invoice_pdf
from tests.photos import encode, page_image

CONFIG = ExtractConfig(reference_date=REFERENCE_DATE, use_embedded_xml=False)
# An ERP print-out scanned 2 degrees askew: the page's layout analysis drops the amount column
# beside the totals' labels (GBP 50.69 = 42.24 + 8.45), and the page is read deskewed.
ERP_SCAN = scan(monospace_invoice_pdf(), rotation=2.0)


def first_reading(data: bytes) -> str:
    source = open_source(data, CONFIG)
    try:
        return " ".join(w.text for page in source.read(False) for w in page.words)
    finally:
        source.close()


def test_a_total_the_page_reading_dropped_is_read_from_a_crop_of_its_labels_row() -> None:
    assert "50.69" not in first_reading(ERP_SCAN)  # the page's OCR alone misses the total
    result = extract_document(ERP_SCAN, CONFIG)
    assert "page1:ocr_deskewed:-2.0deg" in result.reasons
    assert result.value("total_amount") == 5069
    assert result.value("tax_amount") == 845
    assert result.value("due_date") == "2024-05-14"
    assert any(r.startswith("ocr_crop_reread:") and r.endswith(":used") for r in result.reasons)
    # Net + tax now confirm the total: nothing holds it back from billing.
    assert not result.blockers


def test_a_text_pdf_missing_its_total_is_never_cropped() -> None:
    text_pdf = monospace_invoice_pdf(total="")
    before = recognitions()
    result = extract_document(text_pdf, CONFIG)
    assert recognitions() == before  # no tesseract at all
    assert result.value("total_amount") != 5069
    assert not any("crop" in reason for reason in result.reasons)


def test_a_retry_reads_the_kept_crop_words_and_runs_no_tesseract(tmp_path: Path) -> None:
    before = recognitions()
    first = extract_document(ERP_SCAN, cached_config(tmp_path))
    assert first.value("total_amount") == 5069
    assert recognitions() - before >= 2  # the page, then its crop
    assert len(list(tmp_path.glob("*.ocr"))) == 2  # the page's words and the crop's

    read_once = recognitions()
    again = extract_document(ERP_SCAN, cached_config(tmp_path))
    assert recognitions() == read_once
    assert again.to_json() == first.to_json()


def test_a_crop_reading_lost_from_the_cache_is_cut_from_the_kept_render_again(
    tmp_path: Path,
) -> None:
    before = recognitions()
    first = extract_document(ERP_SCAN, cached_config(tmp_path))
    page_and_crops = recognitions() - before
    (crops,) = [p for p in tmp_path.glob("*.ocr") if "notes" not in json.loads(p.read_bytes())]
    crops.unlink()
    read_once = recognitions()
    again = extract_document(ERP_SCAN, cached_config(tmp_path))
    # The page's words come from the cache (no picture made): the crops are cut from the
    # render, deskewed as the page was, and only they are read; the same words come out.
    assert 0 < recognitions() - read_once < page_and_crops
    assert again.to_json() == first.to_json()


def test_a_scan_with_nothing_missing_is_not_looked_at_again() -> None:
    reading = extract_document(SCAN, CONFIG)
    assert wanted(reading.fields, reading.blockers) == frozenset()
    assert not any("crop" in reason for reason in reading.reasons)


def test_an_image_page_is_cropped_from_its_frame_prepared_again() -> None:
    png = encode(page_image(monospace_invoice_pdf(), 200), "PNG", dpi=(200, 200))
    source = open_source(png, CONFIG)
    try:
        (page,) = source.read(False)
        label = next(w for w in page.words if w.text == "Total")
        band = (label.x0 - 2, label.top - 2, page.width, label.bottom + 2)
        found = source.reread(1, [band])
    finally:
        source.close()
    assert [w.text for w in found][-2:] == ["GBP", "50.69"]
    assert all(band[1] <= (w.top + w.bottom) / 2 <= band[3] for w in found)  # in page points


# The pure parts: where to look, how words merge, when the second reading is kept.


def ocr_page() -> list[list[tuple[float, str]]]:
    return [
        [(50, "Invoice date: 01.03.2025")],
        [(50, "Description"), (300, "Amount")],
        [(50, "Rent March"), (300, "900.00")],
        [(200, "Total due")],
        [(50, "Thank you")],
    ]


def test_the_band_right_of_a_total_label_is_a_region_of_an_ocr_page_only() -> None:
    page = page_of_rows(ocr_page(), source="ocr")
    (region,) = find_regions([page], frozenset({"total"}))
    label = page.lines[3]
    x0, top, x1, bottom = region.box
    assert x0 < 200 and x1 == page.width and top <= label.top and bottom >= label.bottom
    assert find_regions([page_of_rows(ocr_page())], frozenset({"total"})) == []
    assert find_regions([page], frozenset()) == []


def test_regions_are_capped_in_number_and_area() -> None:
    rows = [[(50, f"Total {i}"), (300, f"{i},5O")] for i in range(40)]
    page = page_of_rows(rows, source="ocr")
    regions = find_regions([page], frozenset({"total"}))
    assert len(regions) <= MAX_REGIONS
    area = sum((r.box[2] - r.box[0]) * (r.box[3] - r.box[1]) for r in regions)
    assert area <= MAX_AREA_SHARE * page.width * page.height


def word(text: str, x0: float, conf: float = 0.9) -> Word:
    return Word(text, x0, 100, x0 + 40, 110, 1, conf=conf, source="ocr")


def test_re_read_words_fill_gaps_and_replace_what_they_overlap_but_lost_words_stay() -> None:
    page = [word("Total", 50), word("IV.A.", 100, 0.6), word("12.00", 200)]
    reread = [word("IVA.", 101, 0.3), word("50.69", 400)]
    assert sorted(w.text for w in merge(page, reread)) == ["12.00", "50.69", "IVA.", "Total"]


def test_where_two_crops_read_the_same_place_the_surer_reading_stays() -> None:
    page = [word("Total", 50)]
    bands = [word("7,69", 400, 0.95), word("1,69", 401, 0.89), word("8,45", 300, 0.5)]
    edge_of_a_band = word("8.45", 299, 0.9)
    merged = merge(page, [*bands, edge_of_a_band])
    assert sorted(w.text for w in merged) == ["7,69", "8.45", "Total"]


def extraction(blockers: tuple[str, ...] = (), **values: object) -> Extraction:
    fields = {name: FieldValue(value, 0.9, "ocr") for name, value in values.items()}
    return Extraction(
        fields=fields,
        confidence_score=0.8,
        document_type="invoice",
        blockers=tuple(Blocker(code, "total_amount", "") for code in blockers),
    )


def test_the_second_reading_is_kept_only_when_plainly_better() -> None:
    missing_total = extraction(due_date="2025-04-01")
    assert better(missing_total, extraction(total_amount=5069, due_date="2025-04-01"))
    found_unconfirmed = extraction(("total_unconfirmed",), total_amount=5069, due_date="2025-04-01")
    assert better(missing_total, found_unconfirmed)
    unconfirmed = extraction(("total_unconfirmed",), total_amount=5069)
    assert better(unconfirmed, extraction(total_amount=5069))
    assert not better(unconfirmed, extraction(("total_unconfirmed",), total_amount=5069))
    assert not better(unconfirmed, extraction(("total_unconfirmed",), total_amount=50))
    assert better(unconfirmed, extraction(total_amount=5096))  # confirmed by what it found
    with_tax = extraction(("total_unconfirmed",), total_amount=5069, tax_amount=845)
    assert not better(with_tax, extraction(total_amount=5069))  # lost the tax it was checked by
    trusted = extraction(total_amount=5069)
    assert not better(trusted, extraction(total_amount=5096, due_date="2025-04-01"))
    failed = ExtractionFailed("no_amount_found", "")
    assert better(failed, extraction(("total_unconfirmed",), total_amount=5069))
    assert wanted(trusted.fields, ()) == frozenset({"due"})
    assert wanted(None, ()) == frozenset({"total", "due"})
