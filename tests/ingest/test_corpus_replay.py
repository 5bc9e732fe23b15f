"""Every real-world sample, replayed over SMTP, ends as alias invoices or a deliberate outcome:
no crash, no 500, nothing half-written."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from models.alias_invoices import AliasInvoice
from models.services import Services
from tests.conftest import need_shared
from tests.ingest.conftest import make_alias
from tests.ingest.test_mime import CORPUS_FILES, EMAIL_CORPUS
from tests.mail import crlf

OUTLOOK_PDFS = {
    "msgreader/EmailWithInnerMailAndAttachments.msg": 4,  # two PDFs and a .msg holding two more
    "msgreader/HtmlSampleEmailWithAttachment.msg": 1,
    "mimekit/tnef/MAPI_ATTACH_DATA_OBJ.winmail.dat": 1,
}


def as_sent(path: Path) -> bytes:
    """.eml files go as they are (CRLF); Outlook containers arrive attached to a mail."""
    name = str(path.relative_to(EMAIL_CORPUS))
    if name not in OUTLOOK_PDFS:
        return crlf(path.read_bytes())
    carrier = EmailMessage()
    carrier["From"] = "tenant@example.org"
    carrier["To"] = "jane.doe@casapay.me"
    carrier["Subject"] = f"Fwd: {path.name}"
    carrier.set_content("Forwarding the invoice from Outlook.")
    if path.suffix == ".msg":
        carrier.add_attachment(
            path.read_bytes(), maintype="application", subtype="vnd.ms-outlook", filename=path.name
        )
    else:
        carrier.add_attachment(
            path.read_bytes(), maintype="application", subtype="ms-tnef", filename="winmail.dat"
        )
    return crlf(bytes(carrier))


WINMAIL = EMAIL_CORPUS / "mimekit/tnef/MAPI_ATTACH_DATA_OBJ.winmail.dat"
SAMPLES = [*CORPUS_FILES, *([WINMAIL] if WINMAIL.exists() else [])]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(EMAIL_CORPUS)))
def test_corpus_sample_over_smtp(path: Path, services: Services, smtp_port: int) -> None:
    need_shared(path)
    make_alias(services)
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
        client.ehlo()
        client.mail("tenant@example.org")
        assert client.rcpt("jane.doe@casapay.me")[0] == 250
        code, reply = client.data(as_sent(path))
    assert code == 250, reply
    with services.sessions() as session:
        rows = list(session.scalars(select(AliasInvoice)))
    assert rows, "every accepted message leaves a trace the tenant can see"
    outcomes = {(r.status, r.error_code) for r in rows}
    assert outcomes <= {("received", None), ("failed", "no_pdf_attachment")}
    name = str(path.relative_to(EMAIL_CORPUS))
    if name in OUTLOOK_PDFS:
        assert len(rows) == OUTLOOK_PDFS[name] and outcomes == {("received", None)}
