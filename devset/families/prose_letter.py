"""A letter: letterhead, place and date, subject with the invoice number, prose paragraphs with
the charges in a short list, the total and the deadline written in sentences."""

from __future__ import annotations

import random

from devset import content
from devset.model import Doc
from devset.sheet import Sheet


def render(doc: Doc, rng: random.Random) -> bytes:
    sheet = Sheet(rng.choice(("serif", "sans")))
    sheet.text(50, 55, doc.seller.name, 14, bold=True)
    sheet.text(50, 70, ", ".join(doc.seller.lines), 9)
    for i, line in enumerate((doc.buyer.name, *doc.buyer.lines)):
        sheet.text(50, 130 + 13 * i, line, 10)
    city = doc.seller.lines[-1].split()[-1]
    sheet.right(545, 130, f"{city}, {doc.date(doc.issue)}", 10)
    y = 200.0
    subject = f"{content.title(doc)} {doc.label('reference')} {doc.reference}"
    sheet.text(50, y, subject, 11, bold=True)
    y += 16
    extras = [r for r in content.meta_rows(doc, rng) if r.value not in (doc.reference,)]
    for row in extras:
        if row.value == doc.date(doc.issue):
            continue
        sheet.text(50, y, f"{row.label} {row.value}", 9)
        y += 12
    y += 14
    sheet.text(50, y, doc.label("greeting"), 10)
    y += 20
    y = sheet.wrap(50, y, doc.label("prose_intro"), 495, 10) + 6
    for desc, qty, _unit, amount in content.item_rows(doc):
        if not amount:
            y = sheet.wrap(70, y, desc, 400, 9)
            continue
        text = f"- {desc}" + (f" ({qty} x)" if qty != "1" else "")
        sheet.text(70, y, text, 10)
        sheet.right(470, y, amount, 10)
        y += 14
    y += 8
    rows = content.totals_rows(doc, rng)
    for row in rows[:-1] if len(rows) > 1 else []:
        sheet.text(70, y, row.label, 10)
        sheet.right(470, y, row.value, 10)
        y += 14
    y += 8
    final = rows[-1]
    if doc.paid:
        sentence = f"{final.label}: {final.value}"
    else:
        sentence = doc.label("prose_total").format(amount=doc.amount(doc.amount_due))
    notes = content.notes(doc, rng)
    paragraph = sentence
    if notes and doc.due_mode in ("sentence", "terms", "receipt", "nodate"):
        paragraph += " " + notes.pop(0)  # the deadline is written in the same paragraph
    narrow = doc.due_mode == "sentence" and rng.random() < 0.3  # the date may wrap
    y = sheet.wrap(50, y, paragraph, 300 if narrow else 495, 10) + 6
    for note in notes:
        y = sheet.wrap(50, y, note, 495, 10) + 4
    y += 16
    sheet.text(50, y, doc.label("closing"), 10)
    sheet.text(50, y + 30, doc.seller.name, 10)
    y = max(y + 60, 770)
    for line in content.footer(doc, rng):
        sheet.text(50, y, line, 8)
        y += 10
    return sheet.pdf()
