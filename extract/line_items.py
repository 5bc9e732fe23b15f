"""Line items from the item table: a header row with a description and an amount column."""

from __future__ import annotations

from extract.layout import PageLayout
from extract.result import FieldValue


def extract_line_items(pages: list[PageLayout], currency: str | None) -> FieldValue | None:
    """Placeholder until table reading lands: no line items."""
    return None
