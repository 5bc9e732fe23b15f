"""Photos and image files are invoices: every format the receiver stores reads like a scan."""

from __future__ import annotations

import datetime
import io
import struct
import zlib

import pytest

from extract import ExtractConfig, ExtractionFailed, extract_document
from extract.images import sniff
from tests.pdfs import invoice_pdf
from tests.photos import encode, page_image, photo_of

CONFIG = ExtractConfig(reference_date=datetime.date(2026, 1, 1))
TOTAL, CURRENCY = 125000, "eur"


@pytest.fixture(scope="module")
def invoice() -> bytes:
    return invoice_pdf()


def read(data: bytes) -> tuple[object, object]:
    result = extract_document(data, CONFIG)
    assert result.ocr_pages == result.pages and result.text_pages == 0
    assert result.fields["total_amount"].source == "ocr"
    return result.value("total_amount"), result.value("currency")


def test_phone_photo_at_an_angle_with_perspective_and_a_shadow_reads(invoice: bytes) -> None:
    photo = encode(photo_of(invoice, angle=7.0, tilt=0.06), "JPEG", quality=85)
    result = extract_document(photo, CONFIG)
    assert (result.value("total_amount"), result.value("currency")) == (TOTAL, CURRENCY)
    assert result.value("due_date") == "2026-02-01"
    assert "page1:photo_perspective_corrected" in result.reasons


def test_photo_skewed_beyond_the_old_five_degree_window_reads(invoice: bytes) -> None:
    photo = encode(photo_of(invoice, angle=12.0, tilt=0.0, shadow=False), "WEBP", quality=90)
    assert sniff(photo) == "webp"
    assert read(photo) == (TOTAL, CURRENCY)


def test_exif_orientation_is_applied(invoice: bytes) -> None:
    from PIL import Image

    upright = page_image(invoice).convert("L")
    stored = upright.transpose(Image.Transpose.ROTATE_270)  # how the camera wrote the pixels
    exif = Image.Exif()
    exif[0x0112] = 8  # the viewer turns it back by 90°
    data = encode(stored, "JPEG", quality=90, exif=exif.tobytes())
    result = extract_document(data, CONFIG)
    assert result.value("total_amount") == TOTAL
    assert "page1:photo_exif_orientation" in result.reasons


def test_heic_and_png_scans_read(invoice: bytes) -> None:
    scan = page_image(invoice).convert("L")
    heic = encode(scan.convert("RGB"), "HEIF", quality=90)
    png = encode(scan, "PNG", dpi=(200, 200))
    assert (sniff(heic), sniff(png)) == ("heic", "png")
    assert read(heic) == (TOTAL, CURRENCY)
    assert read(png) == (TOTAL, CURRENCY)


def test_multi_page_tiff_is_a_document_of_several_pages(invoice: bytes) -> None:
    scan = page_image(invoice).convert("L")
    blank = scan.point(lambda _: 255)
    out = io.BytesIO()
    scan.save(out, format="TIFF", dpi=(200, 200), save_all=True, append_images=[blank])
    result = extract_document(out.getvalue(), CONFIG)
    assert (result.pages, result.ocr_pages) == (2, 2)
    assert result.value("total_amount") == TOTAL


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))


def test_an_image_declaring_forty_thousand_pixels_square_is_refused_before_decoding() -> None:
    with pytest.raises(ExtractionFailed) as info:
        extract_document(_png_header_only(40_000, 40_000), CONFIG)
    assert info.value.code == "image_too_large"


def test_a_damaged_image_fails_with_an_image_code() -> None:
    with pytest.raises(ExtractionFailed) as info:
        extract_document(b"\xff\xd8\xff\xe0" + b"\x00" * 64, CONFIG)
    assert info.value.code == "image_unreadable"


def test_bytes_that_are_neither_pdf_nor_image_are_unreadable() -> None:
    assert sniff(b"GIF89a....") is None
    with pytest.raises(ExtractionFailed) as info:
        extract_document(b"GIF89a" + b"\x00" * 64, CONFIG)
    assert info.value.code == "pdf_unreadable"


def _image_pdf(image: object, dpi: int = 150) -> bytes:
    """The image wrapped in an image-only PDF page, as phones' "save as PDF" and scanners do."""
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=dpi)  # type: ignore[attr-defined]
    return out.getvalue()


def test_photo_wrapped_in_a_pdf_is_flattened_like_an_image_file(invoice: bytes) -> None:
    photo = photo_of(invoice, angle=4.0, tilt=0.05)
    result = extract_document(_image_pdf(photo), CONFIG)
    assert (result.value("total_amount"), result.value("currency")) == (TOTAL, CURRENCY)
    assert "page1:photo_perspective_corrected" in result.reasons


def test_scan_in_a_pdf_is_not_taken_for_a_photo(invoice: bytes) -> None:
    from extract.photo import photographed_page

    scan = page_image(invoice, dpi=150).convert("L").rotate(2.0, fillcolor=255)
    assert photographed_page(scan) is None
    result = extract_document(_image_pdf(scan), CONFIG)
    assert result.value("total_amount") == TOTAL
    assert not any("photo_" in reason for reason in result.reasons)
