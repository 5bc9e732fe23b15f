"""Hostile PDFs built byte by byte: each one is small and asks a parser for far too much."""

from __future__ import annotations

import zlib


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies (object i+1 is objects[i]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def nested_page_tree(depth: int = 120) -> bytes:
    """One page at the bottom of a page tree `depth` levels deep."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent))
    leaf = depth + 2
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>"
        % (leaf - 1, leaf + 1)
    )
    objects.append(_stream(b"", b"BT /F1 12 Tf 72 720 Td (Total 10.00) Tj ET"))
    return raw_pdf(objects)


def huge_user_unit_page() -> bytes:
    """A page of 14,400 x 14,400 units with UserUnit 10 and a 1-pixel image stretched over it."""
    image = zlib.compress(b"\x80")
    content = b"q 14400 0 0 14400 0 0 cm /I Do Q"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 10"
            b" /Resources << /XObject << /I 5 0 R >> >> /Contents 4 0 R >>",
            _stream(b"", content),
            _stream(
                b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Filter /FlateDecode",
                image,
            ),
        ]
    )


def flate_bomb(blocks: int = 90) -> bytes:
    """A content stream of spaces inflating to `blocks` x 16 MiB (1.5 GB in ~1.5 MB on disk).

    Full flushes reset the compressor, so one compressed block repeats verbatim; the checksum
    is computed for the whole, which makes the stream valid to its last byte.
    """
    block = b" " * (1 << 24)
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    stream = first + repeat * (blocks - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(b"/Filter /FlateDecode", stream),
        ]
    )


def huge_declared_image(side: int = 40_000) -> bytes:
    """An image-only page whose image declares side x side pixels (its data is short)."""
    data = zlib.compress(b"\xff" * side * 4)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /XObject << /I 5 0 R >> >> /Contents 4 0 R >>",
            _stream(b"", b"q 612 0 0 792 0 0 cm /I Do Q"),
            _stream(
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Filter /FlateDecode" % (side, side),
                data,
            ),
        ]
    )
