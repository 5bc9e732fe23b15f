"""The auto-approve gate (extract/gate.py): confirmation of the total, contradictions."""

from __future__ import annotations

from extract_testkit import ARITH, gate_fields

from extract.gate import Facts, assess, confirmations
from extract.result import Check, FieldValue


def _codes(blockers: tuple) -> list[str]:  # type: ignore[type-arg]
    return [b.code for b in blockers]


def test_net_plus_tax_confirms_the_total_and_nothing_blocks() -> None:
    assert confirmations(gate_fields(), [ARITH], Facts()) == ["arithmetic"]
    assert assess(gate_fields(), [ARITH], Facts()) == ()


def test_a_label_alone_does_not_confirm_where_arithmetic_could_exist() -> None:
    assert _codes(assess(gate_fields(), [], Facts(strong_total_label=True))) == [
        "total_unconfirmed"
    ]


def test_a_strong_label_counts_only_where_no_arithmetic_can_exist() -> None:
    facts = Facts(arithmetic_possible=False, strong_total_label=True)
    assert confirmations(gate_fields(), [], facts) == ["strong_label_without_arithmetic"]
    weak = Facts(arithmetic_possible=False, strong_total_label=False)
    assert _codes(assess(gate_fields(), [], weak)) == ["total_unconfirmed"]


def test_net_plus_tax_does_not_confirm_an_unexplained_amount_due() -> None:
    checks = [ARITH, Check("prepayment_explains_amount_due", False, "")]
    assert confirmations(gate_fields(), checks, Facts()) == []


def test_xml_and_payment_codes_confirm() -> None:
    xml = gate_fields(total_amount=FieldValue(11900, 0.99, "xml"))
    assert confirmations(xml, [], Facts()) == ["xml"]
    qr = Check("payment_code_matches_total", True, "")
    assert confirmations(gate_fields(), [qr], Facts()) == ["payment_code"]


def test_contradictions_block_even_a_confirmed_total() -> None:
    facts = Facts(documents=2, deadline_without_date=True, other_totals=(20000,))
    codes = _codes(assess(gate_fields(), [ARITH], facts))
    assert codes == ["multiple_invoices", "deadline_without_date", "total_ambiguous"]
    assert _codes(assess(gate_fields(), [ARITH], Facts(currencies=("eur", "usd")))) == [
        "currency_ambiguous"
    ]


def test_a_found_due_date_answers_the_deadline_wording() -> None:
    fields = gate_fields(due_date=FieldValue("2025-03-15", 0.9, "text"))
    assert assess(fields, [ARITH], Facts(deadline_without_date=True)) == ()


def test_a_currency_symbol_read_by_ocr_alone_is_unconfirmed() -> None:
    weak = FieldValue("usd", 0.6, "ocr", reasons=("currency_symbol_read_by_ocr_only",))
    assert _codes(assess(gate_fields(currency=weak), [ARITH], Facts())) == ["currency_unconfirmed"]


def test_blockers_from_the_reading_side_are_kept_once() -> None:
    from extract.result import Blocker

    up = Blocker("payment_code_conflict", "total_amount", "QR says 100.00")
    assert _codes(assess(gate_fields(), [ARITH], Facts(), (up, up))) == ["payment_code_conflict"]


def test_a_photo_without_a_due_date_cannot_confirm_there_is_none() -> None:
    """Billed as due on receipt only where the reading could have seen a deadline."""
    no_due = gate_fields()
    no_due.pop("due_date", None)
    assert _codes(assess(no_due, [ARITH], Facts(photographed=True))) == ["due_date_unconfirmed"]
    assert assess(no_due, [ARITH], Facts(photographed=True, due_on_receipt=True)) == ()
    assert assess(no_due, [ARITH], Facts()) == ()  # a text page or a scan: read in full
    dated = gate_fields(due_date=FieldValue("2025-03-15", 0.9, "ocr"))
    assert assess(dated, [ARITH], Facts(photographed=True)) == ()
