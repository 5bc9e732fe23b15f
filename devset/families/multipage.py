"""A long invoice over several pages: the item table continues, each page ends with a carried
subtotal and the next begins with it brought forward; the totals are on the last page."""

from __future__ import annotations

import random

from devset import content
from devset.model import Doc, Item
from devset.sheet import Sheet

ROWS_PER_PAGE = 14


def _table_head(sheet: Sheet, doc: Doc, y: float) -> None:
    header = doc.label("amount_header")
    if doc.currency_style == "header":
        header += f" ({doc.currency.upper()})"
    sheet.text(50, y, doc.label("desc_header"), 9, True)
    sheet.right(360, y, doc.label("qty_header"), 9, True)
    sheet.right(450, y, doc.label("unit_header"), 9, True)
    sheet.right(545, y, header, 9, True)
    sheet.hline(50, 545, y + 4)


def render(doc: Doc, rng: random.Random) -> bytes:
    # Long documents have many positions: extend the items (same rates) to fill 2-3 pages.
    want = rng.randint(ROWS_PER_PAGE + 4, 2 * ROWS_PER_PAGE + 6)
    base = list(doc.items)
    while len(doc.items) < want:
        src = base[len(doc.items) % len(base)]
        doc.items.append(
            Item(rng.choice(doc.bank.items), rng.randint(1, 5), rng.randint(200, 30000), src.rate)
        )
    rows = content.item_rows(doc)
    chunks = [rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    pages = len(chunks)
    sheet = Sheet(rng.choice(("sans", "serif")))
    running = 0
    for p, chunk in enumerate(chunks, start=1):
        if p == 1:
            sheet.text(50, 55, doc.seller.name, 13, bold=True)
            sheet.text(50, 70, ", ".join(doc.seller.lines), 9)
            sheet.text(360, 55, content.title(doc), 16, bold=True)
            y = 80.0
            for row in content.meta_rows(doc, rng):
                sheet.text(360, y, row.label, 9)
                sheet.text(470, y, row.value, 9)
                y += 13
            for i, line in enumerate((doc.buyer.name, *doc.buyer.lines)):
                sheet.text(50, 110 + 12 * i, line, 10)
            y = max(y, 170) + 30
        else:
            sheet.text(50, 50, f"{doc.seller.name} - {doc.label('reference')} {doc.reference}", 8)
            y = 80.0
        _table_head(sheet, doc, y)
        if p > 1:
            y += 16
            label = doc.label("brought").format(prev=p - 1)
            sheet.text(50, y, label, 9)
            sheet.right(545, y, doc.amount(running, with_currency=False), 9)
        for desc, qty, unit, amount in chunk:
            y += 15
            sheet.text(50, y, desc, 9)
            if amount:
                sheet.right(360, y, qty, 9)
                sheet.right(450, y, unit, 9)
                sheet.right(545, y, amount, 9)
        running = _running_total(doc, rows, chunks, p)
        if p < pages:
            y += 18
            sheet.hline(50, 545, y - 10)
            sheet.text(300, y, doc.label("carried"), 9, True)
            sheet.right(545, y, doc.amount(running, with_currency=False), 9, True)
        else:
            y += 30
            for row in content.totals_rows(doc, rng):
                sheet.text(320, y, row.label, 10, row.strong)
                sheet.right(545, y, row.value, 10, row.strong)
                y += 15
            y += 14
            for note in content.notes(doc, rng):
                y = sheet.wrap(50, y, note, 495, 9) + 3
            y = max(y + 16, 760)
            for line in content.footer(doc, rng):
                sheet.text(50, y, line, 8)
                y += 10
        sheet.right(545, 815, doc.label("page").format(i=p, pages=pages), 8)
        if p < pages:
            sheet.new_page()
    return sheet.pdf()


Rows = list[tuple[str, str, str, str]]


def _running_total(doc: Doc, rows: Rows, chunks: list[Rows], page: int) -> int:
    """Sum of the item amounts printed on pages 1..page (headings and notes have none)."""
    printed = sum(len(c) for c in chunks[:page])
    total = 0
    k = 0
    for _desc, _qty, _unit, amount in rows[:printed]:
        if amount:
            total += doc.items[k].amount
            k += 1
    return total
