"""The general mechanisms behind issue 8's categories: composed labels, identifiers in pieces,
glued labels, compact dates, opening hours, rounding and multi-rate VAT, prepayments, exempt and
paid documents, non-payable amounts, item-table rows, OCR currency, two invoices in one file."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from extract_testkit import LANGS, page_of_rows
from hypothesis import given
from hypothesis import strategies as st

from extract.amounts import resolve_amounts
from extract.candidates import collect, label_index, loose_money
from extract.currency import detect_currency
from extract.dates import find_compact_dates
from extract.facts import count_documents, total_row_adds_up
from extract.layout import Word, split_glued
from extract.lexicon import fold
from extract.line_items import extract_line_items
from extract.nlp import find_labels
from extract.numbers import find_amounts
from extract.result import FieldValue
from extract.settlement import already_paid, settle, vat_exempt
from extract.textfields import resolve_iban


def _labels(text: str) -> list[str]:
    return [h.label for h in find_labels(fold(text))]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Kd.-Nr.:", "other_id"),
        ("N° de commande :", "other_id"),
        ("Nº cliente:", "other_id"),
        ("Contract No:", "other_id"),
        ("Vertragsnummer:", "other_id"),
        ("Inkoopordernr.:", "other_id"),
        ("Numero fattura:", "reference"),
        ("N. documento:", "reference"),
        ("Factura n.º", "reference"),
        ("Rif.:", "reference"),
        ("Kenmerk:", "reference"),
        ("Huurfactuur Nummer:", "reference"),  # a compound whose head is the document
        ("Mietrechnung Nr.", "reference"),
    ],
)
def test_identifier_labels_are_told_apart_by_what_they_number(label: str, kind: str) -> None:
    assert _labels(label) == [kind]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Amount before tax", "subtotal"),
        ("Summe ohne MwSt.", "subtotal"),
        ("Energy tax", "levy"),
        ("Stromsteuer", "levy"),
        ("Taxe sur l'électricité", "levy"),
        ("Versicherungsteuer", "tax"),  # the tax line of insurance invoices
        ("Rundungsdifferenz", "rounding"),
        ("Pendiente de pago", "amount_due"),
    ],
)
def test_net_levy_rounding_and_open_amount_labels(label: str, kind: str) -> None:
    assert _labels(label) == [kind]


@pytest.mark.parametrize(
    ("row", "value"),
    [
        ("Invoice No: FA 872 542", "FA 872 542"),
        ("Rechnungsnummer: HV 61/24", "HV 61/24"),
        ("Invoice No: 12345 vom 05.03.2025", "12345"),
        ("Rechnungsnummer: 20250315", "20250315"),
    ],
)
def test_references_printed_in_pieces_are_read_whole(row: str, value: str) -> None:
    cands = collect(label_index([page_of_rows([[(50, row)]])]), "DMY", LANGS)
    assert [c.value for c in cands if c.label == "reference"] == [value]


def test_an_order_number_beside_the_invoice_number_is_not_taken() -> None:
    page = page_of_rows([[(50, "N° de commande : 4711")], [(50, "Facture N° : F-2025-18")]])
    refs = [c.value for c in collect(label_index([page]), "DMY", LANGS) if c.label == "reference"]
    assert refs == ["F-2025-18"]


def test_a_label_glued_to_its_value_is_split() -> None:
    word = Word("Datum:05.03.2025", 0, 0, 160, 10, 1)
    assert [w.text for w in split_glued(word)] == ["Datum:", "05.03.2025"]
    assert [w.text for w in split_glued(Word("https://x.eu", 0, 0, 60, 10, 1))] == ["https://x.eu"]
    page = page_of_rows([[(50, "DUE DATE:20240923")]])
    dates = [c.value for c in collect(label_index([page]), "DMY", LANGS) if c.label == "due_date"]
    assert dates == [datetime.date(2024, 9, 23)]


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2099, 12, 31)))
def test_compact_dates_round_trip(day: datetime.date) -> None:
    (found,) = find_compact_dates(day.strftime("%Y%m%d"))
    assert datetime.date.fromisoformat(found.text) == day


def test_a_date_after_dot_leaders_is_found() -> None:
    page = page_of_rows([[(50, "Pay by: . . . . . . . . . . . . . . . . November 13, 2024")]])
    dates = [c.value for c in collect(label_index([page]), "MDY", LANGS) if c.label == "due_date"]
    assert dates == [datetime.date(2024, 11, 13)]


@pytest.mark.parametrize(
    "text", ["Bürozeiten Mo-Fr 9.00-17.00 Uhr", "open 8:30 - 16.00", "9.00 a 14.00"]
)
def test_opening_hours_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def _amounts(rows: list[list[tuple[float, str]]]) -> dict[str, Decimal | None]:
    labelled = label_index([page_of_rows(rows)])
    result = resolve_amounts(collect(labelled, "DMY", LANGS), loose_money(labelled))
    return {
        name: pick.value if pick else None
        for name, pick in (
            ("total", result.total),
            ("gross", result.gross),
            ("tax", result.tax),
            ("subtotal", result.subtotal),
            ("prepaid", result.prepaid),
        )
    }


def test_multi_rate_vat_with_a_rounding_line_is_the_sum_of_the_rates() -> None:
    got = _amounts(
        [
            [(300, "Amount before tax"), (480, "1,237.35")],
            [(300, "Tax (5%)"), (480, "2.50")],
            [(300, "Tax (20%)"), (480, "237.46")],
            [(300, "Rounding adjustment"), (480, "-0.03")],
            [(300, "Total incl. VAT"), (480, "1,477.28")],
        ]
    )
    assert got["gross"] == Decimal("1477.28") and got["tax"] == Decimal("239.96")


def test_a_printed_tax_line_beats_total_minus_net() -> None:
    got = _amounts(
        [
            [(300, "Nettobetrag"), (480, "100,00")],
            [(300, "MwSt. 19%"), (480, "19,00")],
            [(300, "Gesamtbetrag"), (480, "125,00")],
        ]
    )
    assert got["tax"] == Decimal("19.00")


@given(st.integers(10_000, 500_000), st.integers(1, 9))
def test_a_prepayment_is_subtracted_whatever_its_sign(gross_cents: int, tenth: int) -> None:
    gross = Decimal(gross_cents) / 100
    prepaid = (gross * tenth / 10).quantize(Decimal("0.01"))
    got = _amounts(
        [
            [(300, "Total"), (480, f"{gross:.2f}")],
            [(300, "Less deposit paid"), (480, f"-{prepaid:.2f}")],
        ]
    )
    assert got["total"] == gross - prepaid and got["prepaid"] == prepaid


def test_a_tax_quoted_in_a_sentence_is_not_a_tax_line() -> None:
    page = page_of_rows([[(50, "Im Beitrag ist die Versicherungsteuer von 12,34 € enthalten.")]])
    assert [c for c in collect(label_index([page]), "DMY", LANGS) if c.label == "tax"] == []


def test_exempt_and_paid_statements() -> None:
    assert vat_exempt([page_of_rows([[(50, "TVA non applicable, art. 293 B du CGI.")]])])
    assert vat_exempt([page_of_rows([[(50, "Steuerschuldnerschaft des Leistungsempfängers")]])])
    assert not vat_exempt([page_of_rows([[(50, "MwSt. 19% 19,00")]])])
    assert already_paid(
        [page_of_rows([[(50, "Rechnung bereits beglichen – bitte nicht überweisen.")]])]
    )
    assert already_paid([page_of_rows([[(50, "Factura pagada. Gracias.")]])])
    assert not already_paid([page_of_rows([[(50, "bereits bezahlt"), (400, "50,00")]])])
    assert not already_paid(
        [page_of_rows([[(50, "Montant déjà payé :")]])]
    )  # a label, value elsewhere
    assert not already_paid(
        [page_of_rows([[(50, "Wenn bereits bezahlt, nur zu den Akten legen.")]])]
    )


@pytest.mark.parametrize(
    "statement",
    [
        "Betaald via automatische incasso - u hoeft niets te doen.",
        "Paid by card - thank you.",
        "Thank you. Settled with your deposit.",
        "Il n'y a rien à payer.",
    ],
)
def test_paid_by_a_means_or_nothing_to_do_is_a_paid_statement(statement: str) -> None:
    assert already_paid([page_of_rows([[(50, statement)]])])


@pytest.mark.parametrize(
    "sentence",
    [
        "The amount is to be paid by 10 November.",
        "Please pay by bank transfer.",
        "Paid by: ____________",
        "If paid by direct debit, there is nothing to do.",
    ],
)
def test_a_deadline_an_instruction_or_a_form_field_is_not_a_paid_statement(sentence: str) -> None:
    assert not already_paid([page_of_rows([[(50, sentence)]])])


def test_heading_notes_and_zero_rows_are_not_items_and_leaders_are_cut() -> None:
    page = page_of_rows(
        [
            [(50, "Description"), (480, "Amount")],
            [(50, "--- Services ---")],
            [(50, "Rent" + " ." * 40 + " 1,200.00")],
            [(50, "Packaging is included free of charge."), (480, "0.00")],
            [(50, "Parking"), (480, "50.00")],
        ]
    )
    items = extract_line_items([page], "eur")
    assert items is not None
    assert [(i["description"], i["amount"]) for i in items.value] == [  # type: ignore[union-attr]
        ("Rent", 120000),
        ("Parking", 5000),
    ]


def test_an_ocr_currency_symbol_alone_is_weak_unless_the_iban_agrees() -> None:
    page = page_of_rows([[(50, "Total"), (400, "$ 1,939.00")]], source="ocr")
    weak = detect_currency([page], None)
    assert weak is not None and "currency_symbol_read_by_ocr_only" in weak.reasons
    euro = page_of_rows([[(50, "Total"), (400, "1.939,00 €")]], source="ocr")
    found = detect_currency([euro], None, "DE89370400440532013000")
    assert found is not None and "currency_symbol_read_by_ocr_only" not in found.reasons
    coded = detect_currency([page_of_rows([[(50, "Total EUR 1.939,00")]], source="ocr")], None)
    assert coded is not None and coded.confidence >= 0.8


def test_an_iban_split_over_two_segments_is_joined() -> None:
    page = page_of_rows([[(50, "IBAN DE89 3704 0044"), (300, "0532 0130 00")]])
    assert len(page.lines[0].segments) == 2
    found = resolve_iban([page])
    assert found is not None and found.value == "DE89370400440532013000"


def test_the_total_row_printing_net_and_tax_confirms_it() -> None:
    page = page_of_rows([[(50, "Total facture"), (300, "24.99"), (380, "5.00"), (460, "29.99")]])
    cands = collect(label_index([page]), "DMY", LANGS)
    assert total_row_adds_up([page], cands, Decimal("29.99"))
    assert not total_row_adds_up([page], cands, Decimal("24.99"))


def test_two_invoices_in_one_file_are_counted() -> None:
    first = page_of_rows([[(50, "INVOICE")], [(50, "Invoice No: A-1")], [(50, "Page 1 of 1")]], 1)
    second = page_of_rows([[(50, "INVOICE")], [(50, "Invoice No: B-2")], [(50, "Page 1 of 1")]], 2)
    pages = [first, second]
    assert count_documents(pages, collect(label_index(pages), "DMY", LANGS)) == 2
    cont = page_of_rows([[(50, "Invoice No: A-1 (continued)")], [(50, "Page 2 of 2")]], 2)
    pages = [first, cont]
    assert count_documents(pages, collect(label_index(pages), "DMY", LANGS)) == 1


@given(
    st.integers(1_000, 500_000),
    st.lists(st.integers(100, 90_000), min_size=2, max_size=3, unique=True),
)
def test_rate_lines_add_up_to_the_amount_due_when_no_grand_total_is_labelled(
    net_cents: int, tax_cents: list[int]
) -> None:
    # A letter: "Net 100.00 / Tax (5%) ... / Tax (20%) ... / The total amount due is ...": the
    # payable amount is the only total, and the rates' taxes are what net + tax adds up to.
    net = Decimal(net_cents) / 100
    taxes = [Decimal(t) / 100 for t in tax_cents]
    due = net + sum(taxes, Decimal(0))
    rows = [[(300, "Net total"), (480, f"{net:.2f}")]]
    rows += [[(300, f"Tax ({5 * (i + 1)}%)"), (480, f"{t:.2f}")] for i, t in enumerate(taxes)]
    rows.append([(300, "Amount due"), (480, f"{due:.2f}")])
    got = _amounts(rows)
    assert got["total"] == due and got["tax"] == sum(taxes, Decimal(0))


def test_no_tax_is_computed_from_an_amount_due_alone() -> None:
    # The amount due may be net of a prepayment that is not printed: due - net is no tax.
    got = _amounts([[(300, "Net amount"), (480, "80.00")], [(300, "Amount due"), (480, "95.00")]])
    assert got["total"] == Decimal("95.00") and got["tax"] is None


@given(st.integers(1_000, 500_000), st.integers(100, 90_000), st.integers(1_000, 90_000))
def test_a_total_printed_only_in_prose_is_the_amount_net_plus_tax_adds_up_to(
    net_cents: int, tax_cents: int, other_cents: int
) -> None:
    # No total label: "Please transfer 135.70." beside other unlabelled amounts; arithmetic
    # picks the one that net + tax makes, never the largest.
    net, tax = Decimal(net_cents) / 100, Decimal(tax_cents) / 100
    other = net + tax + Decimal(other_cents) / 100
    got = _amounts(
        [
            [(300, "Net amount"), (480, f"{net:.2f}")],
            [(300, "VAT 19%"), (480, f"{tax:.2f}")],
            [(60, f"Please transfer {net + tax:.2f} to our account.")],
            [(60, f"Share capital {other:.2f}")],
        ]
    )
    assert got["total"] == net + tax and got["tax"] == tax


def test_no_total_is_made_up_when_nothing_printed_is_net_plus_tax() -> None:
    got = _amounts(
        [
            [(300, "Net amount"), (480, "100.00")],
            [(300, "VAT 19%"), (480, "19.00")],
            [(60, "Please transfer 120.00 to our account.")],
        ]
    )
    assert got["total"] is None


def _settled(gross: int, prepaid: int, due: int) -> object:
    # A boxed form: "Déjà payé" heads a cell whose value sits below it, so the line itself
    # reads like a paid statement.
    page = page_of_rows([[(50, "Montant TTC"), (200, "Déjà payé"), (350, "Net à payer")]])
    fields = {
        "gross_amount": FieldValue(gross, 0.9, "text"),
        "prepaid_amount": FieldValue(prepaid, 0.9, "text"),
        "total_amount": FieldValue(due, 0.9, "text"),
    }
    settle(fields, [page], paid_in_full=False)
    return fields["total_amount"].value


@given(st.integers(1_000, 10_000_000), st.integers(1, 99))
def test_already_paid_heading_a_subtracted_prepayment_leaves_the_balance_owed(
    gross: int, percent: int
) -> None:
    prepaid = gross * percent // 100 or 1
    assert _settled(gross, prepaid, gross - prepaid) == gross - prepaid


def test_already_paid_without_arithmetic_behind_it_still_means_nothing_payable() -> None:
    assert _settled(10_000, 2_000, 9_000) == 0


def test_a_value_under_another_label_is_that_labels_even_when_it_reaches_under_a_title() -> None:
    """A box of headed cells: the title's label does not reach past the header to its value."""
    page = page_of_rows(
        [
            [(50, "Immobiliare Aurora S.r.l."), (460, "Fattura n.")],
            [(50, "Cod. cliente"), (200, "Rif."), (350, "Data emissione")],
            [(50, "571749"), (200, "INV-082315"), (385, "22.12.2024")],
        ]
    )
    refs = [c for c in collect(label_index([page]), "DMY", LANGS) if c.label == "reference"]
    assert [c.value for c in refs] == ["INV-082315"]
    # Without the header between them, the value under the title is the title's.
    bare = page_of_rows([[(460, "Fattura n.")], [(440, "FA-2024-0012")]])
    refs = [c for c in collect(label_index([bare]), "DMY", LANGS) if c.label == "reference"]
    assert [c.value for c in refs] == ["FA-2024-0012"]
