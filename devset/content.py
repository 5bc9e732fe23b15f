"""What a document prints, independent of where: meta rows, item rows, totals rows, notes.

Families call these and only decide the placement, so every layout tells the same truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from devset.model import Doc


@dataclass(frozen=True)
class Row:
    """A label and its printed value; `strong` rows are drawn bold."""

    label: str
    value: str
    strong: bool = False


def title(doc: Doc) -> str:
    return doc.label("credit_title") if doc.kind == "credit_note" else doc.label("title")


def meta_rows(doc: Doc, rng: random.Random) -> list[Row]:
    """Reference, dates and the other numbers printed near them (in a shuffled order)."""
    rows = [
        Row(doc.label("reference"), doc.reference),
        Row(doc.label("issue"), doc.date(doc.issue)),
    ]
    if doc.due_mode == "label" and doc.due is not None:
        rows.append(Row(doc.label("due"), doc.due_text()))
    others = [
        Row(doc.label(k), v)
        for k, v in (
            ("customer_no", doc.customer_no),
            ("order_no", doc.order_no),
            ("account_no", doc.account_no),
        )
        if v
    ]
    for row in others:
        rows.insert(rng.randint(0, len(rows)), row)
    if doc.glued:
        rows = [
            Row(r.label.rstrip() + ("" if r.label.endswith(":") else ":"), r.value) for r in rows
        ]
    return rows


def item_rows(doc: Doc) -> list[tuple[str, str, str, str]]:
    """(description, quantity, unit price, amount); headings and notes have empty numbers."""
    out: list[tuple[str, str, str, str]] = []
    headings = dict(doc.headings)
    notes = dict(doc.notes)
    for i, item in enumerate(doc.items):
        if i in headings:
            out.append((headings[i], "", "", ""))
        out.append(
            (
                item.description,
                str(item.quantity),
                doc.amount(item.unit, with_currency=False),
                doc.amount(item.amount, with_currency=False),
            )
        )
    if len(doc.items) in notes:
        out.append((notes[len(doc.items)], "", "", ""))
    return out


def totals_rows(doc: Doc, rng: random.Random) -> list[Row]:
    """Net, VAT per rate, rounding, total, then prepayment and the amount due."""
    rows: list[Row] = []
    lines = doc.tax_lines()
    simple = doc.vat == "exempt" and rng.random() < 0.4
    if not simple:
        rows.append(Row(doc.label("net"), doc.amount(doc.net)))
    for rate, _base, tax in lines:
        rows.append(Row(doc.label("tax").format(rate=rate), doc.amount(tax)))
    if doc.vat == "exempt" and not simple and rng.random() < 0.5:
        rows.append(Row(doc.label("tax").format(rate=0), doc.amount(0)))
    if doc.rounding:
        rows.append(Row(doc.label("rounding"), doc.amount(doc.rounding)))
    rows.append(Row(doc.label("total"), doc.amount(doc.gross), strong=not doc.prepaid))
    if doc.prepaid:
        rows.append(Row(doc.label("prepaid"), doc.amount(-doc.prepaid)))
        label = doc.label("amount_due") if rng.random() < 0.6 else doc.label("open_amount")
        rows.append(Row(label, doc.amount(doc.amount_due), strong=True))
    if doc.paid and rng.random() < 0.6:
        rows.append(Row(doc.label("prepaid"), doc.amount(-doc.gross)))
        rows.append(Row(doc.label("amount_due"), doc.amount(0), strong=True))
    return rows


def deadline_sentence(doc: Doc, rng: random.Random) -> str | None:
    bank = doc.bank
    if doc.due_mode == "sentence" and doc.due is not None:
        return rng.choice(bank.deadline_date).format(date=doc.due_text())
    if doc.due_mode == "terms":
        return rng.choice(bank.terms_days).format(n=doc.terms_days)
    if doc.due_mode == "receipt":
        return rng.choice(bank.on_receipt)
    if doc.due_mode == "nodate":
        return rng.choice(bank.deadline_nodate)
    return None


def notes(doc: Doc, rng: random.Random) -> list[str]:
    """Sentences under the totals: deadline, exemption, paid stamp, hedged dates, levies."""
    bank = doc.bank
    out: list[str] = []
    sentence = deadline_sentence(doc, rng)
    if sentence:
        out.append(sentence)
    if doc.exempt_note:
        out.append(doc.exempt_note)
    if doc.paid:
        out.append(rng.choice(bank.paid_note))
    if doc.hedge_date is not None:
        out.append(rng.choice(bank.hedge).format(date=doc.date(doc.hedge_date)))
    if doc.levy_sentence_amount:
        out.append(
            rng.choice(bank.levy_sentence).format(amount=doc.amount(doc.levy_sentence_amount))
        )
    if doc.deposit_held:
        out.append(rng.choice(bank.deposit_held).format(amount=doc.amount(doc.deposit_held)))
    if doc.currency_style == "header":
        out.append(_amounts_in(doc))
    return out


def _amounts_in(doc: Doc) -> str:
    word = {
        "en": "All amounts in",
        "de": "Alle Beträge in",
        "fr": "Montants en",
        "nl": "Bedragen in",
        "es": "Importes en",
        "it": "Importi in",
    }[doc.lang]
    return f"{word} {doc.currency.upper()}"


def footer(doc: Doc, rng: random.Random) -> list[str]:
    """Company footer: bank details, VAT id, share capital, office hours."""
    bank = doc.bank
    out = [
        f"{doc.label('bank_details')}: IBAN {doc.seller.iban}",
        f"{doc.seller.name} · {doc.seller.vat_id}",
    ]
    if doc.capital:
        out.append(rng.choice(bank.capital).format(amount=doc.amount(doc.capital)))
    if doc.hours:
        out.append(rng.choice(bank.hours))
    return out
