"""Session-cached extraction runs: OCR costs ~1.5 s a page, so each PDF runs once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper module sits beside this file; make it importable under any --import-mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_testkit import ExtractionCache


@pytest.fixture(scope="session")
def extraction_cache() -> ExtractionCache:
    return ExtractionCache()
