"""Label-anchored value candidates: every label found on the pages proposes a value nearby.

Candidates carry a placement score (same phrase > right > below) so the resolvers can weigh
competing readings and pick the combination that is arithmetically consistent.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from extract.dates import DateMatch, find_compact_dates, find_dates, parse_date
from extract.layout import BBox, PageLayout, Place, Segment, value_places
from extract.lexicon import fold
from extract.line_items import item_table_header
from extract.nlp import LabelHit, find_labels, find_ocr_labels
from extract.numbers import find_amounts

AMOUNT_LABELS = (
    "amount_due", "total", "subtotal", "tax", "prepaid", "tendered", "change", "rounding",
)  # fmt: skip
DATE_LABELS = ("due_date", "issue_date", "other_date")
PLACE_SCORE = {"same": 1.0, "right": 0.95, "below": 0.8}
CURRENCY_NEAR_RE = re.compile(
    r"(€|\$|£|₹|¥|\b(?:eur|usd|gbp|chf|inr|myr|rm|rs|euro?s?"
    # Currencies printed without decimals (or with three): their integers are money too.
    r"|isk|clp|jpy|krw|vnd|huf|kr|jod|kwd|omr|tnd)\b)",
    re.I,
)
_FILLER = frozenset(("no", "nr", "n", "number", "nummer", "numero", "num", "nº", "n°", "de", "du"))
REF_TOKEN_RE = re.compile(r"#?[A-Za-z0-9][A-Za-z0-9\-_/.#]*")


@dataclass(frozen=True)
class Candidate:
    """A value proposed by a label; score mixes placement, format and OCR confidence."""

    label: str
    value: object
    score: float
    page: int
    bbox: BBox
    source: str
    label_text: str
    order: tuple[int, int, float]  # page, line, x: reading order
    relation: str
    context: str = ""  # the label's phrase, folded (lets resolvers see "Rechnung ... vom")


@dataclass
class LabelledSegment:
    """A segment with the labels found in it (computed once per document)."""

    page: PageLayout
    line_index: int
    segment: Segment
    hits: list[LabelHit]


def label_index(pages: list[PageLayout]) -> list[LabelledSegment]:
    """Find labels in every segment once."""
    out: list[LabelledSegment] = []
    for page in pages:
        for li, line in enumerate(page.lines):
            for seg in line.segments:
                ocr = seg.words[0].source == "ocr"
                hits = find_ocr_labels(seg.folded) if ocr else find_labels(seg.folded)
                out.append(LabelledSegment(page, li, seg, hits))
    return out


def loose_money(labelled: list[LabelledSegment]) -> list[Candidate]:
    """Every money amount on the pages, label or not (used to explain differences)."""
    out: list[Candidate] = []
    for ls in labelled:
        seg = ls.segment
        for s, e, value in _money_in(seg.text):
            out.append(
                Candidate(
                    "any",
                    value,
                    0.5,
                    seg.page,
                    seg.bbox(s, e),
                    seg.words[0].source,
                    "",
                    (seg.page, seg.line_no, seg.x0),
                    "none",
                )
            )
    return out


def _starts_with_label(seg: Segment, index: dict[int, list[LabelHit]]) -> bool:
    hits = index.get(id(seg), [])
    return any(h.start <= 1 for h in hits)


def collect(
    labelled: list[LabelledSegment], order: str, languages: tuple[str, ...]
) -> list[Candidate]:
    """Candidates for every label class found in the document."""
    hit_index = {id(ls.segment): ls.hits for ls in labelled}
    found: list[Candidate] = []
    for ls in labelled:
        for k, hit in enumerate(ls.hits):
            stop = ls.hits[k + 1].start if k + 1 < len(ls.hits) else len(ls.segment.text)
            if hit.label in AMOUNT_LABELS:
                cand = _amount_for(ls, hit, stop, hit_index)
            elif hit.label in DATE_LABELS:
                cand = _date_for(ls, hit, stop, hit_index, order, languages)
            elif hit.label == "reference":
                cand = _reference_for(ls, hit, stop, hit_index)
            else:
                cand = None
            if cand is not None:
                found.append(cand)
    return found


def _make(
    ls: LabelledSegment,
    hit: LabelHit,
    value: object,
    score: float,
    seg: Segment,
    start: int,
    end: int,
    relation: str,
) -> Candidate:
    conf = seg.conf(start, end)
    source = seg.words[0].source
    if source == "ocr":
        score *= 0.6 + 0.4 * conf
    return Candidate(
        label=hit.label,
        value=value,
        score=score,
        page=seg.page,
        bbox=seg.bbox(start, end),
        source=source,
        label_text=ls.segment.text[hit.start : hit.end],
        order=(seg.page, seg.line_no, seg.x0),
        relation=relation,
        context=fold(ls.page.lines[ls.line_index].text),
    )


def _money_in(text: str) -> list[tuple[int, int, Decimal]]:
    """Money-looking amounts: two decimals, or an integer right beside a currency sign."""
    amounts = find_amounts(text)
    found = [(a.start, a.end, a.value) for a in amounts if a.decimals == 2]
    if not found:  # some generators drop a trailing zero ("21,3")
        found = [(a.start, a.end, a.value) for a in amounts if a.decimals == 1]
    if not found and CURRENCY_NEAR_RE.search(text):
        found = [(a.start, a.end, a.value) for a in amounts if a.decimals == 0]
    return found


def _amount_for(
    ls: LabelledSegment, hit: LabelHit, stop: int, hit_index: dict[int, list[LabelHit]]
) -> Candidate | None:
    """Rightmost money amount on the label's line; else the nearest one below, in its column."""
    best: tuple[Segment, int, int, Decimal, str] | None = None
    below_places = []
    blocked = False
    # A label inside a sentence ("... within 14 days te betalen.") owns only what its own
    # sentence says; the cell to its right or below belongs to something else.
    in_prose = hit.start > 2 and len(ls.segment.words) >= 5
    if in_prose and hit.label == "tax":
        return None  # a tax quoted in a sentence ("includes insurance tax of 12.00") is no VAT line
    # A heading of an item table ("Description | Qty | Total HT") heads a column of item
    # amounts: never take the first row's amount for a total, net or tax.
    column_head = item_table_header(ls.page.lines[ls.line_index])
    for place in value_places(ls.page, ls.line_index, ls.segment, hit.end):
        if in_prose and place.relation != "same":
            break
        if place.relation == "below":
            below_places.append(place)
            continue
        if blocked or (place.relation == "right" and _starts_with_label(place.segment, hit_index)):
            blocked = True
            continue
        text = place.segment.text
        end = stop if place.relation == "same" else len(text)
        money = _money_in(text[place.start : end])
        if money:
            s, e, value = money[-1]
            best = (place.segment, place.start + s, place.start + e, value, place.relation)
            if place.relation == "same" and stop < len(text):
                break  # another label follows in the same phrase: its value is not ours
    if best is None and not column_head:
        # Below: on the nearest line holding money in the label's column, the amount whose
        # centre is closest to the label's own words (a heading cell may hold two labels).
        lx0, _, lx1, _ = ls.segment.bbox(hit.start, hit.end)
        centre = (lx0 + lx1) / 2
        found: list[tuple[float, Segment, int, int, Decimal]] = []
        nearest: int | None = None
        for place in below_places:
            if nearest is not None and place.distance > nearest:
                break
            if _starts_with_label(place.segment, hit_index):
                continue
            seg = place.segment
            for s, e, value in _money_in(seg.text):
                x0, _, x1, _ = seg.bbox(s, e)
                found.append((abs((x0 + x1) / 2 - centre), seg, s, e, value))
                nearest = place.distance
        if found:
            _d, seg, s, e, value = min(found, key=lambda f: f[0])
            best = (seg, s, e, value, "below")
    if best is None:
        return None
    seg, s, e, value, relation = best
    return _make(ls, hit, value, PLACE_SCORE[relation], seg, s, e, relation)


