"""A boxed form: a grid of cells, each with a small label at its top and the value below it;
the totals sit in boxes too."""

from __future__ import annotations

import random

from devset import content
from devset.model import Doc
from devset.sheet import Sheet


def _cell(
    sheet: Sheet, x: float, y: float, w: float, label: str, value: str, big: bool = False
) -> None:
    h = 34 if not big else 40
    sheet.box(x, y, w, h)
    sheet.text(x + 4, y + 10, label.rstrip(": "), 7)
    sheet.text(x + 6, y + (26 if not big else 32), value, 10 if not big else 13, bold=big)


def render(doc: Doc, rng: random.Random) -> bytes:
    sheet = Sheet("sans")
    sheet.text(50, 50, doc.seller.name, 13, bold=True)
    sheet.text(50, 64, ", ".join(doc.seller.lines), 8)
    sheet.right(545, 55, content.title(doc), 16, bold=True)
    meta = content.meta_rows(doc, rng)
    cols = 3
    w = 495 / cols
    y = 90.0
    for i, row in enumerate(meta):
        if i and i % cols == 0:
            y += 34
        _cell(sheet, 50 + (i % cols) * w, y, w, row.label, row.value)
    y += 50
    sheet.box(50, y, 240, 60)
    for i, line in enumerate((doc.buyer.name, *doc.buyer.lines)):
        sheet.text(58, y + 22 + 12 * i, line, 9)
    y += 80
    widths = (270, 55, 80, 90)
    xs = [50.0]
    for wd in widths[:-1]:
        xs.append(xs[-1] + wd)
    header = doc.label("amount_header")
    if doc.currency_style == "header":
        header += f" ({doc.currency.upper()})"
    heads = (doc.label("desc_header"), doc.label("qty_header"), doc.label("unit_header"), header)
    for x, wd, head in zip(xs, widths, heads, strict=True):
        sheet.box(x, y, wd, 18)
        sheet.text(x + 4, y + 12, head, 8, bold=True)
    for desc, qty, unit, amount in content.item_rows(doc):
        y += 18
        for x, wd in zip(xs, widths, strict=True):
            sheet.box(x, y, wd, 18)
        sheet.text(xs[0] + 4, y + 12, desc, 9)
        if amount:
            sheet.right(xs[1] + widths[1] - 4, y + 12, qty, 9)
            sheet.right(xs[2] + widths[2] - 4, y + 12, unit, 9)
            sheet.right(xs[3] + widths[3] - 4, y + 12, amount, 9)
    y += 36
    rows = content.totals_rows(doc, rng)
    per_line = 3
    bw = 495 / per_line
    for i, row in enumerate(rows):
        if i and i % per_line == 0:
            y += 44
        _cell(sheet, 50 + (i % per_line) * bw, y, bw, row.label, row.value, big=row.strong)
    y += 60
    for note in content.notes(doc, rng):
        y = sheet.wrap(50, y, note, 495, 9) + 3
    y = max(y + 16, 770)
    for line in content.footer(doc, rng):
        sheet.text(50, y, line, 8)
        y += 10
    return sheet.pdf()
