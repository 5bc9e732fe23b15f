"""Fuzzing the MIME parser and the receiver: whatever the bytes, the answer is a parsed mail or a
permanent refusal, never a crash (which the receiver would turn into a 451 forever).

Inputs found by fuzzing are kept below as regression cases (REGRESSIONS), built in code.
"""

from __future__ import annotations

import base64
import io
import smtplib
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.mime import parse_mail
from ingest.refusals import MailRefused
from models.services import Services
from tests.hostile import with_attachment
from tests.ingest.conftest import make_alias
from tests.mail import crlf

HEADER_NAMES = ["From", "To", "Subject", "Date", "Message-ID", "Sender", "Content-ID", "X-Junk"]
TYPES = [
    "text/plain",
    "text/html",
    "application/pdf",
    "application/octet-stream",
    "application/zip",
    "application/ms-tnef",
    "application/vnd.ms-outlook",
    "image/jpeg",
    "image/png",
    "message/rfc822",
    "multipart/mixed",
    "multipart/related",
    "multipart/alternative",
]
MAGIC = [
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n",
    b"\x78\x9f\x3e\x22",
]

header_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60
) | st.sampled_from(
    [
        "a@[",
        "<@>",
        '"\\" <x@y>',
        "=?utf-8?q?=?=",
        "=?x?b?=?=@example.com",
        "=?utf-8?b?w6k=?= <j@x.de>",
        "Mon, 99 Foo 2026 99:99:99",
    ]
)


@st.composite
def payloads(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from([b"", *MAGIC])) + draw(st.binary(max_size=300))
    if draw(st.booleans()):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(draw(st.sampled_from(["a.pdf", "b.jpg", "c.txt", "../d.pdf"])), data)
        data = buffer.getvalue()
    return data


@st.composite
def parts(draw: st.DrawFn, depth: int = 0) -> bytes:
    content_type = draw(st.sampled_from(TYPES if depth < 3 else TYPES[:10]))
    params = draw(
        st.sampled_from(
            [
                "",
                '; name="invoice.pdf"',
                "; name*=utf-8''Rechnung%20M%C3%A4rz.pdf",
                '; name*0="a"; name*1="b.pdf"',
                "; name*=bogus''%ZZ",
                '; name="=?utf-8?q?R=C3=A9f.pdf?="',
                "; charset=unknown-8bit",
            ]
        )
    )
    headers = [f"{draw(st.sampled_from(HEADER_NAMES))}: {draw(header_text)}" for _ in range(2)]
    if content_type.startswith("multipart/"):
        boundary = draw(st.sampled_from(["B", "=_x", "a b", ""]))
        children = draw(st.lists(parts(depth + 1), max_size=3))
        body = b"".join(b"--" + boundary.encode() + b"\r\n" + child for child in children)
        body += b"--" + boundary.encode() + b"--\r\n"
        head = f'Content-Type: {content_type}; boundary="{boundary}"'
        return "\r\n".join([*headers, head]).encode("utf-8") + b"\r\n\r\n" + body
    if content_type == "message/rfc822":
        inner = draw(parts(depth + 1))
        return (
            "\r\n".join([*headers, f"Content-Type: {content_type}"]).encode() + b"\r\n\r\n" + inner
        )
    encoding = draw(st.sampled_from(["base64", "quoted-printable", "7bit", "8bit", "x-uuencode"]))
    data = draw(payloads())
    body = base64.encodebytes(data) if encoding == "base64" else data
    if draw(st.booleans()):
        body = body[: draw(st.integers(0, len(body)))]  # truncated mid-encoding
    head = [
        *headers,
        f"Content-Type: {content_type}{params}",
        f"Content-Transfer-Encoding: {encoding}",
        f"Content-Disposition: {draw(st.sampled_from(['attachment', 'inline']))}{params}",
    ]
    return "\r\n".join(head).encode("utf-8") + b"\r\n\r\n" + body + b"\r\n"


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    raw = bytearray(b"MIME-Version: 1.0\r\n" + draw(parts()))
    for _ in range(draw(st.integers(0, 3))):  # byte-level damage on top of the structure
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        raw[at : at + draw(st.integers(0, 4))] = draw(st.binary(max_size=4))
    return bytes(raw)


def check(raw: bytes) -> None:
    try:
        parsed = parse_mail(raw)
    except MailRefused as refused:
        assert refused.reply[:1] == "5"
        return
    for document in parsed.documents:
        assert "/" not in document.filename and "\x00" not in document.filename
        assert document.data


def _zip_declaring_version(version: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", b"%PDF-1.4")
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = version  # "version needed to extract" of the central directory entry
    return bytes(data)


def _zip_with_damaged_local_header() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", b"%PDF-1.4")
    data = bytearray(buffer.getvalue())
    data[26:28] = b"\xff\xff"  # file name length of the local header: far past the data
    return bytes(data)


# Inputs fuzzing found (kept as they were first seen, minimised by hypothesis).
REGRESSIONS = {
    "from_registry_crash": b"From: a@[\r\n\r\nbody",
    "boundary_empty": b'Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n\r\nx\r\n----\r\n',
    "rfc822_as_text": b"Content-Type: message/rfc822\r\n\r\nFrom nobody\nSubject: x\n\nbody",
    "bad_rfc2231_charset": (
        b"Content-Type: application/pdf; name*=bogus''%ZZ\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\n"
    ),
    "eight_bit_payload_with_charset": (
        b"Content-Type: application/octet-stream; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n\xff\xfe%PDF-1.4\r\n"
    ),
    "empty_pdf_part": b"Content-Type: application/pdf\r\n\r\n",
    "unknown_charset_in_encoded_word": (
        b'Content-Type: application/pdf; name="=?\xef\xbf\xbdutf-8?q?a.pdf?="\r\n\r\n%PDF-1.4'
    ),
    "zip_needs_a_newer_version": with_attachment(
        b'application/zip; name="a.zip"', _zip_declaring_version(64)
    ),
    "zip_local_header_damaged": with_attachment(
        b'application/zip; name="a.zip"', _zip_with_damaged_local_header()
    ),
    "truncated_base64_pdf": (
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBER"
    ),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_fuzz_regression(name: str) -> None:
    check(REGRESSIONS[name])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_parse_mail_never_crashes(raw: bytes) -> None:
    check(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_mail_never_crashes_on_arbitrary_bytes(raw: bytes) -> None:
    check(raw)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=messages())
def test_the_receiver_answers_250_or_a_permanent_refusal(
    raw: bytes, services: Services, smtp_port: int
) -> None:
    if not getattr(services, "_fuzz_alias", False):
        make_alias(services)
        services._fuzz_alias = True  # type: ignore[attr-defined]
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
        client.ehlo()
        client.mail("billing@northside.example")
        assert client.rcpt("jane.doe@casapay.me")[0] == 250
        code, reply = client.data(crlf(raw))
    assert code == 250 or (code in (550, 552, 554) and reply[:2] == b"5."), reply
