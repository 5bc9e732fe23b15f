"""Automation rules, pure: each one that holds a document names itself."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from review.rules import Rules, Sender, is_trusted, rule_reasons

DOC: dict[str, Any] = {"total_amount": 150000, "currency": "eur", "vendor": "Northside Ltd"}
ANYONE = Sender("alias_1", "billing@northside.example", None)


def codes(
    rules: Rules,
    doc: dict[str, Any] = DOC,
    sender: Sender = ANYONE,
    new: bool = False,
    new_sender: bool = False,
) -> list[str]:
    reasons = rule_reasons(doc, rules, sender, vendor_is_new=new, sender_is_new=new_sender)
    return [r["code"] for r in reasons]


def test_no_rules_hold_nothing() -> None:
    assert codes(Rules(), new=True, new_sender=True) == []


def test_an_amount_over_the_limit_names_the_rule_and_both_amounts() -> None:
    (reason,) = rule_reasons(
        DOC,
        Rules(max_auto_amount={"eur": 100000}),
        ANYONE,
        vendor_is_new=False,
        sender_is_new=False,
    )
    assert reason["code"] == "over_auto_amount_limit"
    assert reason["message"] == (
        "1,500.00 EUR is over the account's limit of 1,000.00 EUR billed without review."
    )
    assert codes(Rules(max_auto_amount={"usd": 1})) == []  # another currency's limit


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_the_limit_holds_exactly_the_amounts_above_it(amount: int, limit: int) -> None:
    held = codes(Rules(max_auto_amount={"eur": limit}), {**DOC, "total_amount": amount})
    assert (held == ["over_auto_amount_limit"]) == (amount > limit)


def test_currencies_outside_the_allowed_ones_are_held() -> None:
    assert codes(Rules(allowed_currencies=("chf",))) == ["currency_not_allowed"]
    assert codes(Rules(allowed_currencies=("eur", "chf"))) == []


def test_trusted_senders_by_address_or_domain_and_only_when_authenticated() -> None:
    rules = Rules(trusted_senders={"alias_1": ("northside.example",)})
    assert codes(rules) == []
    assert codes(rules, sender=Sender("alias_1", "x@evil.example", None)) == ["sender_not_trusted"]
    assert codes(rules, sender=Sender("alias_1", "billing@northside.example", False)) == [
        "sender_not_trusted"
    ]
    assert codes(rules, sender=Sender("alias_2", "x@evil.example", None)) == []  # other alias
    assert is_trusted("a@mail.northside.example", ("northside.example",))
    assert not is_trusted("a@notnorthside.example", ("northside.example",))
    assert is_trusted("Jo@X.example", ("jo@x.example",))


def test_the_first_invoice_from_a_vendor_when_asked() -> None:
    rules = Rules(first_invoice_from_vendor_review=True)
    assert codes(rules, new=True) == ["first_invoice_from_vendor"]
    assert codes(rules, new=False) == []


def test_a_first_time_sender_or_a_known_one_that_failed_authentication_when_asked() -> None:
    rules = Rules(first_time_sender_review=True)
    assert codes(rules, new_sender=True) == ["first_time_sender"]
    assert codes(rules, new_sender=False) == []  # known, not checked
    assert codes(rules, sender=Sender("alias_1", "billing@northside.example", True)) == []
    forged = Sender("alias_1", "billing@northside.example", False)
    (reason,) = rule_reasons(DOC, rules, forged, vendor_is_new=False, sender_is_new=False)
    assert reason["code"] == "first_time_sender" and "did not prove" in reason["message"]
    assert codes(Rules(), new_sender=True) == []  # off by default


def test_rules_survive_their_json() -> None:
    rules = Rules({"eur": 5}, ("eur",), {"alias_1": ("a.example",)}, True, True)
    assert Rules.from_json(rules.to_json()) == rules
