"""Per-language phrase banks: several real ways to say every label, deadline and note.

Sentences carry placeholders: {date}, {n} (days), {amount}, {rate}, {i}/{pages}. Each bank is a
plain module (en, de, fr, nl, es, it) so a native speaker can review one language at a time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    """Everything a layout may print in one language."""

    lang: str
    title: tuple[str, ...]
    credit_title: tuple[str, ...]
    reference: tuple[str, ...]
    issue: tuple[str, ...]
    due: tuple[str, ...]
    customer_no: tuple[str, ...]
    order_no: tuple[str, ...]
    account_no: tuple[str, ...]
    net: tuple[str, ...]
    tax: tuple[str, ...]  # {rate} is the percentage
    total: tuple[str, ...]
    amount_due: tuple[str, ...]
    prepaid: tuple[str, ...]
    rounding: tuple[str, ...]
    open_amount: tuple[str, ...]
    desc_header: tuple[str, ...]
    qty_header: tuple[str, ...]
    unit_header: tuple[str, ...]
    amount_header: tuple[str, ...]
    deadline_date: tuple[str, ...]  # a sentence that states the due date
    terms_days: tuple[str, ...]  # due = issue date + {n} days
    on_receipt: tuple[str, ...]  # due at once: no date
    deadline_nodate: tuple[str, ...]  # talks about a deadline but gives no date (trap)
    hedge: tuple[str, ...]  # a date that is not this document's due date
    exempt: tuple[str, ...]
    paid_note: tuple[str, ...]
    levy: tuple[str, ...]  # charges that are not VAT
    levy_sentence: tuple[str, ...]  # {amount}: a levy quoted in prose
    capital: tuple[str, ...]  # {amount}: share capital in the footer
    deposit_held: tuple[str, ...]  # {amount}: a security deposit, not payable now
    hours: tuple[str, ...]
    greeting: tuple[str, ...]
    prose_intro: tuple[str, ...]
    prose_total: tuple[str, ...]  # {amount}
    closing: tuple[str, ...]
    items: tuple[str, ...]
    headings: tuple[str, ...]
    notes: tuple[str, ...]
    page: tuple[str, ...]  # {i} {pages}
    carried: tuple[str, ...]  # carried forward (bottom of a page)
    brought: tuple[str, ...]  # brought forward (top of the next page)
    payee: tuple[str, ...]
    payment_ref: tuple[str, ...]
    bank_details: tuple[str, ...]


def banks() -> dict[str, Bank]:
    from devset.phrases import de, en, es, fr, it, nl

    return {m.BANK.lang: m.BANK for m in (en, de, fr, nl, es, it)}
