"""A second look at a scanned document whose total or due date the first reading missed (or
whose total nothing confirms): the regions that can hold them (crop_regions.py) are cropped
from the page's picture and read again (crop_ocr.py), their words put in place of the first
reading's, and the normal field rules run again on the result.

The second reading is kept only when it is plainly better: it finds what was missing or lifts a
doubt, raises no new doubt about a value the first reading had, and changes no value the first
reading trusted. So it can fill a review form, or confirm a total, but never turn a trusted
reading into another one. Text pages are never cropped: their words are the document's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from extract.crop_ocr import merge
from extract.crop_regions import find_regions, wanted
from extract.layout import BBox, PageLayout
from extract.reading import layouts_of
from extract.result import Extraction, ExtractionFailed
from extract.source import DocumentSource, ReadPage

Outcome = Extraction | ExtractionFailed
_DOUBTS = {
    "total_amount": {"total_unconfirmed", "total_ambiguous"},
    "due_date": {"due_date_unread", "due_date_unconfirmed", "deadline_without_date"},
}


def look_again(
    source: DocumentSource,
    read: list[ReadPage],
    pages: list[PageLayout],
    first: Outcome,
    assemble: Callable[[list[PageLayout], list[str]], Extraction],
) -> Outcome:
    """`first`, or the document assembled again from a crop re-read when that is better."""
    if isinstance(first, ExtractionFailed):
        want = wanted(None, ())
    else:
        want = wanted(first.fields, first.blockers)
    regions = find_regions(pages, want)  # none on text pages, none when nothing is wanted
    if not regions:
        return first
    boxes: dict[int, list[BBox]] = {}
    for region in regions:
        boxes.setdefault(region.page, []).append(region.box)
    again = []
    for page in read:
        if page.number in boxes:
            found = source.reread(page.number, boxes[page.number])
            page = replace(page, words=merge(page.words, found))
        again.append(page)
    layouts, notes = layouts_of(again)
    note = f"ocr_crop_reread:{len(regions)}_regions"
    try:
        second = assemble(layouts, notes)
    except ExtractionFailed:
        return _noted(first, f"{note}:not_used")
    if not better(first, second):
        return _noted(first, f"{note}:not_used")
    return replace(second, reasons=(*second.reasons, f"{note}:used"))


def better(first: Outcome, second: Extraction) -> bool:
    """Whether the second reading finds what was missing or lifts a doubt, without losing a
    value the first had or raising a new doubt about one, without changing a value the first
    trusted, and replacing a doubted value only by a confirmed one."""
    if isinstance(first, ExtractionFailed):
        return True
    before = {b.code for b in first.blockers}
    after = {b.code for b in second.blockers}
    had = {name for name, fv in first.fields.items() if fv.value is not None}
    if any(second.value(name) is None for name in had):
        # A reading that lost a value (the tax line) can look surer than it is: without a
        # tax, a labelled total needs no arithmetic to be believed.
        return False
    for blocker in second.blockers:
        if blocker.code not in before and (blocker.field is None or blocker.field in had):
            return False
    gained = False
    for name, doubts in _DOUBTS.items():
        old, new = first.value(name), second.value(name)
        if old is not None and new != old and (not before & doubts or after & doubts):
            return False  # a trusted value changed, or a doubted one became another doubted one
        if old is None and new is not None:
            gained = True
    return gained or after < before


def _noted(outcome: Outcome, note: str) -> Outcome:
    if isinstance(outcome, ExtractionFailed):
        return outcome
    return replace(outcome, reasons=(*outcome.reasons, note))
