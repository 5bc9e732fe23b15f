"""Deadlines written in sentences, day-count terms, hedged dates and deadline wording without a
date (extract/deadlines.py)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.candidates import label_index
from extract.deadlines import (
    deadline_without_date,
    due_from_days,
    due_in_sentence,
    due_on_receipt,
)
from extract.layout import PageLayout, Word, build_lines

D = datetime.date


def _page(lines: list[str]) -> PageLayout:
    words = []
    for i, line in enumerate(lines):
        x = 50.0
        for part in line.split(" "):
            words.append(Word(part, x, 100 + 20 * i, x + 6 * len(part), 110 + 20 * i, 1))
            x += 6 * len(part) + 4
    return PageLayout(1, 595, 842, "text", build_lines(words, 1))


def _due(lines: list[str], order: str = "DMY") -> datetime.date | None:
    found = due_in_sentence([_page(lines)], order, ("eng", "deu", "fra", "nld", "spa", "ita"))
    return found.value if found else None  # type: ignore[return-value]


@pytest.mark.parametrize(
    "sentence",
    [
        "Zahlbar zum 15.03.2025 rein netto.",
        "Bitte überweisen Sie den Betrag bis spätestens 15.03.2025.",
        "El importe vence el 15/03/2025.",
        "Si prega di effettuare il pagamento entro il 15/03/2025.",
        "Payment is due no later than 15 March 2025.",
        "Merci de régler cette facture au plus tard le 15/03/2025.",
        "Gelieve het bedrag uiterlijk 15-03-2025 over te maken.",
    ],
)
def test_a_date_inside_a_paying_sentence_is_the_due_date(sentence: str) -> None:
    assert _due([sentence]) == D(2025, 3, 15)


def test_a_date_wrapped_onto_the_next_line_is_still_read() -> None:
    assert _due(["The total of 100.00 EUR is payable by", "15 March 2025. Thank you."]) == D(
        2025, 3, 15
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Your next bill is due around 15.03.2025.",
        "Payment received on 15.03.2025, thank you.",
        "Bei Zahlung bis 15.03.2025 gewähren wir 2% Skonto.",
    ],
)
def test_forecasts_receipts_and_discounts_are_not_due_dates(sentence: str) -> None:
    assert _due([sentence]) is None


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("Payment terms: Net 30", 30),
        ("Pagamento a 30 giorni data fattura.", 30),
        ("Paiement à 45 jours date de facture.", 45),
        ("Zahlbar innerhalb von 14 Tagen ohne Abzug.", 14),
        ("Betaling binnen 21 dagen na factuurdatum.", 21),
        ("Plazo de pago: 60 días", 60),
    ],
)
def test_day_count_terms_count_from_the_issue_date(sentence: str, days: int) -> None:
    issue = D(2025, 1, 10)
    found = due_from_days([_page([sentence])], issue)
    assert found is not None and found.value == issue + datetime.timedelta(days=days)
    assert found.source == "computed"


@pytest.mark.parametrize(
    "sentence",
    [
        "Delivery within 14 days of your order.",
        "2% Skonto bei Zahlung innerhalb 10 Tagen.",
        "Pagamento a 30 giorni fine mese.",
        "Net amount 30.00",
    ],
)
def test_non_payment_day_counts_and_month_end_terms_give_no_date(sentence: str) -> None:
    assert due_from_days([_page([sentence])], D(2025, 1, 10)) is None


@given(days=st.integers(1, 180), offset=st.integers(0, 3000))
def test_payable_within_n_days_is_issue_plus_n(days: int, offset: int) -> None:
    issue = D(2020, 1, 1) + datetime.timedelta(days=offset)
    found = due_from_days([_page([f"Payable within {days} days of the invoice date."])], issue)
    assert found is not None and found.value == issue + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    "sentence",
    [
        "Payment is due by the date agreed in your tenancy agreement.",
        "Bitte zahlen Sie bis zu dem in Ihrem Mietvertrag vereinbarten Termin.",
        "Si prega di pagare entro la scadenza indicata nell'area clienti.",
    ],
)
def test_deadline_wording_without_a_date_is_noticed(sentence: str) -> None:
    page = _page(["Invoice 42", sentence])
    assert deadline_without_date([page], label_index([page]))
    assert not due_on_receipt([page])


def test_due_on_receipt_and_plain_bank_details_are_not_missing_deadlines() -> None:
    receipt = _page(["Payment due upon receipt."])
    assert due_on_receipt([receipt])
    bank = _page(["Règlement par virement sur le compte IBAN FR76 3000 6000 0112 3456 7890 189"])
    assert not deadline_without_date([bank], label_index([bank]))
    hedge = _page(["Your next bill is due around 15.03.2025."])
    assert not deadline_without_date([hedge], label_index([hedge]))
