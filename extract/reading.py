"""Document bytes -> pages of positioned words: the text layer where it is usable, OCR elsewhere.

The fast reader (pdfium) reads every text page; pdfplumber, the reference reader, takes over a
page whose pdfium text is unusable (glyphs without Unicode) before OCR is considered. Limits on
streams, page sizes and pixels are checked before any parser or renderer pays for them.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from extract.config import ExtractConfig
from extract.crop_ocr import FirstReading, KeptPictures, reread_kept
from extract.images import ImageSource, sniff
from extract.layout import BBox, PageLayout, Word, build_lines
from extract.limits import PixelBudget, check_image, check_streams, render_scale, user_unit
from extract.ocr_cache import OcrCache, ocr_page_kept
from extract.paycodes import PaymentCode, decode
from extract.pdfio import inspect_pdf, merge_split_capitals, read_text_pages, usable_text
from extract.pdftext import page_words, unmapped_share
from extract.photo import PHOTO_NOTE, flatten_photo, photographed_page
from extract.render_cache import RenderCache, document_hash
from extract.result import ExtractionFailed
from extract.source import DocumentSource, ReadPage

_pdfium_lock = threading.RLock()  # PDFium is not thread-safe: one call at a time per process
_UNMAPPED_FALLBACK = 0.1  # share of glyphs without Unicode that sends a page to pdfplumber


@contextmanager
def pdfium_lock() -> Iterator[None]:
    with _pdfium_lock:
        yield


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
        self._codes: dict[int, list[PaymentCode]] = {}
        # Where each page may hold a QR code, found in `read` while the page is loaded anyway.
        self._regions: dict[int, list[tuple[float, float, float, float]]] = {}
        self._cache = RenderCache(config.render_cache_dir) if config.render_cache_dir else None
        # A page's OCR words, beside its render: a retry then runs no tesseract either.
        self._words = OcrCache(config.render_cache_dir) if config.render_cache_dir else None
        # How each OCR page was read (and the photo's page outline): a crop re-read cuts from
        # the same picture.
        self._first: dict[int, tuple[FirstReading, list[tuple[float, float]] | None]] = {}
        self._pictures = KeptPictures()
        self._digest: str | None = None
        import pypdfium2 as pdfium

        with pdfium_lock():
            self.pdf = pdfium.PdfDocument(data)

    def close(self) -> None:
        with pdfium_lock():
            self.pdf.close()
        for image in self._renders.values():
            image.close()
        self._renders.clear()
        self._pictures.clear()

    def read(self, skip_ocr: bool) -> list[ReadPage]:
        """Every page's words: text layer, the reference reader, or OCR."""
        pages: list[ReadPage] = []
        fallback: dict[int, Any] | None = None
        hint = self.config.language_hint  # then the language the last OCR page was read in
        for index in range(self.pages):
            number = index + 1
            with pdfium_lock():
                page = self.pdf[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                words = merge_split_capitals(page_words(page, textpage, number))
                unmapped = unmapped_share(textpage)
                has_chars = textpage.count_chars() > 0
                regions, has_images = code_regions(page)
                self._regions[index] = regions
                textpage.close()
                page.close()
            if not usable_text(words) or unmapped > _UNMAPPED_FALLBACK:
                # The reference reader, opened once for the document, only where pdfium saw
                # characters it could not use: a page without any (a scan) has nothing for it.
                if fallback is None and has_chars:
                    fallback = {tp.number: tp for tp in read_text_pages(self.data, self.pages)}
                reference = (fallback or {}).get(number)
                if reference is not None and usable_text(reference.words):
                    words = reference.words
                elif has_images and not skip_ocr:
                    image = self.render(index, self.config.ocr_dpi)
                    dpi = round(image.info["dpi"][0])  # lower than asked for a huge page
                    # A phone photo wrapped in a PDF is read as the image documents are.
                    quad = photographed_page(image)
                    flat_notes: list[str] = []
                    if quad is not None:
                        image, flat_notes = flatten_photo(image, quad)
                        width, height = image.width * 72 / dpi, image.height * 72 / dpi
                    reading = ocr_page_kept(
                        self._words,
                        self._document_hash(),
                        index,
                        image,
                        dpi,
                        self.config.languages,
                        photo=quad is not None,
                        hint=hint,
                    )
                    hint = reading.choice.next_hint
                    first = FirstReading(dpi, reading.turn, reading.choice.packs)
                    self._first[index] = (first, quad)
                    self._pictures.keep(index, reading.picture)
                    # The page's payment codes while its pixels exist: a 20-page scan must not
                    # keep 20 renders in memory.
                    self._codes[index] = decode(image, number, dpi / 72)
                    render = self._renders.pop((index, self.config.ocr_dpi))
                    if render is not reading.picture:  # unturned: it is the kept picture
                        render.close()
                    notes = flat_notes + reading.notes
                    pages.append(ReadPage(number, width, height, reading.words, "ocr", notes))
                    continue
            pages.append(ReadPage(number, width, height, words, "text"))
        return pages

    def reread(self, number: int, boxes: list[BBox]) -> list[Word]:
        """Words read again in `boxes` of OCR page `number` (crop_ocr.py), cut from its render
        made again (the render cache's, on a retry) and turned as its first reading was."""
        index = number - 1
        first, quad = self._first[index]

        def image() -> Any:
            render = self.render(index, self.config.ocr_dpi)
            self._renders.pop((index, self.config.ocr_dpi))  # not kept: one crop read
            return render if quad is None else flatten_photo(render, quad)[0]

        kept = self._pictures.get(index)
        return reread_kept(self._words, self._document_hash(), index, first, boxes, kept, image)

    def payment_codes(self) -> list[PaymentCode]:
        """Codes on every page: on the OCR render, or on renders of square regions of a text
        page (an image or a vector QR), never a whole text page (that would cost more than
        reading it). Call after `read`."""
        found: list[PaymentCode] = []
        for index in range(self.pages):
            if index in self._codes:  # an OCR page: decoded on its render
                found.extend(self._codes[index])
                continue
            regions = self._regions[index]
            if not regions:
                continue  # no page to load again: nothing to render
            with pdfium_lock():
                page = self.pdf[index]
                try:
                    crops = [_render_region(page, region) for region in regions]
                finally:
                    page.close()
            for image, origin in crops:
                found.extend(decode(image, index + 1, _CODE_SCALE, origin))
        return found

    def render(self, index: int, dpi: int) -> Any:
        """The page as a grayscale PIL image, checked against the pixel caps; kept until the
        page has been read (OCR retries and code decoding share it), and in the render cache
        for a later attempt at the same document (the caps are checked on a hit all the same)."""
        key = (index, dpi)
        if key not in self._renders:
            limits = self.config.limits
            cached = None
            with pdfium_lock():
                page = self.pdf[index]
                try:
                    width, height = page.get_size()
                    scale = render_scale(width, height, dpi, self.unit, limits)
                    for w, h in _image_sizes(page):
                        check_image(w, h, limits)
                    self.budget.spend(int(width * scale) * int(height * scale))
                    if self._cache is not None:
                        cached = self._cache.get(self._document_hash(), index, dpi)
                    if cached is None:
                        bitmap = page.render(scale=scale, grayscale=True)
                        image = bitmap.to_pil().convert("L")
                        bitmap.close()
                finally:
                    page.close()
            if cached is not None:
                image = cached
            else:
                image.info["dpi"] = (scale * 72, scale * 72)
                if self._cache is not None:
                    self._cache.put(self._document_hash(), index, dpi, image)
            self._renders[key] = image
        return self._renders[key]

    def _document_hash(self) -> str:
        if self._digest is None:
            self._digest = document_hash(self.data)
        return self._digest


_CODE_SCALE = 200 / 72  # QR modules of ~1 pt become ~3 px: enough for zxing
_CODE_MARGIN = 8.0  # quiet zone around a code's object, in points


def code_regions(page: Any) -> tuple[list[tuple[float, float, float, float]], bool]:
    """Square-ish regions (PDF coordinates) that may hold a QR code: an image or a path of
    30-300 pt, or the bounds of a field of tiny squares (a code drawn module by module); and
    whether the page holds any image (the same walk over its objects answers both)."""
    import pypdfium2.raw as pdfium_c

    regions: list[tuple[float, float, float, float]] = []
    modules: list[tuple[float, float, float, float]] = []
    has_images = False
    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH)
    for kind, (left, bottom, right, top) in _drawn_objects(page, kinds, max_depth=3):
        has_images = has_images or kind == pdfium_c.FPDF_PAGEOBJ_IMAGE
        width, height = right - left, top - bottom
        if _square(width, height):
            regions.append((left, bottom, right, top))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and 0 < width < 6 and 0 < height < 6:
            modules.append((left, bottom, right, top))
    if len(modules) >= 100:
        box = (
            min(m[0] for m in modules),
            min(m[1] for m in modules),
            max(m[2] for m in modules),
            max(m[3] for m in modules),
        )
        if _square(box[2] - box[0], box[3] - box[1]):
            regions.append(box)
    return regions[:8], has_images


