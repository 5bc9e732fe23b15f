"""Finding PDFs in real-world mail: every sample parses, PDFs are found wherever they hide."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

import ingest.mime
from ingest.mime import parse_mail
from ingest.mime_split import split_message
from tests.conftest import SHARED, need_shared, shared_files
from tests.mail import crlf
from tests.pdfs import invoice_pdf

EMAIL_CORPUS = SHARED / "corpus" / "email"
CORPUS_FILES = shared_files(EMAIL_CORPUS, {".eml", ".msg"})

# What a person finds in each corpus sample: the PDFs an invoice pipeline must pick up.
EXPECTED_PDFS = {
    "derived/pdf_rfc2231_continuation.eml": ["Rechnung März 2026.pdf"],
    "derived/pdf_octet_stream_no_name.eml": ["invoice-1.pdf"],
    "derived/zip_containing_pdf.eml": ["invoice-2024-01.pdf"],
    "derived/pdf_base64_no_padding.eml": ["invoice.pdf"],
    "flanker/attached-pdf.eml": ["test.pdf"],
    "mikel-mail/attachment_message_rfc822.eml": ["broken.pdf"],
    "django-mailbox/message_with_koi8r_filename_attachments.eml": [
        "Пакет предложений HSE Career Fair 8 апреля 2016.pdf",
        "Ведомости.pdf",
    ],
    "spamscope-mail-parser/mail_test_2.eml": ["Bollettino.pdf"],
    "php-mime-mail-parser/issue274.eml": ["Hello from SwiftMailer.pdf"],
    "flanker/torture.eml": [],
    "mikel-mail/attachment_only_email.eml": [],
    "flanker/signed.eml": [],
}


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(EMAIL_CORPUS)))
def test_every_corpus_message_parses(path: Path) -> None:
    parsed = parse_mail(need_shared(path).read_bytes())
    name = str(path.relative_to(EMAIL_CORPUS))
    if name in EXPECTED_PDFS:
        assert [p.filename for p in parsed.documents] == EXPECTED_PDFS[name]
    for pdf in parsed.documents:
        assert "/" not in pdf.filename and "\n" not in pdf.filename


def test_same_pdf_inline_and_attached_counts_once() -> None:
    sample = need_shared(EMAIL_CORPUS / "derived/pdf_inline_and_attachment.eml")
    parsed = parse_mail(sample.read_bytes())
    assert len(parsed.documents) == 1


def test_two_different_pdfs_are_two_invoices_and_sender_comes_from_the_message() -> None:
    message = EmailMessage()
    message["From"] = "Billing <Billing@Landlord.example>"
    message["Subject"] = "=?utf-8?q?Rechnung_f=C3=BCr_M=C3=A4rz?="
    message.set_content("two invoices")
    message.add_attachment(
        invoice_pdf(reference="A-1"),
        maintype="application",
        subtype="pdf",
        filename="Rechnung März.pdf",
    )
    message.add_attachment(
        invoice_pdf(reference="A-2"), maintype="application", subtype="octet-stream"
    )
    parsed = parse_mail(bytes(message))
    assert [p.filename for p in parsed.documents] == ["Rechnung März.pdf", "invoice-2.pdf"]
    assert parsed.sender_email == "billing@landlord.example"
    assert parsed.subject == "Rechnung für März"


def test_forwarded_message_nested_twice() -> None:
    inner = EmailMessage()
    inner["Subject"] = "original"
    inner.set_content("see attached")
    inner.add_attachment(invoice_pdf(), maintype="application", subtype="pdf", filename="a.pdf")
    middle = EmailMessage()
    middle["Subject"] = "Fwd: original"
    middle.set_content("fyi")
    middle.add_attachment(inner)
    outer = EmailMessage()
    outer["Subject"] = "Fwd: Fwd: original"
    outer.set_content("fyi")
    outer.add_attachment(middle)
    assert [p.filename for p in parse_mail(bytes(outer)).documents] == ["a.pdf"]


def test_zip_members_that_are_not_pdfs_are_ignored() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
        archive.writestr("../../evil/invoice.pdf", invoice_pdf())
    message = EmailMessage()
    message.set_content("zip")
    message.add_attachment(
        buffer.getvalue(), maintype="application", subtype="zip", filename="x.zip"
    )
    assert [p.filename for p in parse_mail(bytes(message)).documents] == ["invoice.pdf"]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(EMAIL_CORPUS)))
def test_the_boundary_splitter_reads_mail_as_the_feed_parser_does(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = crlf(need_shared(path).read_bytes())
    fast = parse_mail(raw)
    monkeypatch.setattr(ingest.mime, "split_message", lambda raw: None)
    assert parse_mail(raw) == fast


def test_the_boundary_splitter_takes_well_formed_mail() -> None:
    message = EmailMessage()
    message.set_content("hello")
    message.add_attachment(invoice_pdf(), maintype="application", subtype="pdf", filename="a.pdf")
    tree = split_message(crlf(bytes(message)))
    assert tree is not None and len(tree.get_payload()) == 2
    assert split_message(bytes(message).replace(b"\r\n", b"\n")) is None  # bare LF: full parser
