"""Image documents (JPEG, PNG, HEIC, TIFF incl. multi-page, WebP): every frame is a page to OCR.

The format is sniffed from the bytes, never taken from a filename or a MIME header. The declared
size is checked before any pixel is decoded.
"""

from __future__ import annotations

import io
from typing import Any

from extract.config import ExtractConfig
from extract.crop_ocr import FirstReading, KeptPictures, reread_kept
from extract.layout import BBox, Word
from extract.limits import PixelBudget, check_image
from extract.ocr_cache import OcrCache, ocr_page_kept
from extract.paycodes import PaymentCode, decode
from extract.photo import prepare_photo
from extract.render_cache import document_hash
from extract.result import ExtractionFailed
from extract.source import ReadPage

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"II*\x00", 0, "tiff"),
    (b"MM\x00*", 0, "tiff"),
    (b"WEBP", 8, "webp"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")


def sniff(data: bytes) -> str | None:
    """ "pdf", an image format name, or None when the bytes are neither."""
    if b"%PDF" in data[:1024]:
        return "pdf"
    for magic, offset, name in _MAGIC:
        if data[offset : offset + len(magic)] == magic and (name != "webp" or data[:4] == b"RIFF"):
            return name
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


def _open(data: bytes, kind: str) -> Any:
    from PIL import Image

    if kind == "heic":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    Image.MAX_IMAGE_PIXELS = None  # our own cap (check_image) applies, before decoding
    return Image.open(io.BytesIO(data))


class ImageSource:
    """An image file as a document of one page per frame."""

    kind = "image"
    xml_attachments: tuple[tuple[str, bytes], ...] = ()

    def __init__(self, data: bytes, kind: str, config: ExtractConfig) -> None:
        self.config = config
        self.data = data
        self.image = _open(data, kind)  # reads the header only
        check_image(self.image.width, self.image.height, config.limits, self.kind)
        self.pages = int(getattr(self.image, "n_frames", 1))
        if self.pages > config.max_pages:
            raise ExtractionFailed(
                "too_many_pages", f"{self.pages} pages; the limit is {config.max_pages}"
            )
        self.budget = PixelBudget(config.limits, self.kind)
        self._prepared: dict[int, tuple[Any, int, list[str]]] = {}
        self._codes: dict[int, list[PaymentCode]] = {}
        # A frame's OCR words between attempts at the same document (no tesseract on a retry).
        self._words = OcrCache(config.render_cache_dir) if config.render_cache_dir else None
        self._first: dict[int, FirstReading] = {}  # how each frame was read: crops cut the same
        self._pictures = KeptPictures()

    def close(self) -> None:
        self.image.close()
        self._prepared.clear()
        self._pictures.clear()

    def page_image(self, index: int) -> tuple[Any, int, list[str]]:
        """The frame as an upright, flattened grayscale page, its dpi and notes; cached."""
        if index not in self._prepared:
            self.image.seek(index)
            check_image(self.image.width, self.image.height, self.config.limits, self.kind)
            self.budget.spend(self.image.width * self.image.height)
            frame = self.image.copy()
            frame.info = dict(self.image.info)
            self._prepared[index] = prepare_photo(frame)
        return self._prepared[index]

    def payment_codes(self) -> list[PaymentCode]:
        """Codes decoded while each page was read (call after `read`)."""
        return [code for index in sorted(self._codes) for code in self._codes[index]]

    def reread(self, number: int, boxes: list[BBox]) -> list[Word]:
        """Words read again in `boxes` of page `number` (crop_ocr.py), cut from the frame
        prepared again and turned as its first reading was."""
        index = number - 1

        def image() -> Any:
            picture = self.page_image(index)[0]
            del self._prepared[index]
            return picture

        digest = document_hash(self.data) if self._words is not None else ""
        kept = self._pictures.get(index)
        return reread_kept(self._words, digest, index, self._first[index], boxes, kept, image)

    def read(self, skip_ocr: bool) -> list[ReadPage]:
        pages = []
        hint = self.config.language_hint  # then the language the last frame was read in
        digest = document_hash(self.data) if self._words is not None else ""
        for index in range(self.pages):
            image, dpi, notes = self.page_image(index)
            reading = ocr_page_kept(
                self._words,
                digest,
                index,
                image,
                dpi,
                self.config.languages,
                photo=True,
                hint=hint,
            )
            hint = reading.choice.next_hint
            self._first[index] = FirstReading(dpi, reading.turn, reading.choice.packs)
            self._pictures.keep(index, reading.picture)
            self._codes[index] = decode(image, index + 1, dpi / 72)
            del self._prepared[index]  # one page's pixels at a time, however many frames
            width, height = image.width * 72 / dpi, image.height * 72 / dpi
            notes = notes + reading.notes
            pages.append(ReadPage(index + 1, width, height, reading.words, "ocr", notes))
        return pages
