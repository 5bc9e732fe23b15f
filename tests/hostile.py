"""Hostile and malformed mail, built as bytes (tests and bench/soak.py replay them).

Each builder makes the smallest message that shows one defect that was seen in the wild or in a
fuzzing run; HOSTILE_MAIL maps a name to the message and the SMTP reply it must get.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Callable

from tests.pdfs import invoice_pdf

HEAD = (
    b"From: Northside Billing <billing@northside.example>\r\n"
    b"To: jane.doe@casapay.me\r\n"
    b"Subject: Invoice\r\n"
    b"Message-ID: <hostile@northside.example>\r\n"
    b"MIME-Version: 1.0\r\n"
)


def with_attachment(content_type: bytes, payload: bytes, *, head: bytes = HEAD) -> bytes:
    body = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    return (
        head + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        b"--B\r\nContent-Type: " + content_type + b"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + body + b"--B--\r\n"
    )


def deep_nesting(levels: int = 2000) -> bytes:
    """Multiparts inside multiparts: a RecursionError in the standard parser."""
    body = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(levels)
    )
    return HEAD + body + b"Content-Type: text/plain\r\n\r\nhello\r\n"


def forwarded_nesting(levels: int = 40) -> bytes:
    """Forwards of forwards (message/rfc822), deeper than any real chain."""
    message = HEAD + b"Content-Type: text/plain\r\n\r\nthe original\r\n"
    for _ in range(levels):
        message = HEAD + b"Content-Type: message/rfc822\r\n\r\n" + message
    return message


def rfc2231_continuations(pieces: int = 100_000) -> bytes:
    """One file name in 100k RFC 2231 pieces: minutes of CPU and a gigabyte in the old parser."""
    params = b"".join(b';\r\n filename*%d="a"' % i for i in range(pieces))
    return (
        HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment"
        + params
        + b"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B--\r\n"
    )


def huge_header(size: int = 200_000) -> bytes:
    folded = b"\r\n ".join([b"x" * 70] * (size // 72))
    return HEAD.replace(b"Subject: Invoice", b"Subject: " + folded) + b"\r\nbody\r\n"


def many_parts(count: int = 2000) -> bytes:
    parts = b"".join(b"--B\r\nContent-Type: text/plain\r\n\r\n%d\r\n" % i for i in range(count))
    return HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + parts + b"--B--\r\n"


def zip_bomb(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A small zip whose PDF member inflates to hundreds of megabytes."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("invoice.pdf", "w", force_zip64=True) as member,
    ):
        member.write(b"%PDF-1.4\n")
        chunk = b"\0" * (1024 * 1024)
        for _ in range(inflated // len(chunk)):
            member.write(chunk)
    return with_attachment(b'application/zip; name="invoices.zip"', buffer.getvalue())


def zip_many_members(members: int = 10_000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(members):
            archive.writestr(f"invoice-{i}.pdf", b"%%PDF-1.4\n%d" % i)
    return with_attachment(b'application/zip; name="invoices.zip"', buffer.getvalue())


def corrupt_zip() -> bytes:
    """A zip whose PDF member's deflate stream is damaged (zlib.error when inflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("invoice.pdf", invoice_pdf())
    data = bytearray(buffer.getvalue())
    start = 30 + len("invoice.pdf")  # the local header, then the compressed bytes
    data[start + 10 : start + 40] = b"\xff" * 30
    return with_attachment(b'application/zip; name="invoice.zip"', bytes(data))


def malformed_from() -> bytes:
    """A From header the standard header registry crashes on (AttributeError)."""
    return HEAD.replace(b"Northside Billing <billing@northside.example>", b"a@[") + b"\r\nhi\r\n"


def nul_in_header() -> bytes:
    return HEAD.replace(b"Subject: Invoice", b"Subject: Invoice\x00 March") + b"\r\nhi\r\n"


def too_many_documents(count: int = 21) -> bytes:
    parts = b"".join(
        b'--B\r\nContent-Type: application/pdf; name="i%d.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        % i
        + base64.encodebytes(invoice_pdf(reference=f"INV-{i}")).replace(b"\n", b"\r\n")
        for i in range(count)
    )
    return HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + parts + b"--B--\r\n"


# name -> (builder, reply code, enhanced status)
HOSTILE_MAIL: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "deep_nesting": (deep_nesting, 554, "5.6.1"),
    "forwarded_nesting": (forwarded_nesting, 554, "5.6.1"),
    "rfc2231_continuations": (rfc2231_continuations, 552, "5.3.4"),
    "huge_header": (huge_header, 552, "5.3.4"),
    "many_parts": (many_parts, 552, "5.3.4"),
    "zip_bomb": (zip_bomb, 552, "5.3.4"),
    "zip_many_members": (zip_many_members, 552, "5.3.4"),
    "corrupt_zip": (corrupt_zip, 550, "5.6.0"),
    "malformed_from": (malformed_from, 550, "5.6.0"),
    "nul_in_header": (nul_in_header, 550, "5.6.0"),
    "too_many_documents": (too_many_documents, 552, "5.3.4"),
}
