"""What the auto-approve gate needs to know before a missing due date, a total or a currency may
go out without a person (issue 8, precision on unseen layouts): dates nobody explained,
deadlines that point elsewhere, sentences wrapped over two lines, words the text layer spaced."""

from __future__ import annotations

import datetime
import json

import pytest
from extract_testkit import ARITH, FIXTURES, LANGS, REFERENCE_DATE, gate_fields, page_of_rows

from extract import ExtractConfig, extract_document
from extract.candidates import collect, label_index
from extract.deadlines import deadline_without_date, due_from_days, due_in_sentence
from extract.facts import unread_later_dates
from extract.gate import Facts, assess
from extract.layout import PageLayout, Word
from extract.pdfio import merge_split_capitals
from extract.result import FieldValue

D = datetime.date


def _unread(rows: list[list[tuple[float, str]]], due: str | None = None) -> tuple[str, ...]:
    page = page_of_rows(rows)
    labelled = label_index([page])
    cands = collect(labelled, "DMY", LANGS)
    fields = {"issue_date": FieldValue("2025-03-01", 0.95, "text")}
    if due:
        fields["due_date"] = FieldValue(due, 0.9, "text")
    return unread_later_dates(labelled, cands, fields, "DMY", LANGS)


def test_a_later_date_nothing_explains_is_reported_when_no_due_date_was_read() -> None:
    rows = [
        [(50, "Invoice date:"), (300, "01.03.2025")],
        [(50, "Kindly settle the amount, at the latest"), (400, "31.03.2025")],
    ]
    assert _unread(rows) == ("2025-03-31",)
    assert _unread(rows, due="2025-03-31") == ()


@pytest.mark.parametrize(
    "row",
    [
        [(50, "Delivery date:"), (300, "05.03.2025")],  # a labelled other date
        [(50, "Your next bill is due around 01.04.2025.")],  # a forecast
        [(50, "Payment received on 05.03.2025, thank you.")],  # something already done
        [(50, "Contract valid until 31.12.2027")],  # far beyond any deadline
        [(50, "Meter read on 15.02.2025")],  # before the issue date
    ],
)
def test_explained_past_and_far_dates_are_not_unread_deadlines(
    row: list[tuple[float, str]],
) -> None:
    assert _unread([[(50, "Invoice date:"), (300, "01.03.2025")], row]) == ()


def test_an_unread_later_date_blocks_billing_as_due_on_receipt() -> None:
    facts = Facts(unread_dates=("2025-03-31",))
    assert [b.code for b in assess(gate_fields(), [ARITH], facts)] == ["due_date_unread"]
    read = gate_fields(due_date=FieldValue("2025-03-31", 0.9, "text"))
    assert assess(read, [ARITH], facts) == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Paiement à effectuer à la date prévue dans votre bail.",
        "El pago vence en la fecha indicada en su contrato de arrendamiento.",
        "Die Zahlung erfolgt zum vereinbarten Termin.",
    ],
)
def test_a_deadline_pointing_elsewhere_for_its_date_is_a_deadline_without_date(
    sentence: str,
) -> None:
    page = page_of_rows([[(50, "Invoice 42")], [(50, sentence)]])
    assert deadline_without_date([page], label_index([page]))


def test_a_paying_verb_on_the_line_before_the_date_is_read() -> None:
    page = page_of_rows(
        [
            [(50, "Please remit the total of £178.02. We kindly ask you to transfer the")],
            [(50, "amount by November 10, 2025.")],
        ]
    )
    found = due_in_sentence([page], "DMY", LANGS)
    assert found is not None and found.value == D(2025, 11, 10)


def test_a_finished_sentence_above_lends_the_date_no_verb() -> None:
    page = page_of_rows([[(50, "Please pay by bank transfer.")], [(50, "Delivered by 10.11.2025")]])
    assert due_in_sentence([page], "DMY", LANGS) is None


@pytest.mark.parametrize(
    "amount", ["10'096.98", "10 096,98", "10.096,98", "10:096,98"]
)  # the last as OCR reads it
def test_a_day_count_is_never_part_of_an_amount(amount: str) -> None:
    page = page_of_rows(
        [[(50, "Summe netto"), (300, f"{amount} CHF")], [(50, "Zahlbar: 30 Tage netto")]]
    )
    found = due_from_days([page], D(2024, 10, 19))
    assert found is not None and found.value == D(2024, 11, 18)


def _word(text: str, x0: float, x1: float) -> Word:
    return Word(text, x0, 100, x1, 109, 1)


