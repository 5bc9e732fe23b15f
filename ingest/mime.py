"""Find the PDFs in a message, wherever mail clients put them.

Attachments or inline parts; application/pdf, or any type with a .pdf name or %PDF magic;
inside forwarded message/rfc822 parts and ZIP archives; RFC 2231/2047 names, or none at all.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from ingest.outlook import OLE_MAGIC, TNEF_MAGIC, pdfs_in_msg, pdfs_in_tnef

PDF_TYPES = {"application/pdf", "application/x-pdf", "application/acrobat", "applications/vnd.pdf"}
MSG_TYPES = {"application/vnd.ms-outlook", "application/x-msg"}
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip"}
MAX_ZIP_MEMBER_BYTES = 50 * 1024 * 1024  # a zip bomb stops here, not in our memory
MAX_DEPTH = 10  # nested forwards deeper than this are not searched further


@dataclass(frozen=True)
class PdfPart:
    filename: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    sender_email: str | None
    subject: str | None
    sent_at: int | None
    pdfs: tuple[PdfPart, ...]


def parse_mail(raw: bytes) -> ParsedMail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    found: list[PdfPart] = []
    _collect(message, found, depth=0)
    unique: dict[str, PdfPart] = {}
    for part in found:  # the same PDF inline and attached is one invoice
        unique.setdefault(part.sha256, part)
    named = [
        part if part.filename else PdfPart(f"invoice-{i + 1}.pdf", part.data)
        for i, part in enumerate(unique.values())
    ]
    return ParsedMail(
        message_id=_header(message, "Message-ID"),
        sender_email=_sender(message),
        subject=_header(message, "Subject"),
        sent_at=_date(message),
        pdfs=tuple(named),
    )


def _collect(part: Message, found: list[PdfPart], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        for inner in _payload_list(part):
            _collect(inner, found, depth + 1)
        return
    if part.is_multipart():
        for sub in _payload_list(part):
            _collect(sub, found, depth + 1)
        return
    data = _decoded(part)
    filename = _filename(part)
    lower = filename.lower()
    if content_type in ZIP_TYPES or lower.endswith(".zip") or data[:4] == b"PK\x03\x04":
        found.extend(_pdfs_in_zip(data))
    elif content_type in MSG_TYPES or lower.endswith(".msg") or data[:8] == OLE_MAGIC:
        found.extend(PdfPart(_clean_name(n), d) for n, d in pdfs_in_msg(data))
    elif content_type in TNEF_TYPES or lower == "winmail.dat" or data[:4] == TNEF_MAGIC:
        found.extend(PdfPart(_clean_name(n), d) for n, d in pdfs_in_tnef(data))
    elif _is_pdf(content_type, filename, data):
        found.append(PdfPart(_clean_name(filename), data))


def _payload_list(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    if isinstance(payload, Message):
        return [payload]
    if part.get_content_type() == "message/rfc822" and isinstance(payload, str):
        # A forwarded message the parser left as text (e.g. starts with an mbox "From " line).
        text = re.sub(r"^From [^\n]*\n", "", payload.lstrip())
        return [BytesParser(policy=policy.default).parsebytes(text.encode("utf-8", "replace"))]
    return []


def _decoded(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, LookupError):  # damaged transfer encodings
        return b""
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except (ValueError, LookupError, IndexError):
        name = ""
    return str(name) if not isinstance(name, tuple) else str(name[2])


def _is_pdf(content_type: str, filename: str, data: bytes) -> bool:
    if content_type in PDF_TYPES:
        return True
    if filename.lower().rstrip().endswith(".pdf"):
        return True
    # Octet streams and mislabelled parts: trust the magic number (it may sit after junk).
    return b"%PDF-" in data[:1024]


def _pdfs_in_zip(data: bytes) -> list[PdfPart]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return []
    found = []
    with archive:
        for info in archive.infolist():
            if info.is_dir() or info.file_size > MAX_ZIP_MEMBER_BYTES:
                continue
            if not info.filename.lower().endswith(".pdf"):
                continue
            try:
                member = archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, ValueError, OSError):
                continue  # encrypted or damaged member: nothing we can bill
            found.append(PdfPart(_clean_name(info.filename), member))
    return found


def _clean_name(name: str) -> str:
    """A display name only (storage keys are content hashes): no paths, no control characters."""
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", name).replace("\\", "/")
    name = name.rsplit("/", 1)[-1].strip()
    return name[:200]


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, LookupError):
        return None
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def _sender(message: EmailMessage) -> str | None:
    for header in ("From", "Sender"):
        value = _header(message, header)
        if value:
            addresses = [addr for _, addr in getaddresses([value]) if "@" in addr]
            if addresses:
                return addresses[0].lower()
    return None


def _date(message: EmailMessage) -> int | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
