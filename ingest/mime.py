"""Find the documents in a message, wherever mail clients put them, at a bounded cost.

Attachments or inline parts; PDFs (application/pdf, a .pdf name or %PDF magic) and photos (JPEG,
PNG, HEIC, TIFF, WebP by magic); inside forwarded message/rfc822 parts, ZIP archives and Outlook
containers; RFC 2231/2047 names, or none at all.

One structural pass with the compat32 policy (the modern policy parses every header, which cost
two thirds of a message's time): boundaries are found by `mime_split` where the mail is well
formed, by the standard feed parser otherwise; only parts that are documents (or may be) are
decoded. Every limit
of `MailLimits` is checked on the way; a message over one raises a `MailRefused`.
"""

from __future__ import annotations

import binascii
import quopri
import re
from dataclasses import dataclass
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from ingest.archives import ZIP_MAGIC, ZIP_TYPES, ArchiveBudget, members_in_zip
from ingest.documents import (
    PDF,
    Document,
    image_type,
    is_decoration,
    is_pdf,
    might_be_document,
)
from ingest.limits import MailLimits
from ingest.mime_split import split_message
from ingest.outlook import (
    MSG_TYPES,
    OLE_MAGIC,
    TNEF_MAGIC,
    TNEF_TYPES,
    attachments_in_msg,
    attachments_in_tnef,
)
from ingest.refusals import MalformedContent, TooComplex, UnsupportedNesting

_PARSER = BytesParser(policy=policy.compat32)
_CONTINUATION = re.compile(r"\*\d+\*?\s*=")
_CID = re.compile(rb"cid:([^\"'\s>)]+)", re.IGNORECASE)
_HEAD_BYTES = 1024
DEFAULT_LIMITS = MailLimits()


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    sender_email: str | None
    from_domain: str | None  # of the first From address: what DMARC authenticates
    subject: str | None
    sent_at: int | None
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class _Found:
    document: Document
    content_id: str | None


def parse_mail(raw: bytes, limits: MailLimits = DEFAULT_LIMITS) -> ParsedMail:
    try:
        message = split_message(raw) or _PARSER.parsebytes(raw)
    except RecursionError as exc:  # the feed parser recurses once per nesting level
        raise _too_deep(limits) from exc
    walk = _Walk(limits)
    try:
        walk.visit(message)
    except RecursionError as exc:
        raise _too_deep(limits) from exc
    documents = walk.documents()
    if len(documents) > limits.max_documents:
        raise TooComplex(
            f"Too many documents in one message: {len(documents)} (at most "
            f"{limits.max_documents}); send them in several messages"
        )
    sender, from_domain = _sender(message)
    return ParsedMail(
        message_id=_header(message, "Message-ID"),
        sender_email=sender,
        from_domain=from_domain,
        subject=_subject(message),
        sent_at=_date(message),
        documents=documents,
    )


def _too_deep(limits: MailLimits) -> UnsupportedNesting:
    return UnsupportedNesting(
        f"Unsupported nesting: MIME parts nested deeper than {limits.max_depth} levels"
    )


