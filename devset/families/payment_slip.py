"""A short bill with a detachable payment slip: payee, IBAN, amount and reference in boxes and,
for EUR and CHF, the EPC (GiroCode) or Swiss QR-bill payment code the tenant's bank app reads."""

from __future__ import annotations

import io
import random

from devset import content
from devset.model import Doc
from devset.sheet import Sheet


def payment_code(doc: Doc) -> str | None:
    """The QR payload: EPC069-12 ("BCD") for EUR, a minimal Swiss QR-bill ("SPC") for CHF."""
    iban = doc.seller.iban.replace(" ", "")
    amount = f"{doc.amount_due / 100:.2f}"
    if doc.amount_due <= 0 or doc.negative:
        return None
    if doc.currency == "eur":
        lines = ["BCD", "002", "1", "SCT", "", doc.seller.name[:70], iban, f"EUR{amount}", "", ""]
        lines.append(doc.reference[:140])
        return "\n".join(lines)
    if doc.currency == "chf":
        street, city = doc.seller.lines
        postcode, _, town = city.partition(" ")
        lines = ["SPC", "0200", "1", iban, "S", doc.seller.name[:70], street, "", postcode, town]
        lines += ["CH", "", "", "", "", "", "", "", amount, "CHF"]
        lines += ["", "", "", "", "", "", "", "NON", "", doc.reference, "EPD"]
        return "\n".join(lines)
    return None


def _qr_image(payload: str) -> object:
    import segno
    from PIL import Image

    buf = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buf, kind="png", scale=6, border=2)
    buf.seek(0)
    return Image.open(buf).convert("L")


def render(doc: Doc, rng: random.Random) -> bytes:
    sheet = Sheet("sans")
    sheet.text(50, 55, doc.seller.name, 13, bold=True)
    sheet.text(50, 70, ", ".join(doc.seller.lines), 9)
    sheet.text(50, 110, content.title(doc), 16, bold=True)
    y = 130.0
    for row in content.meta_rows(doc, rng):
        sheet.text(50, y, row.label, 10)
        sheet.text(190, y, row.value, 10)
        y += 14
    for i, line in enumerate((doc.buyer.name, *doc.buyer.lines)):
        sheet.text(340, 130 + 13 * i, line, 10)
    y += 20
    for desc, _qty, _unit, amount in content.item_rows(doc):
        sheet.text(50, y, desc, 10)
        if amount:
            sheet.right(545, y, amount, 10)
        y += 14
    y += 10
    for row in content.totals_rows(doc, rng):
        sheet.text(300, y, row.label, 10, row.strong)
        sheet.right(545, y, row.value, 10, row.strong)
        y += 15
    y += 10
    for note in content.notes(doc, rng):
        y = sheet.wrap(50, y, note, 495, 9) + 3
    # The slip: a dashed cut line, then boxes with the payment data and the code.
    top = 560.0
    sheet.text(50, top - 6, "- " * 60, 6)
    payee, ref = doc.label("payee"), doc.label("payment_ref")
    fields = (
        (payee, doc.seller.name),
        ("IBAN", doc.seller.iban),
        (doc.label("amount_due").rstrip(":"), doc.amount(doc.amount_due)),
        (ref, doc.reference),
    )
    for i, (label, value) in enumerate(fields):
        sheet.box(50, top + 10 + 44 * i, 300, 38)
        sheet.text(55, top + 21 + 44 * i, label, 7)
        sheet.text(58, top + 38 + 44 * i, value, 11)
    payload = payment_code(doc)
    if payload is not None:
        sheet.image(_qr_image(payload), 400, top + 15, 130, 130)
    y = 790.0
    for line in content.footer(doc, rng)[1:]:
        sheet.text(50, y, line, 7)
        y += 9
    return sheet.pdf()
