"""Helpers shared by the extraction tests (a uniquely named module: no package, no clashes)."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from extract import ExtractConfig, Extraction, ExtractionFailed, extract_pdf

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "pdfs"
SHARED = REPO / ".." / "shared"
CORPUS = SHARED / "corpus" / "invoices"
REFERENCE_DATE = datetime.date(2025, 6, 1)

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract's OpenMP is 4-5x slower on 2 cores


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