def _drawn_objects(
    page: Any, kinds: tuple[int, ...], max_depth: int
) -> Iterator[tuple[int, tuple[float, float, float, float]]]:
    """(type, bounds) of the page's objects of these types, inside form XObjects down to
    `max_depth` levels: what `page.get_objects(filter=kinds, max_depth=max_depth)` and each
    object's `get_bounds()` give (the same order, the same errors), without building a Python
    object for each of the page's objects (a text page has hundreds)."""
    import pypdfium2.raw as pdfium_c
    from pypdfium2 import PdfiumError

    form_kind, unknown = pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_UNKNOWN
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def walk(parent: Any, count: Any, get: Any, level: int) -> Iterator[tuple[int, Any]]:
        n = count(parent)
        if n < 0:
            raise PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            raw = get(parent, i)
            if not raw:
                raise PdfiumError("Failed to get pageobject.")
            kind = pdfium_c.FPDFPageObj_GetType(raw)
            if kind == unknown:
                raise PdfiumError("Failed to determine pageobject type.")
            if kind in kinds:
                yield kind, raw
            if kind == form_kind and level < max_depth - 1:
                yield from walk(
                    raw,
                    pdfium_c.FPDFFormObj_CountObjects,
                    pdfium_c.FPDFFormObj_GetObject,
                    level + 1,
                )

    for kind, raw in walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0):
        if not pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom, right, top):
            raise PdfiumError("Failed to locate pageobject.")
        yield kind, (left.value, bottom.value, right.value, top.value)


