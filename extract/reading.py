"""Document bytes -> pages of positioned words: the text layer where it is usable, OCR elsewhere.

The fast reader (pdfium) reads every text page; pdfplumber, the reference reader, takes over a
page whose pdfium text is unusable (glyphs without Unicode) before OCR is considered. Limits on
streams, page sizes and pixels are checked before any parser or renderer pays for them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from extract.config import ExtractConfig
from extract.layout import PageLayout, Word, build_lines
from extract.limits import PixelBudget, check_image, check_streams, render_scale, user_unit
from extract.ocr import ocr_page
from extract.pdfio import inspect_pdf, merge_split_capitals, read_text_pages, usable_text
from extract.pdftext import page_words, unmapped_share
from extract.result import ExtractionFailed

_pdfium_lock = threading.RLock()  # PDFium is not thread-safe: one call at a time per process
_UNMAPPED_FALLBACK = 0.1  # share of glyphs without Unicode that sends a page to pdfplumber


@contextmanager
def pdfium_lock() -> Iterator[None]:
    with _pdfium_lock:
        yield


@dataclass
class ReadPage:
    """One page's words and where they came from."""

    number: int
    width: float
    height: float
    words: list[Word]
    source: str  # "text" | "ocr"
    notes: list[str] = field(default_factory=list)


class PdfSource:
    """An open PDF: structure checked by pypdf, text and pixels from pdfium, within limits."""

    kind = "pdf"

    def __init__(self, data: bytes, config: ExtractConfig) -> None:
        self.data = data
        self.config = config
        limits = config.limits
        info = inspect_pdf(data)  # valid, not locked, page count, XML attachments
        self.pages = info.pages
        self.xml_attachments = info.xml_attachments
        if self.pages > config.max_pages:
            raise ExtractionFailed(
                "too_many_pages", f"{self.pages} pages; the limit is {config.max_pages}"
            )
        check_streams(data, limits)
        self.unit = user_unit(data)
        self.budget = PixelBudget(limits)
        self._renders: dict[tuple[int, int], Any] = {}
        import pypdfium2 as pdfium

        with pdfium_lock():
            self.pdf = pdfium.PdfDocument(data)

    def close(self) -> None:
        with pdfium_lock():
            self.pdf.close()
        for image in self._renders.values():
            image.close()
        self._renders.clear()

    def read(self, skip_ocr: bool) -> list[ReadPage]:
        """Every page's words: text layer, the reference reader, or OCR."""
        pages: list[ReadPage] = []
        fallback: dict[int, Any] | None = None
        for index in range(self.pages):
            number = index + 1
            with pdfium_lock():
                page = self.pdf[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                words = merge_split_capitals(page_words(page, textpage, number))
                unmapped = unmapped_share(textpage)
                has_images = _has_images(page)
                textpage.close()
                page.close()
            if not usable_text(words) or unmapped > _UNMAPPED_FALLBACK:
                if fallback is None:  # the reference reader, opened once for the document
                    fallback = {tp.number: tp for tp in read_text_pages(self.data, self.pages)}
                reference = fallback.get(number)
                if reference is not None and usable_text(reference.words):
                    words = reference.words
                elif has_images and not skip_ocr:
                    image = self.render(index, self.config.ocr_dpi)
                    dpi = round(image.info["dpi"][0])  # lower than asked for a huge page
                    words, notes = ocr_page(image, number, dpi, self.config.languages)
                    pages.append(ReadPage(number, width, height, words, "ocr", notes))
                    continue
            pages.append(ReadPage(number, width, height, words, "text"))
        return pages

    def render(self, index: int, dpi: int) -> Any:
        """The page as a grayscale PIL image, checked against the pixel caps; cached."""
        key = (index, dpi)
        if key not in self._renders:
            limits = self.config.limits
            with pdfium_lock():
                page = self.pdf[index]
                try:
                    width, height = page.get_size()
                    scale = render_scale(width, height, dpi, self.unit, limits)
                    for w, h in _image_sizes(page):
                        check_image(w, h, limits)
                    self.budget.spend(int(width * scale) * int(height * scale))
                    bitmap = page.render(scale=scale, grayscale=True)
                    image = bitmap.to_pil().convert("L")
                    bitmap.close()
                finally:
                    page.close()
            image.info["dpi"] = (scale * 72, scale * 72)
            self._renders[key] = image
        return self._renders[key]


def _has_images(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


def _image_sizes(page: Any) -> Iterator[tuple[int, int]]:
    import pypdfium2.raw as pdfium_c

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        w, h = obj.get_px_size()
        yield int(w), int(h)


def read_layouts(source: PdfSource, skip_ocr: bool) -> tuple[list[PageLayout], list[str]]:
    """Pages as lines and segments for the field parsers, plus the OCR notes."""
    notes: list[str] = []
    layouts: list[PageLayout] = []
    offset = 0
    for page in source.read(skip_ocr):
        notes.extend(f"page{page.number}:{n}" for n in page.notes)
        lines = build_lines(page.words, page.number, offset) if page.words else []
        offset += len(lines)
        layouts.append(PageLayout(page.number, page.width, page.height, page.source, lines))
    return layouts, notes
