"""A page's OCR words are kept between attempts at the same document, beside its render: a
retry (in this process or a fresh reader process) reads them back and runs no tesseract."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from extract_testkit import SCAN, SCAN_TOTAL, cached_config, failure_after_a_fresh_reader

from extract import extract_document
from extract.render_cache import document_hash
from extract.tesseract import recognitions


def kept_readings(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.ocr"))


def test_a_retry_reads_the_kept_words_and_runs_no_tesseract(tmp_path: Path) -> None:
    before = recognitions()
    first = extract_document(SCAN, cached_config(tmp_path))
    assert first.value("total_amount") == SCAN_TOTAL
    assert recognitions() > before  # the first attempt read the page
    (kept,) = kept_readings(tmp_path)
    assert kept.name.startswith(f"{document_hash(SCAN)}-p0-300dpi-")

    read_once = recognitions()
    again = extract_document(SCAN, cached_config(tmp_path))
    assert recognitions() == read_once  # no tesseract on the retry
    assert again.to_json() == first.to_json()


def test_other_reading_parameters_read_the_page_again(tmp_path: Path) -> None:
    extract_document(SCAN, cached_config(tmp_path))
    read_once = recognitions()
    spanish_only = dataclasses.replace(cached_config(tmp_path), languages=("spa",))
    assert extract_document(SCAN, spanish_only).value("total_amount") == SCAN_TOTAL
    assert recognitions() > read_once
    assert len(kept_readings(tmp_path)) == 2


def test_a_fresh_reader_process_reads_the_words_the_first_attempt_kept(tmp_path: Path) -> None:
    def empty_the_kept_reading() -> None:
        (kept,) = kept_readings(tmp_path)
        reading = json.loads(kept.read_bytes())
        reading["words"] = []  # a page read as empty: only the kept reading can say so
        kept.write_text(json.dumps(reading))

    assert failure_after_a_fresh_reader(tmp_path, empty_the_kept_reading) == "no_amount_found"


def test_a_damaged_kept_reading_is_read_again(tmp_path: Path) -> None:
    extract_document(SCAN, cached_config(tmp_path))
    (kept,) = kept_readings(tmp_path)
    kept.write_bytes(b"not a reading")
    read_once = recognitions()
    assert extract_document(SCAN, cached_config(tmp_path)).value("total_amount") == SCAN_TOTAL
    assert recognitions() > read_once
    assert json.loads(kept.read_bytes())["words"]  # kept again, whole
