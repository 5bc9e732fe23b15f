"""The evaluator's scoring rules."""

from extract.evaluate import compare, expected_total


def test_total_is_scored_against_amount_due_when_present() -> None:
    assert expected_total({"total_amount": 11000, "amount_due": 10000}) == 10000
    assert expected_total({"total_amount": 11000, "amount_due": None}) == 11000


def test_null_truth_is_not_scored_and_terms_date_is_unscorable() -> None:
    truth = {
        "total_amount": 100,
        "amount_due": None,
        "currency": "eur",
        "due_date": None,
        "reference": "A-1",
        "truth_by": "embedded CII XML",
        "extra": {"payment_terms_text": "Zahlbar bis 04.04.2018"},
    }
    right = compare(
        truth,
        {"total_amount": 100, "currency": "eur", "due_date": "2018-04-04", "reference": "a-1"},
    )
    assert right["total_amount"] and right["currency"] and right["reference"]
    assert right["due_date"] is None and right["tax_amount"] is None
