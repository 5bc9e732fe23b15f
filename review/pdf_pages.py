"""PDF pages as images for the workbench, with their sizes in points for the evidence boxes."""

from __future__ import annotations

import io

import pypdfium2 as pdfium


class PageNotFound(Exception):
    code = "page_not_found"


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in PDF points of each page; the extractor's bboxes use the same unit."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]
    finally:
        doc.close()


def render_page_png(pdf: bytes, page_number: int, *, width_px: int = 1400) -> bytes:
    """Page `page_number` (1-based, as in the evidence) as PNG, `width_px` wide."""
    doc = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= page_number <= len(doc):
            raise PageNotFound(f"page {page_number} of {len(doc)}")
        page = doc[page_number - 1]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        doc.close()
