"""A utility-style bill: key-value pairs with dotted leaders, charges listed as lines, a big
amount-due panel, and a 'next bill' line."""

from __future__ import annotations

import random

from devset import content
from devset.families import pair
from devset.model import Doc
from devset.sheet import Sheet


def _leader(
    sheet: Sheet, x0: float, x1: float, y: float, label: str, value: str, bold: bool
) -> None:
    sheet.text(x0, y, label, 10, bold)
    sheet.right(x1, y, value, 10, bold)
    start = x0 + sheet.width_of(label, 10, bold) + 4
    end = x1 - sheet.width_of(value, 10, bold) - 4
    dots = int(max(0.0, end - start) / sheet.width_of(". ", 10))
    if dots > 3:
        sheet.text(start, y, ". " * dots, 10)


def render(doc: Doc, rng: random.Random) -> bytes:
    sheet = Sheet("sans")
    sheet.text(50, 55, doc.seller.name, 15, bold=True)
    sheet.text(50, 72, " · ".join(doc.seller.lines), 9)
    sheet.text(50, 105, content.title(doc), 16, bold=True)
    y = 130.0
    for row in content.meta_rows(doc, rng):
        if doc.glued:
            sheet.text(50, y, pair(row.label, row.value, True), 10)
        else:
            _leader(sheet, 50, 290, y, row.label, row.value, False)
        y += 15
    for i, line in enumerate((doc.buyer.name, *doc.buyer.lines)):
        sheet.text(340, 130 + 13 * i, line, 10)
    # Amount-due panel at the top right, as utilities print it.
    panel = [r for r in content.totals_rows(doc, random.Random(rng.random())) if r.strong]
    if panel and rng.random() < 0.7:
        sheet.box(340, 185, 205, 46)
        sheet.text(348, 200, panel[-1].label, 10, True)
        sheet.right(538, 222, panel[-1].value, 14, True)
    y = max(y, 250) + 20
    header = doc.label("amount_header")
    if doc.currency_style == "header":
        header += f" ({doc.currency.upper()})"
    sheet.text(50, y, doc.label("desc_header"), 10, True)
    sheet.right(545, y, header, 10, True)
    sheet.hline(50, 545, y + 4)
    y += 6
    for desc, qty, _unit, amount in content.item_rows(doc):
        y += 16
        if not amount:
            sheet.text(50, y, desc, 9)
            continue
        label = desc if qty == "1" else f"{desc} ({qty} x)"
        _leader(sheet, 50, 545, y, label, amount, False)
    y += 24
    for row in content.totals_rows(doc, rng):
        _leader(sheet, 250, 545, y, row.label, row.value, row.strong)
        y += 16
    y += 16
    for note in content.notes(doc, rng):
        y = sheet.wrap(50, y, note, 495, 9) + 3
    y = max(y + 20, 770)
    for line in content.footer(doc, rng):
        sheet.text(50, y, line, 8)
        y += 10
    return sheet.pdf()
