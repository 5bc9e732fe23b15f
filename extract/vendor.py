"""The seller's name: a labelled seller block, else a company-looking phrase (legal form via
spaCy rules) outside the buyer's address block, else the letterhead's first line."""

from __future__ import annotations

import re

from extract.layout import PageLayout, Segment
from extract.lexicon import fold
from extract.nlp import find_doc_words, has_legal_form
from extract.textfields import Found

_BUYER_RE = re.compile(
    r"\b(bill to|billed to|invoice to|sold to|ship to|customer|rechnungsempfanger|kaufer|"
    r"kunde|lieferadresse|client|destinataire|facture a|klant|factuuradres|afleveradres|"
    r"cliente|destinatario|fatturare a|leistungsempfanger)\b",
)
_SELLER_RE = re.compile(
    r"^\s*(verkaufer|seller|supplier|lieferant|vendor|fournisseur|vendeur|leverancier|"
    r"proveedor|vendedor|fornitore|venditore|sold by|emetteur|rechnungssteller)\b\s*:?\s*"
)
_NAME_RE = re.compile(r"^\s*(name|firma|company|nom|raison sociale|naam|nombre|nome)\s*:?\s*$")
_NOISE_RE = re.compile(
    r"@|www\.|https?:|\b\d{1,2}[:.]\d{2}\b|^\s*#|\b(page|seite|pagina|blad)\b|\bnames?\b"
    r"|\bnom\b|\bau capital\b|\bcapital social\b",
    re.I,
)


_GLUED_RE = re.compile(r"\s+[-–·|•]\s+|\s*\(\d")
_TWO_LETTERS_RE = re.compile(r"[A-Za-zÀ-ÿ]{2}")


def _clean(text: str) -> str:
    """Cut an address or register number glued to the name ("ACME AG - Street 1")."""
    text = _GLUED_RE.split(text, maxsplit=1)[0]
    return text.strip(" :,-")


def _plausible(text: str) -> bool:
    if len(text) < 3 or len(text) > 60 or not _TWO_LETTERS_RE.search(text):
        return False
    digits = sum(c.isdigit() for c in text)
    return digits <= 0.2 * len(text) and not _NOISE_RE.search(text)


def _labelled(first: PageLayout) -> Found | None:
    """'Seller: ACME' or a seller heading followed by 'Name: ACME'."""
    for li, line in enumerate(first.lines):
        for seg in line.segments:
            m = _SELLER_RE.match(seg.folded)
            if not m:
                continue
            rest = _clean(seg.text[m.end() :])
            if _plausible(rest):
                return Found(rest, 0.75, first.number, seg.bbox(m.end()), seg.words[0].source)
            for follow in first.lines[li + 1 : li + 6]:
                segs = follow.segments
                for k, s in enumerate(segs[:-1]):
                    if _NAME_RE.match(s.folded) and _plausible(_clean(segs[k + 1].text)):
                        value = segs[k + 1]
                        return Found(
                            _clean(value.text),
                            0.8,
                            first.number,
                            value.bbox(),
                            value.words[0].source,
                        )
    return None


def resolve_vendor(pages: list[PageLayout]) -> Found | None:
    """Best guess of the seller's name on page 1, with a confidence that says how it was found."""
    if not pages:
        return None
    first = pages[0]
    labelled = _labelled(first)
    if labelled is not None:
        return labelled
    buyer_zone: list[tuple[float, float, float]] = []
    best: tuple[float, Segment, str] | None = None
    for li, line in enumerate(first.lines):
        for seg in line.segments:
            if _BUYER_RE.search(seg.folded):
                buyer_zone.append((seg.x0 - 20, seg.x1 + 150, seg.bottom + 70))
                continue
            text = _clean(seg.text)
            if not _plausible(text) or not has_legal_form(text):
                continue
            in_buyer = any(
                x0 <= seg.x0 <= x1 and bottom - 120 <= seg.top <= bottom
                for x0, x1, bottom in buyer_zone
            )
            score = 1.0 - li * 0.01 - (0.5 if in_buyer else 0.0)
            if best is None or score > best[0]:
                best = (score, seg, text)
    if best is not None:
        score, seg, text = best
        return Found(
            text, 0.7 if score > 0.5 else 0.45, first.number, seg.bbox(), seg.words[0].source
        )
    for line in first.lines[:6]:
        seg = line.segments[0]
        text = _clean(seg.text)
        if _plausible(text) and not find_doc_words(fold(text)):
            return Found(
                text,
                0.35,
                first.number,
                seg.bbox(),
                seg.words[0].source,
                ("vendor_guessed_from_letterhead",),
            )
    return None