def _square(width: float, height: float) -> bool:
    return 30 <= width <= 300 and 30 <= height <= 300 and 0.8 <= width / height <= 1.25


def _render_region(
    page: Any, region: tuple[float, float, float, float]
) -> tuple[Any, tuple[float, float]]:
    """A grayscale render of one region, and its top-left corner in page points."""
    p_left, p_bottom, p_right, p_top = page.get_mediabox()
    left, bottom, right, top = region
    left, bottom = max(p_left, left - _CODE_MARGIN), max(p_bottom, bottom - _CODE_MARGIN)
    right, top = min(p_right, right + _CODE_MARGIN), min(p_top, top + _CODE_MARGIN)
    crop = (left - p_left, bottom - p_bottom, p_right - right, p_top - top)
    bitmap = page.render(scale=_CODE_SCALE, grayscale=True, crop=crop)
    image = bitmap.to_pil().convert("L")
    bitmap.close()
    return image, (left - p_left, p_top - top)


def _image_sizes(page: Any) -> Iterator[tuple[int, int]]:
    import pypdfium2.raw as pdfium_c

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        w, h = obj.get_px_size()
        yield int(w), int(h)


def document_kind(data: bytes) -> str:
    """ "image" for an image format, else "pdf" (the prefix of failure codes)."""
    kind = sniff(data)
    return "image" if kind not in (None, "pdf") else "pdf"


def open_source(data: bytes, config: ExtractConfig) -> DocumentSource:
    """The document behind the bytes, by their magic; ExtractionFailed when it is neither."""
    kind = sniff(data)
    if kind is None:
        raise ExtractionFailed(
            "pdf_unreadable", "the file is neither a PDF (no %PDF header) nor a supported image"
        )
    if kind == "pdf":
        return PdfSource(data, config)
    return ImageSource(data, kind, config)


def read_layouts(source: DocumentSource, skip_ocr: bool) -> tuple[list[PageLayout], list[str]]:
    """Pages as lines and segments for the field parsers, plus the OCR notes."""
    return layouts_of(source.read(skip_ocr))


def layouts_of(read: list[ReadPage]) -> tuple[list[PageLayout], list[str]]:
    """Read pages as lines and segments for the field parsers, plus the OCR notes."""
    notes: list[str] = []
    layouts: list[PageLayout] = []
    offset = 0
    for page in read:
        notes.extend(f"page{page.number}:{n}" for n in page.notes)
        lines = build_lines(page.words, page.number, offset) if page.words else []
        offset += len(lines)
        photographed = PHOTO_NOTE in page.notes
        layouts.append(
            PageLayout(page.number, page.width, page.height, page.source, lines, photographed)
        )
    return layouts, notes
