"""The duplicate rules, pure: what is certain, what is probable, and what is a new bill."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from extract.fingerprint import distance, text_fingerprint
from review.duplicates import Earlier, Facts, best_match, compare, facts_of, normal_vendor

JAN = Facts(
    vendor="northside property management",
    reference="INV20260042",
    amount=125000,
    currency="eur",
    issue_date="2026-01-05",
    period="2026-01",
    content="a" * 64,
    text="6c09d41154a972ef",
)


def earlier(facts: Facts = JAN, status: str = "paid") -> Earlier:
    return Earlier("ainv_1", status, facts, 1_767_571_200)  # 2026-01-05


def test_the_same_bytes_are_a_certain_copy_and_say_so() -> None:
    match = compare(JAN, earlier())
    assert match is not None and match.certain
    assert match.to_json() == {
        "alias_invoice": "ainv_1",
        "status": "paid",
        "state": "already paid on 2026-01-05",
        "certainty": "certain",
        "matched": ["file", "vendor", "reference", "amount", "currency", "issue_date", "period"],
    }


def test_the_same_five_fields_from_text_are_certain_from_ocr_probable() -> None:
    regenerated = replace(JAN, content="b" * 64, text="0000000000000000")
    assert compare(regenerated, earlier()).certain  # type: ignore[union-attr]
    rescan = replace(regenerated, ocr=True)
    match = compare(rescan, earlier())
    assert match is not None and not match.certain


def test_same_vendor_amount_and_period_with_another_reference_is_probable() -> None:
    other_ref = replace(JAN, content=None, text=None, reference="INV20260099")
    match = compare(other_ref, earlier())
    assert match is not None and not match.certain
    assert set(match.matched) == {"vendor", "amount", "currency", "issue_date", "period"}
    no_ref = replace(other_ref, reference=None)
    assert compare(no_ref, earlier()) is not None


def test_near_identical_words_without_a_reference_are_probable() -> None:
    scan = Facts(amount=125000, currency="eur", text="6c09d41154a972ee", ocr=True)
    match = compare(scan, earlier())
    assert match is not None and not match.certain and match.matched[0] == "text"


def test_next_month_of_the_same_rent_is_a_new_bill() -> None:
    feb = replace(
        JAN,
        reference="INV20260043",
        issue_date="2026-02-05",
        period="2026-02",
        content="c" * 64,
        text="4c08c01114a972e7",
    )
    assert compare(feb, earlier()) is None
    # Even when the landlord prints the same contract number every month.
    assert compare(replace(feb, reference=JAN.reference), earlier()) is None


months = st.tuples(st.integers(2020, 2030), st.integers(1, 12))


@given(months, months, st.booleans(), st.booleans())
def test_recurring_bills_in_different_months_are_never_duplicates(
    first: tuple[int, int], second: tuple[int, int], same_ref: bool, ocr: bool
) -> None:
    """Same vendor, same amount, same template; a different month is a new bill."""
    if first == second:
        return
    a = replace(
        JAN, issue_date=f"{first[0]}-{first[1]:02d}-05", period=f"{first[0]}-{first[1]:02d}"
    )
    b = replace(
        JAN,
        issue_date=f"{second[0]}-{second[1]:02d}-05",
        period=f"{second[0]}-{second[1]:02d}",
        reference=JAN.reference if same_ref else "OTHER1",
        content="d" * 64,
        ocr=ocr,
    )
    assert compare(b, earlier(a)) is None


def test_the_best_match_prefers_certain_then_more_fields() -> None:
    probable = Earlier("ainv_p", "processed", replace(JAN, content=None, reference="X1"), 10)
    certain = Earlier("ainv_c", "paid", JAN, 5)
    found = best_match(JAN, [probable, certain])
    assert found is not None and found.earlier.alias_invoice_id == "ainv_c"
    assert best_match(JAN, []) is None


def test_facts_normalise_what_varies_between_copies() -> None:
    assert normal_vendor("Northside Property Management Ltd.") == normal_vendor(
        "NORTHSIDE PROPERTY MANAGEMENT LIMITED"
    )
    result = {
        "vendor": "Northside Ltd",
        "reference": "inv-2026/0042",
        "total_amount": 125000,
        "currency": "EUR",
        "issue_date": "2026-01-05",
        "due_date": "2026-02-01",
        "text_fingerprint": "00ff00ff00ff00ff",
        "fields": {"total_amount": {"source": "ocr"}},
    }
    facts = facts_of(result, "e" * 64)
    assert (facts.reference, facts.currency, facts.period, facts.ocr) == (
        "INV20260042",
        "eur",
        "2026-01",
        True,
    )
    assert Facts.from_json(facts.to_json()) == facts and facts.key is not None


def test_text_fingerprint_is_stable_under_case_accents_and_punctuation() -> None:
    a = text_fingerprint(["Rechnung Nr. 42", "Miete Januar: 1.250,00 €"])
    b = text_fingerprint(["RECHNUNG NR 42", "miete januar 1.250,00"])
    c = text_fingerprint(["Water bill 7781", "Standing charge 12.00", "Usage 84.20"])
    assert a is not None and b is not None and c is not None
    assert distance(a, b) == 0 and distance(a, c) > 10
    assert text_fingerprint([]) is None
