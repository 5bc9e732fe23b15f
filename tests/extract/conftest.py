"""Session-cached extraction runs: OCR costs ~1.5 s a page, so each PDF runs once."""

from __future__ import annotations

import pytest
from extract_testkit import ExtractionCache


@pytest.fixture(scope="session")
def extraction_cache() -> ExtractionCache:
    return ExtractionCache()