def _date_for(
    ls: LabelledSegment,
    hit: LabelHit,
    stop: int,
    hit_index: dict[int, list[LabelHit]],
    order: str,
    languages: tuple[str, ...],
) -> Candidate | None:
    for place, sub in _open_places(ls, hit, stop, hit_index, max_below=2):
        lead = len(sub) - len(sub.lstrip(" .·_…:"))  # dot leaders between label and value
        if place.relation == "same":
            sub = sub[: lead + 40]
        dates = find_dates(sub) or find_compact_dates(sub[lead : lead + 12])
        if not dates:
            continue
        dm: DateMatch = dates[0]
        shift = 0 if dm.kind != "iso" or find_dates(sub) else lead
        parsed = parse_date(dm, order, languages)
        if parsed is None:
            continue
        score = PLACE_SCORE[place.relation] * (0.97 if dm.ambiguous else 1.0)
        return _make(
            ls,
            hit,
            parsed,
            score,
            place.segment,
            place.start + shift + dm.start,
            place.start + shift + dm.end,
            place.relation,
        )
    return None


def _open_places(
    ls: LabelledSegment,
    hit: LabelHit,
    stop: int,
    hit_index: dict[int, list[LabelHit]],
    max_below: int,
) -> Iterator[tuple[Place, str]]:
    """The places a label's value may stand in, with their text, nearest first.

    A segment to the right that starts another label closes the line (what follows is that
    label's value); a line below that starts with a label is that label's, and is skipped.
    """
    blocked = False
    for place in value_places(ls.page, ls.line_index, ls.segment, hit.end, max_below=max_below):
        if place.relation == "right" and (blocked or _starts_with_label(place.segment, hit_index)):
            blocked = True
            continue
        if place.relation == "below" and (
            _starts_with_label(place.segment, hit_index)
            or _headed_by_another_label(ls, place.segment, hit_index)
        ):
            continue
        text = place.segment.text
        end = stop if place.relation == "same" else len(text)
        yield place, text[place.start : end]


