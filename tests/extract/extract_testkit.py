"""Helpers shared by the extraction tests (a uniquely named module: no package, no clashes)."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from pathlib import Path

from extract import ExtractConfig, Extraction, ExtractionFailed, extract_pdf
from extract.layout import PageLayout, Word, build_lines
from extract.result import Check, FieldValue
from extract.sandbox import Sandbox, SandboxLimits

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "pdfs"
SHARED = REPO / ".." / "shared"
CORPUS = SHARED / "corpus" / "invoices"
REFERENCE_DATE = datetime.date(2025, 6, 1)

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract's OpenMP is 4-5x slower on 2 cores

LANGS = ("eng", "deu", "fra", "nld", "spa", "ita")
# A one-page Spanish scan and its total: what the cache tests read, and read again.
SCAN = (FIXTURES / "scan_es_invoice.pdf").read_bytes()
SCAN_TOTAL = 143990
ARITH = Check("subtotal_plus_tax_equals_total", True, "")


def cached_config(cache: Path) -> ExtractConfig:
    """XML ignored, with render and OCR caches kept in `cache`."""
    return ExtractConfig(
        reference_date=REFERENCE_DATE, use_embedded_xml=False, render_cache_dir=str(cache)
    )


def failure_after_a_fresh_reader(cache: Path, tamper: Callable[[], None]) -> str:
    """Read SCAN in one reader process that then goes (as after a crash or a restart), apply
    `tamper` to what it kept in `cache`, and read SCAN again in a new process: the retry's
    failure code, which shows that the retry used the tampered file."""
    limits = SandboxLimits(processes=1)
    first_reader = Sandbox(limits)
    try:
        assert first_reader.extract(SCAN, cached_config(cache)).value("total_amount") == SCAN_TOTAL
    finally:
        first_reader.close()
    tamper()
    retry_reader = Sandbox(limits)
    try:
        retry_reader.extract(SCAN, cached_config(cache))
    except ExtractionFailed as failed:
        return failed.code
    finally:
        retry_reader.close()
    return "read as before"


def page_of_rows(
    rows: list[list[tuple[float, str]]], number: int = 1, source: str = "text"
) -> PageLayout:
    """A page laid out from rows of (x, text): 20 pt apart, 6 pt per character."""
    words = []
    for i, row in enumerate(rows):
        top = 100 + 20 * i
        for x, text in row:
            x0 = x
            for part in text.split(" "):
                words.append(
                    Word(part, x0, top, x0 + 6 * len(part), top + 10, number, source=source)
                )
                x0 += 6 * len(part) + 4
    return PageLayout(number, 595, 842, source, build_lines(words, 1))


def gate_fields(**over: FieldValue) -> dict[str, FieldValue]:
    """A total and currency read from text, with the given fields added or replaced."""
    fields = {
        "total_amount": FieldValue(11900, 0.95, "text"),
        "currency": FieldValue("eur", 0.97, "text"),
    }
    fields.update(over)
    return fields


class ExtractionCache:
    """Runs each (file, use_xml) pair at most once per test session."""

    def __init__(self) -> None:
        self._results: dict[tuple[str, bool], Extraction | ExtractionFailed] = {}

    def run(self, path: Path, use_xml: bool = True) -> Extraction | ExtractionFailed:
        key = (str(path), use_xml)
        if key not in self._results:
            config = ExtractConfig(reference_date=REFERENCE_DATE, use_embedded_xml=use_xml)
            try:
                self._results[key] = extract_pdf(path.read_bytes(), config)
            except ExtractionFailed as exc:
                self._results[key] = exc
        return self._results[key]


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.pdf"))


def expected_for(name: str) -> dict[str, object]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