class _Walk:
    """One pass over the part tree: limits, document candidates, and what the HTML shows."""

    def __init__(self, limits: MailLimits) -> None:
        self.limits = limits
        self.parts = 0
        self.found: list[_Found] = []
        self.html: list[Message] = []
        self.archives = ArchiveBudget(limits)

    def visit(self, root: Message) -> None:
        stack: list[tuple[Message, int]] = [(root, 0)]
        while stack:
            part, depth = stack.pop()
            self._count(part, depth)
            children = _children(part)
            if children is not None:
                stack.extend((child, depth + 1) for child in reversed(children))
            else:
                self._leaf(part)

    def _count(self, part: Message, depth: int) -> None:
        limits = self.limits
        self.parts += 1
        if self.parts > limits.max_parts:
            raise TooComplex(f"Message too complex: more than {limits.max_parts} MIME parts")
        if depth > limits.max_depth:
            raise _too_deep(limits)
        block = 0
        for name, value in part.raw_items():
            text = str(value)
            block += len(name) + len(text)
            if "\x00" in text or "\x00" in name:
                raise MalformedContent("Malformed content: a NUL byte in a header field")
            if len(text) > limits.max_header_bytes:
                raise TooComplex(
                    f"Message header too large: the {name[:40]} field is over "
                    f"{limits.max_header_bytes} bytes"
                )
            if len(_CONTINUATION.findall(text)) > limits.max_param_continuations:
                raise TooComplex(
                    f"Message header too complex: more than {limits.max_param_continuations} "
                    f"RFC 2231 continuations in {name[:40]}"
                )
        if block > limits.max_header_block_bytes:
            raise TooComplex(
                f"Message header too large: over {limits.max_header_block_bytes} bytes"
            )

    def _leaf(self, part: Message) -> None:
        content_type = part.get_content_type()
        filename = _filename(part)
        lower = filename.lower().rstrip()
        if content_type == "text/html":
            self.html.append(part)
            return
        labelled = might_be_document(content_type, filename)
        if content_type.startswith("text/") and not labelled:
            return
        # Decode in full only what is labelled a document; sniff the first bytes of the rest.
        data = _decoded(part) if labelled else None
        head = data[:_HEAD_BYTES] if data is not None else _head(part)
        if (
            content_type in ZIP_TYPES
            or lower.endswith(".zip")
            or (head[:4] == ZIP_MAGIC and content_type == "application/octet-stream")
        ):
            for name, member in members_in_zip(_decoded(part), self.archives):
                self._add(name, "", member, None)
        elif content_type in MSG_TYPES or lower.endswith(".msg") or head[:8] == OLE_MAGIC:
            for name, member in attachments_in_msg(_decoded(part)):
                self._add(name, "", member, None)
        elif content_type in TNEF_TYPES or lower == "winmail.dat" or head[:4] == TNEF_MAGIC:
            for name, member in attachments_in_tnef(_decoded(part)):
                self._add(name, "", member, None)
        elif is_pdf(content_type, filename, head) or image_type(head):
            whole = data if data is not None else _decoded(part)
            self._add(filename, content_type, whole, _content_id(part))

    def _add(self, filename: str, content_type: str, data: bytes, content_id: str | None) -> None:
        if not data:
            return  # an empty part labelled a PDF holds nothing to bill
        kind = image_type(data[:16])
        if kind is None and not is_pdf(content_type, filename, data[:_HEAD_BYTES]):
            return  # a name or label promised a document the bytes do not hold
        document = Document(_clean_name(filename), kind or PDF, data)
        self.found.append(_Found(document, content_id))

    def documents(self) -> tuple[Document, ...]:
        """Unique documents, decoration dropped, unnamed ones named invoice-N.<ext>."""
        unique: dict[str, _Found] = {}
        for found in self.found:  # the same document inline and attached is one invoice
            unique.setdefault(found.document.sha256, found)
        chosen = list(unique.values())
        if any(found.document.is_pdf for found in chosen):
            # A PDF in the mail is the invoice; pictures beside it are logos or illustrations.
            chosen = [found for found in chosen if found.document.is_pdf]
        else:
            shown = self._shown_by_html()
            chosen = [
                found
                for found in chosen
                if not is_decoration(found.document, shown_by_html=found.content_id in shown)
            ]
        return tuple(
            found.document
            if found.document.filename
            else Document(
                f"invoice-{i + 1}.{found.document.extension}",
                found.document.content_type,
                found.document.data,
            )
            for i, found in enumerate(chosen)
        )

    def _shown_by_html(self) -> set[str]:
        shown: set[str] = set()
        for part in self.html:
            shown.update(m.decode("ascii", "replace").lower() for m in _CID.findall(_decoded(part)))
        return shown


