"""What the gate needs to know beyond the chosen fields: how many invoices the file holds,
deadline wording without a date, payable amounts nothing explains, printed currencies."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal

from extract.amounts import TOLERANCE, WEAK_LABELS, AmountResult
from extract.candidates import DATE_LABELS, Candidate, LabelledSegment
from extract.currency import printed_currencies
from extract.dates import find_compact_dates, find_dates, parse_date
from extract.deadlines import (
    deadline_without_date,
    due_on_receipt,
    hedged,
    paying_words,
    settled_clause,
)
from extract.gate import Facts
from extract.iban import find_ibans
from extract.layout import PageLayout
from extract.lexicon import fold
from extract.nlp import find_doc_words
from extract.numbers import find_amounts
from extract.result import FieldValue

_FIRST_PAGE_RE = re.compile(
    r"\b(?:page|seite|pagina|pag|pág|blad|blatt)\.?\s*1\s*(?:/|of|von|sur|van|de|di)\s*\d", re.I
)


def count_documents(pages: list[PageLayout], cands: list[Candidate]) -> int:
    """Invoices in one file (see `document_starts`)."""
    return len(document_starts(pages, cands))


def document_starts(pages: list[PageLayout], cands: list[Candidate]) -> list[int]:
    """The index in `pages` where each invoice of the file begins: a later page that starts over
    (page 1 of N again), or that carries its own title and a different invoice number than the
    document before it, or pays another account under another number."""
    starts = [0]
    if len(pages) < 2:
        return starts
    refs: dict[int, set[str]] = {}
    for c in cands:
        if c.label == "reference" and fold(c.label_text).strip(" .:#") not in _WEAK_REF:
            refs.setdefault(c.page, set()).add(re.sub(r"\W", "", str(c.value)).lower())
    current = refs.get(pages[0].number, set())
    accounts = _page_ibans(pages[0])
    for index, page in enumerate(pages[1:], start=1):
        head = " ".join(line.text for line in page.lines[:12])
        titled = any(h.label in ("invoice", "credit_note") for h in find_doc_words(fold(head)))
        restart = any(_FIRST_PAGE_RE.search(line.text) for line in page.lines)
        own = refs.get(page.number, set())
        own_number = bool(own) and not own & current  # a number none of the pages before had
        new_number = own_number and bool(current)
        # A page paying into another account than the pages before it is another payee's
        # document, whatever OCR made of its title.
        payee = _page_ibans(page)
        other_payee = bool(payee) and bool(accounts) and not payee & accounts
        accounts |= payee
        # Where no number was read before, a title and another payee's account must both say so.
        if (
            restart
            or ((titled or other_payee) and new_number)
            or (titled and other_payee and own_number)
        ):
            starts.append(index)
            current = own
        elif own:
            current |= own
    return starts


_WEAK_REF = frozenset(("n°", "nº", "no", "nr", "ref", "ref."))


def _page_ibans(page: PageLayout) -> set[str]:
    """Checksum-valid IBANs printed on one page (a line's segments read together)."""
    return {
        iban
        for line in page.lines
        for _s, _e, iban in find_ibans(" ".join(seg.text for seg in line.segments))
    }


def unexplained_totals(cands: list[Candidate], amounts: AmountResult) -> tuple[int, ...]:
    """Strongly labelled payable amounts larger than the chosen one that no arithmetic explains
    (the larger one may be what is really owed)."""
    if amounts.total is None:
        return ()
    known: list[Decimal] = [p.value for p in (amounts.total, amounts.gross) if p is not None]
    if amounts.prepaid is not None and amounts.gross is not None:
        known.append(amounts.gross.value - amounts.prepaid.value)
    payable = max(abs(v) for v in known)
    out: set[int] = set()
    for c in cands:
        if c.label not in ("total", "amount_due") or c.relation == "below":
            continue
        if fold(c.label_text).strip(" .:") in WEAK_LABELS:
            continue
        value = c.value
        assert isinstance(value, Decimal)
        if abs(value) > payable + TOLERANCE and not any(abs(value - k) <= TOLERANCE for k in known):
            out.add(int(value * 100))
    return tuple(sorted(out))


def total_row_adds_up(pages: list[PageLayout], cands: list[Candidate], value: Decimal) -> bool:
    """A total's line prints two other amounts that add up to it ("Total 24.99 5.00 29.99")."""
    rows = {
        (c.page, round(c.bbox[1]))
        for c in cands
        if c.label in ("total", "amount_due") and c.value == value
    }
    for page in pages:
        for line in page.lines:
            if not any(p == page.number and abs(line.top - top) <= 3 for p, top in rows):
                continue
            values = [
                a.value for s in line.segments for a in find_amounts(s.text) if a.decimals == 2
            ]
            others = [v for v in values if abs(v - value) > TOLERANCE]
            if any(
                abs(a + b - value) <= TOLERANCE and a > 0 and b >= 0
                for i, a in enumerate(others)
                for b in others[i + 1 :]
            ):
                return True
    return False


# A due date is rarely more than half a year after the issue date; later dates are contract
# ends, validity periods and the like.
DUE_HORIZON_DAYS = 180


def unread_later_dates(
    labelled: list[LabelledSegment],
    cands: list[Candidate],
    fields: Mapping[str, FieldValue],
    order: str,
    languages: tuple[str, ...],
) -> tuple[str, ...]:
    """Dates printed after the issue date that no reading explains, when no due date was read.

    "No due date" is billed as due on receipt; a date shortly after the issue date that is not
    the issue date, not a labelled other date (delivery, period), not a forecast and not a
    date something was already done, is most likely the deadline the reading missed."""
    if fields.get("due_date") is not None:
        return ()
    issue_fv = fields.get("issue_date")
    issue = (
        datetime.date.fromisoformat(str(issue_fv.value))
        if issue_fv is not None and issue_fv.value
        else None
    )
    explained = {c.value for c in cands if c.label in DATE_LABELS}
    numbers = {re.sub(r"\W", "", str(c.value)) for c in cands if c.label == "reference"}
    quiet_lines = {
        (ls.page.number, ls.line_index)
        for ls in labelled
        if any(h.label in ("other_date", "issue_date") for h in ls.hits)
    }
    out: set[datetime.date] = set()
    for ls in labelled:
        if (ls.page.number, ls.line_index) in quiet_lines:
            continue
        row = ls.page.lines[ls.line_index]
        line = fold(row.text)
        if hedged(line) or settled_clause(line):
            continue
        if not paying_words(line) and any(
            a.decimals == 2 for s in row.segments for a in find_amounts(s.text)
        ):
            continue  # a dated row with an amount and no word of paying: a payment or delivery
        # Compact YYYYMMDD dates too ("Fällig: 20251020" under a label OCR garbled), except
        # the document's own numbers; only when an issue date anchors the window, since the
        # same digits are as often an identifier.
        compact = [
            dm
            for dm in find_compact_dates(ls.segment.text)
            if issue is not None and dm.text.replace("-", "") not in numbers
        ]
        for dm in find_dates(ls.segment.text) + compact:
            d = parse_date(dm, order, languages)
            if d is None or d in explained:
                continue
            if issue is None or 0 < (d - issue).days <= DUE_HORIZON_DAYS:
                out.add(d)
    return tuple(sorted(d.isoformat() for d in out))


def collect_facts(
    pages: list[PageLayout],
    labelled: list[LabelledSegment],
    cands: list[Candidate],
    amounts: AmountResult,
    fields: Mapping[str, FieldValue],
    order: str = "DMY",
    languages: tuple[str, ...] = ("eng",),
) -> Facts:
    total = amounts.total.candidate if amounts.total else None
    # Arithmetic can exist where a net amount, a non-zero tax or an item table is printed.
    arithmetic = "line_items" in fields or any(
        c.label == "subtotal" or (c.label == "tax" and c.value != 0) for c in cands
    )
    starts = document_starts(pages, cands)
    on_receipt = due_on_receipt(pages)  # read once: two facts depend on it
    return Facts(
        documents=len(starts),
        first_document_pages=starts[1] if len(starts) > 1 else len(pages),
        deadline_without_date=deadline_without_date(pages, labelled) and not on_receipt,
        other_totals=unexplained_totals(cands, amounts),
        currencies=printed_currencies(pages),
        arithmetic_possible=arithmetic,
        strong_total_label=total is not None
        and fold(total.label_text).strip(" .:") not in WEAK_LABELS,
        total_row_adds_up=amounts.gross is not None
        and total_row_adds_up(pages, cands, amounts.gross.value),
        unread_dates=unread_later_dates(labelled, cands, fields, order, languages),
        photographed=any(page.photographed for page in pages),
        due_on_receipt=on_receipt,
    )