def _headed_by_another_label(
    ls: LabelledSegment, value: Segment, hit_index: dict[int, list[LabelHit]]
) -> bool:
    """A label printed between this label and the value, above the value, owns it: in a box
    of headed cells the title "Fattura n." on the top line does not reach past the "Data
    emissione" header to the date below it."""
    for line in ls.page.lines[ls.line_index + 1 :]:
        if line.top >= value.top:
            return False
        for seg in line.segments:
            if seg.x1 > value.x0 and seg.x0 < value.x1 and _starts_with_label(seg, hit_index):
                return True
    return False


def _valid_reference(token: str, strong: bool = False) -> bool:
    core = token.strip(".:;,#")
    if not 3 <= len(core) <= 40 or not any(c.isdigit() for c in core):
        return False
    if find_dates(core) and not (strong and find_dates(core)[0].text == core):
        return False  # a date-shaped number is an invoice number only under a strong label
    return not re.fullmatch(r"\d{1,3}(?:[.,]\d{2})", core)


_PREFIX_RE = re.compile(r"[A-Z]{1,4}")
_GROUP_RE = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9\-_/.]*")


def _id_run(sub: str, tokens: list[re.Match[str]]) -> tuple[int, int] | None:
    """The span of an identifier printed in several pieces: "FA 872 542", "ABC 12/25".

    A short upper-case prefix joins the digit group after it; further digit groups join while
    they follow after a single space and are neither dates nor amounts.
    """
    if not tokens:
        return None
    first = tokens[0]
    start, end = first.start(), first.end()
    k = 1
    if _PREFIX_RE.fullmatch(first.group(0)) and len(tokens) > 1:
        nxt = tokens[1]
        if sub[end : nxt.start()] == " " and any(c.isdigit() for c in nxt.group(0)):
            end, k = nxt.end(), 2
        else:
            return None
    elif not any(c.isdigit() for c in first.group(0)):
        return None
    for m in tokens[k:]:
        text = m.group(0).rstrip(".:;,")
        if sub[end : m.start()] != " " or not _GROUP_RE.fullmatch(text):
            break
        if find_dates(text) or re.fullmatch(r"\d+[.,]\d{2}", text) or len(text) > 12:
            break
        end = m.start() + len(text)
    return start, end


def _reference_for(
    ls: LabelledSegment, hit: LabelHit, stop: int, hit_index: dict[int, list[LabelHit]]
) -> Candidate | None:
    strong = fold(ls.segment.text[hit.start : hit.end]).strip(" .:#") not in _WEAK_REF
    for place, sub in _open_places(ls, hit, stop, hit_index, max_below=1):
        tokens = [
            m
            for m in REF_TOKEN_RE.finditer(sub)
            if m.group(0).lower().strip("#.:") not in _FILLER and not _label_tail(sub, m)
        ][:4]
        span = _id_run(sub, tokens)
        if span is None:
            continue
        token = sub[span[0] : span[1]].rstrip(".:;,").lstrip(":")
        if not _valid_reference(token, strong):
            continue
        s = place.start + span[0]
        return _make(
            ls,
            hit,
            token,
            PLACE_SCORE[place.relation],
            place.segment,
            s,
            s + len(token),
            place.relation,
        )
    return None


_WEAK_REF = frozenset(("n°", "no", "nr", "ref", "rif", "nummer", "factuur", "invoice"))


def _label_tail(sub: str, m: re.Match[str]) -> bool:
    """A word of letters right before a colon still belongs to the label ("Numero fattura:"
    when the match stopped at "numero"), it is not the value."""
    return m.group(0).isalpha() and sub[m.end() :].lstrip().startswith(":")


def date_from(value: object) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None