def _children(part: Message) -> list[Message] | None:
    """Sub-parts of a multipart or a forwarded message; None for a leaf."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    if part.get_content_type() == "message/rfc822" and isinstance(payload, str):
        # A forwarded message the parser left as text (e.g. starts with an mbox "From " line).
        text = re.sub(r"^From [^\n]*\n", "", payload.lstrip())
        return [_PARSER.parsebytes(text.encode("ascii", "surrogateescape"))]
    return None


def _decoded(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, LookupError, MessageError):  # damaged transfer encodings
        return b""
    return data if isinstance(data, bytes) else b""


def _head(part: Message) -> bytes:
    """The first bytes of a part, decoding no more of it than needed to sniff a magic number."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return b""
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        text = "".join(payload[: _HEAD_BYTES * 2].split())
        text = text[: len(text) // 4 * 4]
        try:
            return binascii.a2b_base64(text.encode("ascii", "ignore"))[:_HEAD_BYTES]
        except binascii.Error:
            return b""
    # compat32 hands 8-bit bytes over decoded with the part's charset: magic numbers are ASCII.
    raw = payload[: _HEAD_BYTES * 3].encode("utf-8", "surrogateescape")
    if encoding == "quoted-printable":
        return quopri.decodestring(raw)[:_HEAD_BYTES]
    return raw[:_HEAD_BYTES]


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except (ValueError, LookupError, IndexError, MessageError):
        return ""
    if isinstance(name, tuple):  # an RFC 2231 value collapse_rfc2231_value could not decode
        name = name[2]
    return _decode_words(str(name))


def _content_id(part: Message) -> str | None:
    value = _header(part, "Content-ID")
    return value.strip("<>").lower() or None if value else None


def _clean_name(name: str) -> str:
    """A display name only (storage keys are content hashes): no paths, no control characters."""
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", _readable(name)).replace("\\", "/")
    name = name.rsplit("/", 1)[-1].strip()
    return name[:200]


def _readable(text: str) -> str:
    """8-bit header bytes (kept as surrogates by compat32) read as UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _decode_words(text: str) -> str:
    """RFC 2047 encoded words (=?utf-8?q?...?=), which clients also put in file names."""
    if "=?" not in text:
        return _readable(text)
    try:
        return str(make_header(decode_header(text)))
    except (MessageError, LookupError, UnicodeError, ValueError):  # CharsetError is a MessageError
        return _readable(text)


def _header(message: Message, name: str) -> str | None:
    """The first such field as sent, unfolded (compat32 hands 8-bit bytes over as surrogates)."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            text = re.sub(r"\s+", " ", _readable(str(value))).strip()
            return text or None
    return None


def _subject(message: Message) -> str | None:
    value = _header(message, "Subject")
    return _decode_words(value) if value else None


def _sender(message: Message) -> tuple[str | None, str | None]:
    """The first From address (else Sender) and the From domain.

    The From header is what a tenant sees and what DMARC authenticates; one the standard
    header registry cannot parse at all is malformed content.
    """
    from_domain = None
    for name in ("From", "Sender"):
        value = _header(message, name)
        if not value:
            continue
        try:
            addresses = [a for a in policy.default.header_factory("from", value).addresses]
        except Exception as exc:  # the stdlib registry raises AttributeError & co. on junk
            if name == "From":
                raise MalformedContent(
                    "Malformed content: the From header cannot be parsed"
                ) from exc
            continue
        usable = [a for a in addresses if a.username and a.domain]
        if name == "From" and usable:
            from_domain = usable[0].domain.lower()
        if usable:
            return usable[0].addr_spec.lower(), from_domain
        fallback = [addr for _, addr in getaddresses([value]) if "@" in addr]
        if fallback:
            return fallback[0].lower(), from_domain
    return None, from_domain


def _date(message: Message) -> int | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
