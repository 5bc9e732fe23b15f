"""Deadlines written in sentences: "zahlbar zum <date> rein netto", "vence el <date>",
"Net 30", "30 giorni data fattura", and the wording that states a deadline but gives no date.

Built from word stems (lexicon/dates.py) rather than whole phrases, so sentences nobody listed
are still read: a paying verb, then a connective, then the date; or a day count in a sentence
about paying. Hedged dates ("next bill due around ...") and discount terms are never deadlines.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extract.candidates import LabelledSegment
from extract.dates import find_dates, parse_date
from extract.layout import PageLayout, Segment
from extract.lexicon import fold
from extract.lexicon.dates import (
    DAY_WORDS,
    DEADLINE_CONNECTIVES,
    DEADLINE_VERBS,
    DISCOUNT_WORDS,
    END_OF_MONTH,
    HEDGES,
    ON_RECEIPT,
)
from extract.numbers import find_amounts
from extract.textfields import Found


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_VERB_RE = re.compile(r"\b(?:" + _alt(DEADLINE_VERBS) + r")")
_BEFORE_DATE_RE = re.compile(
    r"\b(?:" + _alt(DEADLINE_CONNECTIVES) + r")\s*:?\s*$"
    # "Fecha límite para el pago: <date>", "Zahlungsfrist: <date>": a deadline noun, a colon
    r"|\b(?:limite|deadline|frist|echeance|vencimiento|scadenza|vervaldatum|due date|"
    r"due|fallig\w*|uiterste)\b[^:]{0,30}:\s*$"
)
_STRONG_CONNECTIVE_RE = re.compile(
    r"\b(?:by|until|before|no later than|bis|spatestens|avant|au plus tard|d'ici|uiterlijk|"
    r"voor|antes|a mas tardar|entro|deadline|frist|termin|date limite|echeance|due date|"
    r"vervaldatum|vencimiento|scadenza|fecha limite|fristgerecht)\b"
)
# A deadline that points elsewhere for its date: "à la date prévue dans votre bail", "en la
# fecha indicada en su contrato", "zum vereinbarten Termin".
_DATE_NOUN_RE = re.compile(r"\b(?:date|datum|termin|fecha|data|scadenza|echeance|frist)\b")
_HEDGE_RE = re.compile(r"(?<!\w)(?:" + _alt(HEDGES) + r")(?!\w)")
_DISCOUNT_RE = re.compile(_alt(DISCOUNT_WORDS))
_RECEIPT_RE = re.compile(r"(?<!\w)(?:" + _alt(ON_RECEIPT) + r")(?!\w)")
_EOM_RE = re.compile(r"(?<!\w)(?:" + _alt(END_OF_MONTH) + r")(?!\w)")
_DONE_RE = re.compile(
    r"\b(?:received|receipt of|erhalten|eingegangen|recu|ontvangen|recibid|ricevut|made on)\b"
)
_DAYS_RE = re.compile(
    r"(?<![\d.,])(?P<days>\d{1,3})\s*(?:" + _alt(DAY_WORDS) + r")(?!\w)", re.IGNORECASE
)
# Digits that punctuation joins to more digits are an amount, whatever mark the printer or OCR
# used between them ("netto 2.312,67", read "2:312,67"): no "Net 2".
_NET_RE = re.compile(r"\bnet(?:to)?\s*(?P<days>\d{1,3})\b(?!\s*[.,:;'’`´]\s*\d|\s*%)")
_TERMS_WORDS_RE = re.compile(
    r"\b(?:terms|net|netto|ziel|termijn|plazo|termini|conditions|condiciones|condizioni|"
    r"bedingungen)\b"
)


@dataclass(frozen=True)
class _Sentence:
    page: PageLayout
    text: str  # this line, then the next one (a wrapped date)
    folded: str
    own: int  # characters belonging to this line
    segments: list[Segment]
    lead: str = ""  # the previous line's unfinished sentence, folded (a wrapped verb)


def _sentences(pages: list[PageLayout]) -> Iterator[_Sentence]:
    for page in pages:
        lead = ""
        # Each line's text and folded text once (folding works character by character, so the
        # fold of two joined lines is the join of their folds).
        texts = [" ".join(s.text for s in line.segments) for line in page.lines]
        folds = [fold(t) for t in texts]
        for i, line in enumerate(page.lines):
            text, folded = texts[i], folds[i]
            own = len(text)
            if i + 1 < len(page.lines):
                text += " " + texts[i + 1]
                folded += " " + folds[i + 1]
            yield _Sentence(page, text, folded, own, line.segments, lead)
            lead = _unfinished(folds[i])


def _unfinished(folded: str) -> str:
    """The last sentence of a line when the line does not end it (it wraps onto the next)."""
    if re.search(r"[.;!?:]\s*$", folded):
        return ""
    return folded[_clause_start(folded, len(folded)) :]


def _clause_start(folded: str, pos: int) -> int:
    """Where the sentence holding `pos` begins (a full stop not inside a number or date)."""
    last = 0
    for m in re.finditer(r"[.;!?](?=\s+[a-z])", folded[:pos]):
        last = m.end()
    return last


def hedged(folded: str) -> bool:
    return bool(_HEDGE_RE.search(folded))


def paying_words(folded: str) -> bool:
    """A verb or noun of paying or owing ("zahlbar", "échéance", "vence", "pay")."""
    return bool(_VERB_RE.search(folded))


def settled_clause(folded: str) -> bool:
    """Wording of something already done ("payment received on ...")."""
    return bool(_DONE_RE.search(folded))


def due_in_sentence(
    pages: list[PageLayout], order: str, languages: tuple[str, ...]
) -> Found | None:
    """A due date stated inside a sentence: a paying verb, a connective, then the date."""
    for s in _sentences(pages):
        for dm in find_dates(s.text):
            if dm.start > s.own + 4:
                break  # the next line's own dates are read on its turn
            start = _clause_start(s.folded, dm.start)
            clause = s.folded[start : dm.start]
            if start == 0 and s.lead:
                clause = s.lead + " " + clause  # "... kindly transfer the / amount by <date>"
            after = re.split(r"[,.;!?](?!\d)", s.folded[dm.end :], maxsplit=1)[0]
            if not _BEFORE_DATE_RE.search(clause):
                continue
            if not (_VERB_RE.search(clause) or _VERB_RE.search(after)):
                continue
            if _DISCOUNT_RE.search(clause[-50:] + after) or hedged(clause + after):
                continue
            if _DONE_RE.search(clause):
                continue
            parsed = parse_date(dm, order, languages)
            if parsed is None:
                continue
            seg = s.segments[0]
            return Found(
                parsed,
                0.85,
                s.page.number,
                seg.bbox(),
                seg.words[0].source,
                ("due_date_from_payment_terms_sentence",),
            )
    return None


def due_from_days(pages: list[PageLayout], issue: datetime.date | None) -> Found | None:
    """Issue date + N days from "payable within N days", "Net 30", "30 giorni data fattura"."""
    if issue is None:
        return None
    for s in _sentences(pages):
        line = s.folded[: s.own]
        m = _DAYS_RE.search(line) or _NET_RE.search(line)
        if m is None or _inside_amount(line, m.start("days"), m.end("days")):
            continue  # "Summe netto 10'096.98" is no "Net 10"
        if not (_VERB_RE.search(line) or _TERMS_WORDS_RE.search(line)):
            continue  # "delivery within 14 days" is not a payment term
        around = line[max(0, m.start() - 40) : m.end() + 40]
        if _DISCOUNT_RE.search(around) or _EOM_RE.search(line):
            continue  # early-payment discounts; end-of-month terms need a calendar rule
        days = int(m.group("days"))
        if not 0 < days <= 180:
            continue
        seg = s.segments[0]
        return Found(
            issue + datetime.timedelta(days=days),
            0.8,
            s.page.number,
            seg.bbox(),
            "computed",
            ("due_date_computed_from_terms",),
        )
    return None


def _inside_amount(text: str, start: int, end: int) -> bool:
    """The digits are part of a printed amount (thousands separators of any style)."""
    return any(
        a.start <= start and end <= a.end and a.end - a.start > end - start
        for a in find_amounts(text)
    )


def _forecast(folded: str) -> bool:
    """A hedge before the paying word makes a forecast ("next bill due ..."); one after it
    qualifies a deadline ("entro la data prevista dal contratto")."""
    hedge, verb = _HEDGE_RE.search(folded), _VERB_RE.search(folded)
    return hedge is not None and (verb is None or hedge.start() < verb.start())


def deadline_without_date(pages: list[PageLayout], labelled: list[LabelledSegment]) -> bool:
    """The document talks about a payment deadline (a due label, a pay-by sentence, terms)."""
    for ls in labelled:
        row = ls.page.lines[ls.line_index]
        header_row = len(row.segments) >= 3 and not any(c.isdigit() for c in row.text)
        for hit in ls.hits:
            if hit.label == "due_date" and not header_row and not hedged(ls.segment.folded):
                return True  # a due label (not an empty table column) without a readable date
    for s in _sentences(pages):
        line = s.folded[: s.own]
        if _RECEIPT_RE.search(line) or _DONE_RE.search(line) or _forecast(line):
            continue
        if _VERB_RE.search(line) and (
            _STRONG_CONNECTIVE_RE.search(line) or _EOM_RE.search(line) or _DATE_NOUN_RE.search(line)
        ):
            return True
    return False


def due_on_receipt(pages: list[PageLayout]) -> bool:
    """ "Payable on receipt / sofort / à réception": no date, and none is missing."""
    # A line's own part of its sentence (what the rule reads) is the fold of the line's text:
    # fold keeps one character per character. Read it without building the sentences.
    for page in pages:
        for line in page.lines:
            own = fold(" ".join(s.text for s in line.segments))
            if _RECEIPT_RE.search(own) and _VERB_RE.search(own):
                return True
    return False
