"""Languages, currency, payment terms, references and document kinds from page text."""

import pytest

from extract.candidates import label_index
from extract.currency import detect_currency
from extract.layout import PageLayout, Word, build_lines
from extract.textfields import (
    classify,
    detect_languages,
    resolve_reference,
)


def _page(lines: list[str]) -> PageLayout:
    words = []
    for i, line in enumerate(lines):
        x = 50.0
        for part in line.split(" "):
            words.append(Word(part, x, 100 + 20 * i, x + 6 * len(part), 110 + 20 * i, 1))
            x += 6 * len(part) + 4
    return PageLayout(1, 595, 842, "text", build_lines(words, 1))


def test_language_detection() -> None:
    assert detect_languages("Bitte zahlen Sie die Rechnung und der Betrag ist fällig")[0] == "deu"
    assert detect_languages("Veuillez payer la facture avec le montant de la date")[0] == "fra"
    assert detect_languages("Gelieve de factuur te betalen voor het bedrag")[0] == "nld"


def test_declared_currency_beats_symbols() -> None:
    page = _page(["Währung: EUR", "Total 12,00 $"])
    found = detect_currency([page], None)
    assert found is not None and found.value == "eur" and found.confidence > 0.9


def test_reference_from_title_heading() -> None:
    page = _page(["Rechnung des Versicherers (575) Nr. 00.123.456.7-2018-1 vom 18.04.2018"])
    found = resolve_reference([], label_index([page]))
    assert found is not None and found.value == "00.123.456.7-2018-1"


def test_document_kinds() -> None:
    assert classify([_page(["Creditnota", "Totaal 10,00"])])[0] == "credit_note"
    assert classify([_page(["RECEIPT", "Cash 10.00", "Change 1.00"])])[0] == "receipt"
    assert classify([_page(["Spring newsletter", "unsubscribe here"])])[0] == "other"
    assert classify([_page(["Rechnungsnummer: 1", "Summe 10,00"])])[0] == "invoice"


@pytest.mark.parametrize("title", ["Creditfactuur", "Credit-Rechnung", "CREDIT INVOICE"])
def test_credit_glued_to_an_invoice_word_is_a_credit_note(title: str) -> None:
    page = _page([title, "Factuurnummer: RE-1", "Totaal -10,00"])
    assert classify([page])[0] == "credit_note"