def test_a_spaced_single_capital_stays_a_word_and_a_kerned_one_joins() -> None:
    spaced = merge_split_capitals([_word("À", 360.0, 366.5), _word("régler", 368.7, 389.7)])
    assert [w.text for w in spaced] == ["À", "régler"]
    kerned = merge_split_capitals([_word("F", 50.0, 55.0), _word("actuurnummer", 55.4, 110.0)])
    assert [w.text for w in kerned] == ["Factuurnummer"]


@pytest.mark.parametrize(
    "key", ["Delivery date:", "Lieferdatum:", "Fecha de pedido:", "Data ordine:"]
)
def test_a_key_naming_a_date_is_a_date_label_not_an_identifier(key: str) -> None:
    from extract.lexicon import fold
    from extract.nlp import find_labels

    assert [h.label for h in find_labels(fold(key))] == ["other_date"]


def _carry_doc(carried: str = "5,089.49") -> list[PageLayout]:
    first = page_of_rows(
        [
            [(50, "Invoice # 42")],
            [(50, "Rent"), (400, "5,000.00")],
            [(50, "Parking"), (400, "89.49")],
            [(300, "Carried forward"), (400, carried)],
        ]
    )
    second = page_of_rows(
        [
            [(50, "Invoice # 42")],
            [(50, "Balance brought forward"), (400, carried)],
            [(50, "Cleaning"), (400, "910.51")],
            [(300, "Subtotal"), (400, "6,000.00")],
            [(300, "Tax (20%)"), (400, "1,200.00")],
            [(300, "Total amount"), (400, "7,200.00")],
        ],
        number=2,
    )
    return [first, second]


def test_a_running_total_carried_across_a_page_break_is_never_the_amount_due() -> None:
    from decimal import Decimal

    from extract.amounts import resolve_amounts
    from extract.carry import drop_carried

    pages = _carry_doc()
    cands = collect(label_index(pages), "DMY", LANGS)
    assert any(c.value == Decimal("5089.49") for c in cands)  # "Balance" reads as amount due
    kept = drop_carried(cands, pages)
    assert all(c.value != Decimal("5089.49") for c in kept)
    amounts = resolve_amounts(kept)
    assert amounts.total is not None and amounts.total.value == Decimal("7200.00")


def test_an_amount_repeated_on_the_next_page_that_is_the_total_is_kept() -> None:
    from extract.carry import drop_carried

    slip = [
        page_of_rows([[(50, "Invoice # 42")], [(300, "Total amount"), (400, "7,200.00")]]),
        page_of_rows([[(50, "Payment slip")], [(50, "Amount due"), (400, "7,200.00")]], number=2),
    ]
    cands = collect(label_index(slip), "DMY", LANGS)
    assert drop_carried(cands, slip) == cands


def test_a_hedge_after_the_paying_word_qualifies_a_deadline_it_does_not_cancel() -> None:
    page = page_of_rows(
        [[(50, "Il pagamento va effettuato entro la data prevista dal contratto di locazione.")]]
    )
    assert deadline_without_date([page], label_index([page]))
    forecast = page_of_rows([[(50, "Your next bill will be due in the spring.")]])
    assert not deadline_without_date([forecast], label_index([forecast]))


def test_a_total_found_without_a_label_that_the_figures_confirm_is_trusted() -> None:
    from extract.engine import _confirmed_total

    fallback = FieldValue(11900, 0.45, "text", reasons=("total_unlabelled_largest_amount",))
    fields = gate_fields(total_amount=fallback)
    raised = _confirmed_total(fields, [ARITH], Facts())
    assert raised["total_amount"].confidence == 0.9
    assert "total_confirmed_by_arithmetic" in raised["total_amount"].reasons
    assert _confirmed_total(fields, [], Facts()) == fields  # nothing confirms it: unchanged


def test_a_page_paying_another_account_with_another_number_is_another_invoice() -> None:
    from extract.facts import count_documents

    def page(number: int, ref: str, iban: str) -> PageLayout:
        return page_of_rows(
            [[(50, "Document No.:"), (300, ref)], [(50, "Total"), (300, "100.00")], [(50, iban)]],
            number=number,
        )

    first = page(1, "FA-1001", "IBAN DE89 3704 0044 0532 0130 00")
    other = page(2, "0060944", "IBAN GB29 NWBK 6016 1331 9268 19")
    pages = [first, other]
    assert count_documents(pages, collect(label_index(pages), "DMY", LANGS)) == 2
    same = [first, page(2, "0060944", "IBAN DE89 3704 0044 0532 0130 00")]
    assert count_documents(same, collect(label_index(same), "DMY", LANGS)) == 1


