"""Line items from the item table: a header row names a description and an amount column;
rows below give one item each until the totals block starts.
"""

from __future__ import annotations

import re

from extract.layout import Line, PageLayout, Segment
from extract.nlp import find_labels
from extract.numbers import find_amounts, to_minor
from extract.result import FieldValue
from models import currencies

_DESC_RE = re.compile(
    r"\b(description|item|product|service|article|title|beschreibung|bezeichnung|"
    r"artikelbeschreibung|artikel|produkt|leistung|position|designation|libelle|prestation|"
    r"omschrijving|descripcion|concepto|articulo|descrizione|articolo|servizio)\b"
)
_AMOUNT_RE = re.compile(
    r"\b(amount|line total|total|subtotal|betrag|gesamt|gesamtpreis|nettobetrag|zeilenbetrag|"
    r"gesamtbetrag|summe|montant|total ht|prix ht|montant ht|bedrag|totaal|importe|importo|"
    r"totale|prijs incl\. btw|price)\b"
)
_SUMMARY = ("total", "subtotal", "tax", "amount_due", "prepaid")


def item_table_header(line: Line) -> bool:
    """True for the heading row of an item table (a description and an amount column)."""
    return _header(line) is not None


def _header(line: Line) -> tuple[Segment, Segment] | None:
    """(description column, amount column) when the line looks like a table header."""
    if len(line.segments) < 2:
        return None
    desc = next((s for s in line.segments if _DESC_RE.search(s.folded)), None)
    amounts = [s for s in line.segments if _AMOUNT_RE.search(s.folded) and s is not desc]
    if desc is None or not amounts:
        return None
    amount = max(amounts, key=lambda s: s.x1)
    if amount.x0 <= desc.x0:
        return None
    return desc, amount


def _summary(line: Line) -> str | None:
    """The summary label starting a segment of this line (a totals row), if any."""
    for seg in line.segments:
        for h in find_labels(seg.folded):
            if h.label in _SUMMARY and h.start <= 2:
                return h.label
    return None


def _row_item(
    line: Line, desc_col: Segment, amt_col: Segment, currency: str | None
) -> tuple[str, object] | None:
    width = max(amt_col.x1 - amt_col.x0, 30.0)
    lo, hi = amt_col.x0 - width, amt_col.x1 + 15
    money = None
    before = ""  # the text left of the amount in its own segment ("Rent . . . . 120.00")
    for seg in line.segments:
        for a in find_amounts(seg.text):
            if a.decimals not in (2, currencies.digits(currency)):
                continue  # a quantity or a code; zero-decimal currencies print integers
            x0, _, x1, _ = seg.bbox(a.start, a.end)
            if lo <= (x0 + x1) / 2 <= hi:
                money = a.value
                before = seg.text[: a.start]
    if money is None or money == 0:
        return None  # 0.00 rows are notes or free extras, not charges
    texts = [
        s.text
        for s in line.segments
        if s.x1 < amt_col.x0 - 5
        and re.search(r"[A-Za-zÀ-ÿ]{3}", s.text)
        and s.x1 >= desc_col.x0 - 40
    ]
    if not texts and re.search(r"[A-Za-zÀ-ÿ]{3}", before):
        texts = [before]
    if not texts:
        return None
    description = _LEADER_RE.sub("", max(texts, key=len)).strip()
    description = re.sub(r"^\d{1,3}\s+(?=\D)", "", description)
    if _HEADING_RE.fullmatch(description):
        return None  # "--- Food ---", "*** Services ***": a heading, not an item
    return description, money


_LEADER_RE = re.compile(r"(?:\s*[.·…_]\s*){3,}.*$")
_HEADING_RE = re.compile(r"[-=*#_ ]{2,}.*[-=*#_ ]{2,}")


def extract_line_items(pages: list[PageLayout], currency: str | None) -> FieldValue | None:
    """Items of the first item table found (continued on later pages with the same header)."""
    items: list[dict[str, object]] = []
    first: tuple[int, tuple[float, float, float, float]] | None = None
    for page in pages:
        columns: tuple[Segment, Segment] | None = None
        for line in page.lines:
            header = _header(line)
            if header is not None:
                columns = header
                continue
            if columns is None:
                continue
            summary = _summary(line)
            if summary == "subtotal":
                continue  # group subtotals sit inside the table
            if summary is not None:
                columns = None
                continue
            row = _row_item(line, *columns, currency)
            if row is None:
                continue
            description, value = row
            items.append({"description": description, "amount": to_minor(value, currency)})  # type: ignore[arg-type]
            if first is None:
                first = (page.number, line.segments[0].bbox())
    if not items:
        return None
    page_no, bbox = first if first else (None, None)
    source = pages[0].source if pages else "text"
    return FieldValue(items, 0.6, source, page_no, bbox, ("line_items_from_table_layout",))
