"""Where to look again on an OCR page when the total or the due date was not read (or the total
is unconfirmed): the regions that can hold them, from the page's own words.

Measured on the dev set's scans: tesseract's page layout analysis drops whole columns (the
amount column of an ERP print, the values under a boxed form's headers), while the same pixels
cropped alone read cleanly. So the regions are
- the band from a total-like label (total, amount due, and the net and tax lines that confirm a
  total) or a due-date label to the right edge of the page, with the line or two below it (a
  value under its header);
- the segments holding amount- or date-like tokens and a few words that tesseract read with low
  confidence (a garbled label beside a value, a misread value).
The labels are the engine's own lexicon; nothing here knows a layout or a file. Pure: pages in,
regions out, bounded in count and area (what a crop re-read may cost).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from extract.candidates import label_index
from extract.layout import BBox, Line, PageLayout
from extract.result import Blocker, FieldValue

MAX_REGIONS = 6  # per document
MAX_AREA_SHARE = 0.15  # all regions together, of one page's area (read at 1.5x: a third of a page)
LOW_CONF = 0.6  # a token read below this confidence may be misread
# More unsure words than this in one segment is a texture (shading, noise), not a misread label
# or value: re-reading it finds nothing and costs seconds (1-1.6 s a band on the dev set).
MAX_UNSURE = 4
_BELOW = 2.5  # line heights below a label: a value printed under its header
_TOTAL_LABELS = {"total": 0, "amount_due": 0, "subtotal": 1, "tax": 1}
_DUE_LABELS = {"due_date": 0}
_AMOUNT_LIKE = re.compile(r"\d[\d'., ]*[.,]\d\d\b")
_DATE_LIKE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}\.? +[^\W\d_]{3,}")
_TOTAL_BLOCKERS = {"total_unconfirmed"}
_DUE_BLOCKERS = {"due_date_unread", "due_date_unconfirmed", "deadline_without_date"}


@dataclass(frozen=True)
class Region:
    """A box on one page (points, in the picture the page's OCR read) and why it was chosen."""

    page: int
    box: BBox
    why: str  # "label" | "low_confidence"


def wanted(
    fields: Mapping[str, FieldValue] | None, blockers: tuple[Blocker, ...]
) -> frozenset[str]:
    """What a second look should find: "total" and/or "due" (None: the first reading found no
    amount at all)."""
    if fields is None:
        return frozenset({"total", "due"})
    codes = {b.code for b in blockers}
    out = set()
    if fields.get("total_amount") is None or codes & _TOTAL_BLOCKERS:
        out.add("total")
    if fields.get("due_date") is None or codes & _DUE_BLOCKERS:
        out.add("due")
    return frozenset(out)


def find_regions(pages: list[PageLayout], want: frozenset[str]) -> list[Region]:
    """The regions of the OCR pages worth reading again for `want`, most promising first,
    within MAX_REGIONS and MAX_AREA_SHARE."""
    ocr = [p for p in pages if p.source == "ocr" and p.lines]
    if not ocr or not want:
        return []
    labels = {
        **(_TOTAL_LABELS if "total" in want else {}),
        **(_DUE_LABELS if "due" in want else {}),
    }
    found: list[tuple[int, int, BBox, str]] = []  # (rank, page, box, why)
    for ls in label_index(ocr):
        ranks = [labels[h.label] for h in ls.hits if h.label in labels]
        if not ranks:
            continue
        line = ls.page.lines[ls.line_index]
        h = _height(line)
        box = (ls.segment.x0 - h, line.top - 0.5 * h, ls.page.width, line.bottom + _BELOW * h)
        found.append((min(ranks), ls.page.number, box, "label"))
    for page in ocr:
        for line in page.lines:
            for seg in line.segments:
                unsure = sum(1 for w in seg.words if w.conf < LOW_CONF)
                if not 0 < unsure <= MAX_UNSURE or not _looks_wanted(seg.text, want):
                    continue
                h = _height(line)
                box = (seg.x0 - 2 * h, line.top - 0.5 * h, seg.x1 + 2 * h, line.bottom + 0.5 * h)
                found.append((2, page.number, box, "low_confidence"))
    by_number = {p.number: p for p in ocr}
    merged = _distinct(sorted(found, key=lambda f: f[0]))
    budget = MAX_AREA_SHARE * max(p.width * p.height for p in ocr)
    out: list[Region] = []
    for _rank, number, box, why in merged:
        page = by_number[number]
        box = _snap(_clip(box, page), page)
        area = (box[2] - box[0]) * (box[3] - box[1])
        if area <= 0 or area > budget:
            continue
        budget -= area
        out.append(Region(number, box, why))
        if len(out) == MAX_REGIONS:
            break
    return out


def _looks_wanted(text: str, want: frozenset[str]) -> bool:
    return ("total" in want and bool(_AMOUNT_LIKE.search(text))) or (
        "due" in want and bool(_DATE_LIKE.search(text))
    )


def _height(line: Line) -> float:
    return max(line.bottom - line.top, 6.0)


def _distinct(found: list[tuple[int, int, BBox, str]]) -> list[tuple[int, int, BBox, str]]:
    """Boxes not inside an earlier one. Overlapping boxes are not joined into one: tesseract's
    layout analysis of a larger crop (a totals block with the sentence below it) can drop the
    amount column again, depending on a few pixels of its edges; each label's band is read
    alone."""
    out: list[tuple[int, int, BBox, str]] = []
    for rank, page, box, why in found:
        if not any(o_page == page and _contains(o_box, box) for _, o_page, o_box, _ in out):
            out.append((rank, page, box, why))
    return out


def _contains(outer: BBox, inner: BBox) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _clip(box: BBox, page: PageLayout) -> BBox:
    return (max(box[0], 0.0), max(box[1], 0.0), min(box[2], page.width), min(box[3], page.height))


def _snap(box: BBox, page: PageLayout) -> BBox:
    """Grown to whole words and lines: a crop edge through a word reads half a word, which
    would replace the whole one."""
    x0, top, x1, bottom = box
    for line in page.lines:
        if line.bottom <= top or line.top >= bottom:
            continue
        top, bottom = min(top, line.top), max(bottom, line.bottom)
        for seg in line.segments:
            for w in seg.words:
                if w.x0 < x0 < w.x1:
                    x0 = w.x0
                if w.x0 < x1 < w.x1:
                    x1 = w.x1
    return (x0, top, x1, bottom)
