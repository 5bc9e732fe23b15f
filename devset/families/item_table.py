"""The classic invoice: letterhead, meta block, item table with columns, totals block, footer."""

from __future__ import annotations

import random

from devset import content
from devset.families import pair
from devset.model import Doc
from devset.sheet import Sheet


def render(doc: Doc, rng: random.Random) -> bytes:
    sheet = Sheet(rng.choice(("sans", "sans", "serif")), letter=doc.currency == "usd")
    right_meta = rng.random() < 0.6
    sheet.text(50, 60, doc.seller.name, 13, bold=True)
    for i, line in enumerate(doc.seller.lines):
        sheet.text(50, 76 + 12 * i, line, 9)
    sheet.text(360 if right_meta else 50, 60 if right_meta else 130, content.title(doc), 18, True)
    y0 = 90.0 if right_meta else 155.0
    x_label, x_value = (360, 470) if right_meta else (50, 160)
    for i, row in enumerate(content.meta_rows(doc, rng)):
        y = y0 + 15 * i
        if doc.glued:
            sheet.text(x_label, y, pair(row.label, row.value, True), 10)
        else:
            sheet.text(x_label, y, row.label, 10)
            sheet.text(x_value, y, row.value, 10)
    y = max(y + 30, 180) if not right_meta else 170
    buyer_x = 330 if not right_meta else 50
    for i, line in enumerate((doc.buyer.name, *doc.buyer.lines)):
        sheet.text(buyer_x, (y if right_meta else 90) + 13 * i, line, 10)
    y = max(y + 70, 260)
    sheet.text(50, y, doc.label("desc_header"), 10, True)
    sheet.right(350, y, doc.label("qty_header"), 10, True)
    sheet.right(450, y, doc.label("unit_header"), 10, True)
    header = doc.label("amount_header")
    if doc.currency_style == "header":
        header += f" ({doc.currency.upper()})"
    sheet.right(545, y, header, 10, True)
    sheet.hline(50, 545, y + 4)
    for desc, qty, unit, amount in content.item_rows(doc):
        y += 17
        sheet.text(50, y, desc, 10)
        if amount:
            sheet.right(350, y, qty, 10)
            sheet.right(450, y, unit, 10)
            sheet.right(545, y, amount, 10)
    y += 10
    sheet.hline(50, 545, y)
    y += 20
    for row in content.totals_rows(doc, rng):
        sheet.text(330, y, row.label, 10, row.strong)
        sheet.right(545, y, row.value, 10, row.strong)
        y += 16
    y += 18
    for note in content.notes(doc, rng):
        y = sheet.wrap(50, y, note, 495, 9) + 2
    y = max(y + 20, 760)
    for line in content.footer(doc, rng):
        sheet.text(50, y, line, 8)
        y += 10
    return sheet.pdf()
