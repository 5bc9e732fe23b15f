"""Non-amount fields from the text: languages, dates and terms, reference, IBAN and
document type (the currency has its own module). Each resolver returns a value with its
evidence and confidence.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from extract.candidates import Candidate, LabelledSegment, date_from
from extract.dates import find_dates, parse_date
from extract.iban import find_ibans
from extract.layout import BBox, PageLayout, value_places
from extract.lexicon import STOPWORDS, fold
from extract.nlp import find_doc_words


@dataclass(frozen=True)
class Found:
    """A resolved value with evidence (bbox/page may be None for computed values)."""

    value: object
    confidence: float
    page: int | None
    bbox: BBox | None
    source: str
    reasons: tuple[str, ...] = ()


def _from(c: Candidate, confidence: float, reasons: tuple[str, ...] = ()) -> Found:
    return Found(c.value, confidence, c.page, c.bbox, c.source, reasons)


def stopword_scores(text: str) -> list[tuple[str, int]]:
    """Stop-word counts per language, strongest first (ties by language code)."""
    tokens = re.findall(r"[a-zà-ÿ]+", text.lower())
    scores = {lang: sum(1 for t in tokens if t in words) for lang, words in STOPWORDS.items()}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def detect_languages(text: str) -> tuple[str, ...]:
    """Languages by stop-word counts, strongest first (at most three, always one)."""
    ranked = stopword_scores(text)
    top = ranked[0][1]
    if top == 0:
        return ("eng",)
    chosen = [lang for lang, s in ranked if s >= max(3, top * 0.35)][:3]
    return tuple(chosen or [ranked[0][0]])


_WEAK_DATE_LABELS = frozenset(("vom", "von", "du", "date", "datum", "data", "fecha", "dated"))


def _is_titled(folded: str) -> bool:
    return any(h.label in ("invoice", "credit_note") for h in find_doc_words(folded))


def _title_dates(
    labelled: list[LabelledSegment], order: str, languages: tuple[str, ...]
) -> list[tuple[float, Found]]:
    """An unlabelled date printed right under or beside the title ("FACTURE / 20/09/2023")."""
    out: list[tuple[float, Found]] = []
    for ls in labelled:
        if ls.page.number != 1 or ls.line_index > 15 or len(ls.segment.words) > 3:
            continue
        if not _is_titled(ls.segment.folded):
            continue
        for place in value_places(
            ls.page, ls.line_index, ls.segment, len(ls.segment.text), max_below=2
        ):
            if place.relation == "same":
                continue
            dates = find_dates(place.segment.text)
            if dates:
                parsed = parse_date(dates[0], order, languages)
                if parsed:
                    seg = place.segment
                    out.append(
                        (
                            0.9,
                            Found(
                                parsed,
                                0.75,
                                seg.page,
                                seg.bbox(dates[0].start, dates[0].end),
                                seg.words[0].source,
                                ("issue_date_beside_title",),
                            ),
                        )
                    )
                    break
    return out


def _issue_rank(c: Candidate) -> float:
    """Labelled dates, preferring the one printed with the document title or number."""
    rank = c.score - 0.05 * (c.order[0] - 1) - 0.002 * c.order[1]
    if fold(c.label_text).strip(" .:") in _WEAK_DATE_LABELS:
        rank -= 0.1
    if _is_titled(c.context) or _REF_STRUCT_RE.search(c.context):
        rank += 0.15
    return rank


def resolve_dates(
    cands: list[Candidate], labelled: list[LabelledSegment], order: str, languages: tuple[str, ...]
) -> tuple[Found | None, Found | None]:
    """Issue date and due date from labelled candidates (fallback: first date on page 1)."""
    issue_c = [c for c in cands if c.label == "issue_date"]
    due_c = [c for c in cands if c.label == "due_date"]
    issue: Found | None = None
    ranked = [(_issue_rank(c), _from(c, min(0.95, 0.6 + 0.35 * c.score))) for c in issue_c]
    ranked += _title_dates(labelled, order, languages)
    if ranked:
        issue = max(ranked, key=lambda r: r[0])[1]
    else:
        for ls in labelled:
            if ls.page.number != 1 or any(h.label == "other_date" for h in ls.hits):
                continue
            dates = find_dates(ls.segment.text)
            if dates:
                parsed = parse_date(dates[0], order, languages)
                if parsed:
                    issue = Found(
                        parsed,
                        0.5,
                        1,
                        ls.segment.bbox(dates[0].start, dates[0].end),
                        ls.segment.words[0].source,
                        ("issue_date_unlabelled",),
                    )
                    break
    due: Found | None = None
    if due_c:
        best = max(due_c, key=lambda c: c.score - 0.05 * c.order[0] - 0.002 * c.order[1])
        due = _from(best, min(0.95, 0.6 + 0.35 * best.score))
    return issue, due


_DOC = (
    r"(?:\w*rechnung\w*|invoice|facture|factuur|factura|fattura|gutschrift|avoir|"
    r"credit note|nota di credito|nota de credito)"
)
_REF_VALUE = r"(?P<ref>[a-z0-9][a-z0-9\-_/.]*\d[a-z0-9\-_/]*)"
# "Rechnung des Versicherers (575) Nr. 00.123", "Facture n° F123", "Invoice # 42"
_REF_STRUCT_RE = re.compile(
    r"\b" + _DOC + r"\b[^:]{0,45}?(?:\b(?:nr|no|num|number|nummer|numero)\b\.?|#|n°|nº)"
    r"\s*:?\s*" + _REF_VALUE,
    re.I,
)
# A title directly followed by its number: "Invoice FA-2017-0008", "Facture 2023-6013".
_REF_TITLE_RE = re.compile(
    r"^\s*" + _DOC + r"\s+(?P<ref>(?=[a-z0-9\-_/]*\d)[a-z0-9][a-z0-9\-_/.]*"
    r"[a-z0-9])\s*$",
    re.I,
)
_REF_HASH_RE = re.compile(
    r"^\s*(?:#|n°|nº|no\.)\s*(?P<ref>[a-z0-9][a-z0-9\-_/.]*\d[a-z0-9\-_/]*)"
    r"\s*$",
    re.I,
)


_DIGIT_RE = re.compile(r"\d")


def may_hold_reference(text: str) -> bool:
    """A reference holds a digit (each pattern's value asks for one): text without any holds
    none, and most segments are words, so the three patterns are skipped there."""
    return _DIGIT_RE.search(text) is not None


def resolve_reference(cands: list[Candidate], labelled: list[LabelledSegment]) -> Found | None:
    """Invoice number: labelled candidates first, then 'Rechnung Nr. X' style headings."""
    ranked: list[tuple[float, Found]] = []
    for c in cands:
        if c.label == "reference":
            weak = fold(c.label_text).strip(" .:#") in _WEAK_REF_LABELS
            ranked.append(
                (
                    c.score * (0.8 if weak else 1.0) - 0.05 * (c.page - 1) - 0.002 * c.order[1],
                    _from(c, 0.6 + 0.3 * c.score),
                )
            )
    for ls in labelled:
        if ls.page.number > 2:
            continue
        folded = ls.segment.folded
        numbered = may_hold_reference(folded)
        matches = [(m, 0.97) for m in _REF_STRUCT_RE.finditer(folded)] if numbered else []
        line = ls.page.lines[ls.line_index]
        if not matches and ls.segment is line.segments[0] and len(line.segments) > 1:
            # The title may be split over columns ("Rechnung (380) | Nr. 4711 vom | 05.03.").
            joined = " ".join(s.text for s in line.segments)
            joined_matches = (
                _REF_STRUCT_RE.finditer(fold(joined)) if may_hold_reference(joined) else ()
            )
            for jm in joined_matches:
                value = joined[jm.start("ref") : jm.end("ref")].rstrip(".")
                seg = next((s for s in line.segments if value in s.text), line.segments[0])
                start = max(seg.text.find(value), 0)
                ranked.append(
                    (
                        0.95 - 0.05 * (ls.page.number - 1) - 0.002 * ls.line_index,
                        Found(
                            value,
                            0.87,
                            ls.page.number,
                            seg.bbox(start, start + len(value)),
                            seg.words[0].source,
                        ),
                    )
                )
        title = _REF_TITLE_RE.match(folded) if numbered else None
        if title and ls.line_index < 20:
            matches.append((title, 0.9))
        hashed = _REF_HASH_RE.match(folded) if numbered else None
        if hashed and ls.line_index < 20:
            matches.append((hashed, 0.85))
        for m, weight in matches:
            start, end = m.span("ref")
            value = ls.segment.text[start:end].rstrip(".")
            found = Found(
                value,
                0.6 + 0.3 * weight,
                ls.page.number,
                ls.segment.bbox(start, end),
                ls.segment.words[0].source,
            )
            ranked.append((weight - 0.05 * (ls.page.number - 1) - 0.002 * ls.line_index, found))
    if not ranked:
        return None
    ranked.sort(key=lambda r: -r[0])
    best = ranked[0][1]
    agree = sum(1 for _, f in ranked if f.value == best.value)
    return Found(
        best.value,
        min(0.95, best.confidence + 0.05 * (agree - 1)),
        best.page,
        best.bbox,
        best.source,
        best.reasons,
    )


_WEAK_REF_LABELS = frozenset(("factuur", "n°", "nº", "no", "document no", "invoice"))


def resolve_iban(pages: list[PageLayout]) -> Found | None:
    """First checksum-valid IBAN on the document (the payee's account); an IBAN whose groups
    were split into column segments is read from the whole line."""
    for page in pages:
        for line in page.lines:
            for seg in line.segments:
                for start, end, iban in find_ibans(seg.text):
                    return Found(iban, 0.95, page.number, seg.bbox(start, end), seg.words[0].source)
            if len(line.segments) > 1:
                joined = " ".join(s.text for s in line.segments)
                for _start, _end, iban in find_ibans(joined):
                    first = line.segments[0]
                    box = (first.x0, line.top, line.segments[-1].x1, line.bottom)
                    return Found(iban, 0.9, page.number, box, first.words[0].source)
    return None


_INVOICE_STEM_RE = re.compile(r"\b(?:rechnungs|factuur|factura|fattura|invoice)\w+")
# A credit compound: "credit" glued or hyphenated to an invoice word ("Creditfactuur",
# "Credit-Rechnung", "credit invoice") names a credit note whatever the phrase lists hold.
_CREDIT_COMPOUND_RE = re.compile(
    r"\bcredit[- ]?(?:factuur|factura|fattura|facture|rechnung|invoice|nota|note)\b"
)


def classify(pages: list[PageLayout]) -> tuple[str, tuple[str, ...], bool]:
    """Document kind from its words: (invoice|credit_note|receipt|other, reasons, paid)."""
    counts: Counter[str] = Counter()
    head: Counter[str] = Counter()
    for page in pages[:2]:
        for li, line in enumerate(page.lines):
            for seg in line.segments:
                labels = [hit.label for hit in find_doc_words(seg.folded)]
                compounds = len(_CREDIT_COMPOUND_RE.findall(seg.folded))
                labels += ["credit_note"] * (compounds - labels.count("credit_note"))
                for label in labels:
                    counts[label] += 1
                    if page.number == 1 and li < 15:
                        head[label] += 1
    for page in pages[:2]:
        for line in page.lines:
            counts["invoice"] += len(_INVOICE_STEM_RE.findall(fold(line.text)))
    reasons: list[str] = []
    paid = counts["paid"] > 0 and counts["receipt"] > 0
    if head["credit_note"] and head["credit_note"] >= head["invoice"] * 0.5:
        return "credit_note", ("document_is_credit_note",), paid
    if counts["invoice"] == 0 and counts["receipt"] >= 2:
        return "receipt", ("document_is_receipt",), True
    if counts["invoice"] == 0 and counts["credit_note"]:
        return "credit_note", ("document_is_credit_note",), paid
    if counts["invoice"] == 0:
        reasons.append("no_invoice_wording")
        return "other", tuple(reasons), paid
    if counts["not_invoice"] > counts["invoice"]:
        return "other", ("document_reads_like_non_invoice",), paid
    return "invoice", (), paid


def date_value(found: Found | None) -> datetime.date | None:
    return date_from(found.value) if found else None