def test_a_titled_page_paying_another_account_is_another_invoice_when_no_number_came_before() -> (
    None
):
    """The first invoice's number may go unread (an unusual label); a later page with an invoice
    title, a number and another payee's account is still another invoice. Without the title, or
    paying the same account, it is the same document's next page."""
    from extract.facts import count_documents

    def page(number: int, rows: list[str]) -> PageLayout:
        return page_of_rows([[(50, row)] for row in rows], number=number)

    unnumbered = page(1, ["Rental statement", "Total 11.12", "IBAN DE89 3704 0044 0532 0130 00"])
    for rows, documents in (
        (["INVOICE", "Invoice No.: 2025-4067", "IBAN GB29 NWBK 6016 1331 9268 19"], 2),
        (["Document No.: 2025-4067", "IBAN GB29 NWBK 6016 1331 9268 19"], 1),
        (["INVOICE", "Invoice No.: 2025-4067", "IBAN DE89 3704 0044 0532 0130 00"], 1),
    ):
        pages = [unnumbered, page(2, rows)]
        assert count_documents(pages, collect(label_index(pages), "DMY", LANGS)) == documents


@pytest.mark.parametrize(
    ("row", "value"),
    [
        ("FATTURA Numero fattura: 2025-88860", "2025-88860"),
        ("Recibo de alquiler Referencia: HV 65/25", "HV 65/25"),
        ("Facture de prestations Réf. : FA 11/24", "FA 11/24"),
    ],
)
def test_a_reference_key_after_the_title_on_one_line_is_read(row: str, value: str) -> None:
    page = page_of_rows([[(50, row)]])
    refs = [c.value for c in collect(label_index([page]), "DMY", LANGS) if c.label == "reference"]
    assert refs == [value]


def test_someone_elses_reference_is_not_the_invoice_number() -> None:
    page = page_of_rows([[(50, "Invoice Your reference: AB-1234")]])
    refs = [c for c in collect(label_index([page]), "DMY", LANGS) if c.label == "reference"]
    assert all(c.value != "AB-1234" for c in refs)


def test_an_exemption_citing_its_paragraph_after_a_space_is_read() -> None:
    from extract.settlement import vat_exempt

    page = page_of_rows([[(50, "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.")]])
    assert vat_exempt([page])


def test_one_till_word_in_an_item_does_not_make_a_receipt() -> None:
    from extract.engine import receipt_like

    item = page_of_rows([[(50, "Cambio de cerradura"), (300, "1"), (400, "82,78")]])
    assert not receipt_like(collect(label_index([item]), "DMY", LANGS))
    till = page_of_rows([[(50, "Cash"), (400, "100.00")], [(50, "Change"), (400, "17.22")]])
    assert receipt_like(collect(label_index([till]), "DMY", LANGS))


def test_a_compact_later_date_counts_but_the_invoice_number_does_not() -> None:
    rows = [
        [(50, "Invoice date:"), (300, "01.03.2025")],
        [(50, "Fa11igk3it:"), (300, "20250315")],  # a label OCR garbled,
    ]
    assert _unread(rows) == ("2025-03-15",)
    numbered = [
        [(50, "Invoice No.:"), (300, "20250315")],
        [(50, "Invoice date:"), (300, "01.03.2025")],
    ]
    assert _unread(numbered) == ()


def _pdf_of(*names: str) -> bytes:
    """The fixtures `names`, one after another in one PDF file."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for name in names:
        for page in PdfReader(FIXTURES / f"{name}.pdf").pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("first", "second"),
    [("text_es_invoice", "text_nl_invoice"), ("text_nl_invoice", "text_es_invoice")],
)
def test_a_file_of_two_invoices_reads_as_the_first_and_is_never_billed(
    first: str, second: str
) -> None:
    """A merged reading mixes two bills (the last total, the first number): the fields are the
    first invoice's alone, for the reviewer to start from, and the count blocks billing."""
    config = ExtractConfig(reference_date=REFERENCE_DATE, use_embedded_xml=False)
    extraction = extract_document(_pdf_of(first, second), config)
    expected = json.loads((FIXTURES / f"{first}.expected.json").read_text())["fields"]
    for name in ("total_amount", "currency", "due_date", "reference", "tax_amount", "iban"):
        assert extraction.value(name) == expected[name], name
    assert "multiple_invoices" in [b.code for b in extraction.blockers]
