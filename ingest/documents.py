"""What counts as a document (an invoice to read): PDFs and photos, told apart by their bytes.

A label (content type, file name) is a hint; the magic number decides what an image is, so the
stored content type and extension are the ones the engine will actually find. Decoration (logos,
tracking pixels, banners) is not a document: see `is_decoration`.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cached_property

PDF = "application/pdf"
PDF_TYPES = {PDF, "application/x-pdf", "application/acrobat", "applications/vnd.pdf"}
EXTENSIONS = {
    PDF: "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/tiff": "tiff",
    "image/webp": "webp",
}
IMAGE_NAMES = (".jpg", ".jpeg", ".jpe", ".png", ".heic", ".heif", ".tif", ".tiff", ".webp")
DOCUMENT_NAMES = (".pdf", *IMAGE_NAMES)
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

# Decoration thresholds. A phone photo of an invoice is hundreds of KB, a readable scan tens of
# KB at least; signature logos and spacers are a few KB and a few dozen pixels high.
MIN_DOCUMENT_IMAGE_BYTES = 16 * 1024
MIN_CID_IMAGE_BYTES = 64 * 1024  # an image the HTML body shows in place (a logo, a banner)
MIN_IMAGE_SIDE = 300  # pixels: below this an invoice page is unreadable


@dataclass(frozen=True)
class Document:
    filename: str
    content_type: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        # Hashed once, in the parser process that deduplicates by it: the value travels with
        # the pickled document, so the receiver's key and row reuse it.
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF


def image_type(data: bytes) -> str | None:
    """The image type of these bytes when it is one the engine reads, from the magic number."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None


def is_pdf(content_type: str, filename: str, head: bytes) -> bool:
    if content_type in PDF_TYPES or filename.lower().rstrip().endswith(".pdf"):
        return True
    # Octet streams and mislabelled parts: trust the magic number (it may sit after junk).
    return b"%PDF-" in head[:1024]


def might_be_document(content_type: str, filename: str) -> bool:
    """From the labels alone: worth decoding in full without looking at the bytes first."""
    return (
        content_type in PDF_TYPES
        or content_type.startswith("image/")
        or filename.lower().rstrip().endswith(DOCUMENT_NAMES)
    )


def is_decoration(image: Document, *, shown_by_html: bool) -> bool:
    """Logos, spacers and tracking pixels: small, or tiny on screen, or a small image in place."""
    size = len(image.data)
    if size < MIN_DOCUMENT_IMAGE_BYTES:
        return True
    if shown_by_html and size < MIN_CID_IMAGE_BYTES:
        return True
    dimensions = pixel_size(image.data)
    return dimensions is not None and min(dimensions) < MIN_IMAGE_SIDE


def pixel_size(data: bytes) -> tuple[int, int] | None:
    """Width and height read from a PNG or JPEG header (None for other types or damage)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    for _ in range(256):  # markers before the frame header are few; never scan a whole file
        if index + 9 > len(data) or data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            index += 2
            continue
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + length
    return None
