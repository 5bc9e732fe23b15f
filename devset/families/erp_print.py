"""A monospace ERP print-out: fixed-width columns, dashed rules, upper-case labels, plain
numbers without thousands separators, labels often glued to their values."""

from __future__ import annotations

import random

from devset import content
from devset.formats import fmt_plain_comma, fmt_plain_dot
from devset.model import Doc
from devset.sheet import Sheet

WIDTH = 78


def _row(left: str, right: str, width: int = WIDTH) -> str:
    return left + " " * max(1, width - len(left) - len(right)) + right


def render(doc: Doc, rng: random.Random) -> bytes:
    if rng.random() < 0.6:
        doc.money = fmt_plain_dot if doc.lang == "en" else fmt_plain_comma
    doc.glued = doc.glued or rng.random() < 0.35
    upper = rng.random() < 0.5
    sheet = Sheet("mono")
    size = 8.5
    lines: list[str] = []
    lines.append(doc.seller.name.upper() if upper else doc.seller.name)
    lines.extend(doc.seller.lines)
    lines.append("")
    lines.append(_row("", content.title(doc).upper()))
    lines.append("=" * WIDTH)
    meta = content.meta_rows(doc, rng)
    for row in meta:
        label = row.label.upper() if upper else row.label
        lines.append(f"{label}{row.value}" if doc.glued else f"{label:<24}{row.value}")
    lines.append("")
    for line in (doc.buyer.name, *doc.buyer.lines):
        lines.append(" " * 40 + line)
    lines.append("-" * WIDTH)
    header = doc.label("amount_header")
    if doc.currency_style == "header":
        header += f" {doc.currency.upper()}"
    lines.append(
        f"{doc.label('desc_header')[:34]:<36}{doc.label('qty_header')[:6]:>6}"
        f"{doc.label('unit_header')[:14]:>16}{header[:18]:>20}"
    )
    lines.append("-" * WIDTH)
    for desc, qty, unit, amount in content.item_rows(doc):
        lines.append(f"{desc[:34]:<36}{qty:>6}{unit:>16}{amount:>20}")
    lines.append("-" * WIDTH)
    for row in content.totals_rows(doc, rng):
        label = row.label.upper() if upper else row.label
        lines.append(_row(" " * 36 + label, row.value))
    lines.append("=" * WIDTH)
    for note in content.notes(doc, rng):
        while note:
            lines.append(note[:WIDTH])
            note = note[WIDTH:]
    lines.append("")
    lines.extend(content.footer(doc, rng))
    y = 50.0
    for line in lines:
        sheet.text(36, y, line, size)
        y += size * 1.45
    return sheet.pdf()
