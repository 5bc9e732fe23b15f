"""Opening PDFs: validity and encryption, embedded e-invoice files, text-layer words per page.

pypdf reads the structure (encryption, attachments); pdfplumber gives positioned words. A page
counts as text when its layer has usable characters; only the other pages are OCRed.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from extract.layout import Word
from extract.result import ExtractionFailed

_XML_NAME_RE = re.compile(r"(factur-?x|zugferd|xrechnung|order-x|ubl|invoice|cii).*\.xml$", re.I)

for _name in ("pdfminer", "pypdf"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfInfo:
    """What pypdf tells us before any text work."""

    pages: int
    xml_attachments: tuple[tuple[str, bytes], ...]


def inspect_pdf(data: bytes) -> PdfInfo:
    """Validate the bytes and collect XML attachments; raises ExtractionFailed when unusable."""
    from pypdf import PdfReader

    if not data.lstrip()[:1024].find(b"%PDF") >= 0 and b"%PDF" not in data[:1024]:
        raise ExtractionFailed("pdf_unreadable", "the file is not a PDF (no %PDF header)")
    # Parser errors (damaged structure, limits) are translated by guard.failure_boundary.
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception as exc:  # pypdf raises several types for unsupported crypto
            raise ExtractionFailed(
                "pdf_encrypted", f"the PDF is encrypted and cannot be opened: {exc}"
            ) from exc
        if not ok:
            raise ExtractionFailed(
                "pdf_encrypted", "the PDF is protected by a password; ask for an open copy"
            )
    pages = len(reader.pages)
    if pages == 0:
        raise ExtractionFailed("pdf_unreadable", "the PDF has no pages")
    found: list[tuple[str, bytes]] = []
    try:
        for name, contents in (reader.attachments or {}).items():
            if name.lower().endswith(".xml"):
                for blob in contents:
                    found.append((name, blob))
    except Exception:  # a broken attachment tree must not stop the text path
        found = []
    found.sort(key=lambda item: (not _XML_NAME_RE.search(item[0]), item[0]))
    return PdfInfo(pages=pages, xml_attachments=tuple(found))


@dataclass
class TextPage:
    """Words of one page from its text layer (empty when the page needs OCR)."""

    number: int
    width: float
    height: float
    words: list[Word]
    usable: bool
    has_images: bool


def read_text_pages(data: bytes, max_pages: int) -> list[TextPage]:
    """Positioned words from every page's text layer (pdfplumber, the reference reader)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    result: list[TextPage] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages[:max_pages], start=1):
                raw = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                words = [
                    Word(
                        str(w["text"]),
                        float(w["x0"]),
                        float(w["top"]),
                        float(w["x1"]),
                        float(w["bottom"]),
                        i,
                    )
                    for w in raw
                    if str(w["text"]).strip()
                ]
                words = merge_split_capitals(words)
                result.append(
                    TextPage(
                        number=i,
                        width=float(page.width),
                        height=float(page.height),
                        words=words,
                        usable=usable_text(words),
                        has_images=bool(page.images),
                    )
                )
                page.close()
    except PDFPasswordIncorrect as exc:
        raise ExtractionFailed("pdf_encrypted", "the PDF is protected by a password") from exc
    return result  # any other parser error is translated by guard.failure_boundary


SPLIT_CAPITAL_GAP = 0.15  # of the word's height


def merge_split_capitals(words: list[Word]) -> list[Word]:
    """Re-join words split after a kerned capital ("F actuurnummer" -> "Factuurnummer")."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.text) == 1
            and prev.text.isupper()
            and w.text[:1].islower()
            and abs(prev.top - w.top) < 0.3 * w.height
            # A kerned capital sits almost against its word; a space is at least ~0.2 em
            # wide ("À régler", "A l'occasion", "D du" stay apart).
            and 0 <= w.x0 - prev.x1 < SPLIT_CAPITAL_GAP * w.height
        ):
            out[-1] = Word(
                prev.text + w.text,
                prev.x0,
                min(prev.top, w.top),
                w.x1,
                max(prev.bottom, w.bottom),
                w.page,
                min(prev.conf, w.conf),
                w.source,
            )
        else:
            out.append(w)
    return out


def usable_text(words: list[Word]) -> bool:
    """A text layer is usable when it holds real characters, not just (cid:NN) glyph codes."""
    text = "".join(w.text for w in words)
    alnum = sum(c.isalnum() for c in text)
    cid = text.count("(cid:")
    return alnum >= 20 and cid * 6 < alnum * 0.3
