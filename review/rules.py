"""An account's automation rules, and the review reasons of the ones that hold a document (pure).

Rules only ever hold a document for a person; none of them bills anything on its own. Each
reason names its rule, so a reviewer (and the integrator, through the API) sees which one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from models import currencies


@dataclass(frozen=True)
class Rules:
    # Largest amount billed without review, per currency, in minor units.
    max_auto_amount: Mapping[str, int] = field(default_factory=dict)
    # Currencies billed without review; empty means any.
    allowed_currencies: tuple[str, ...] = ()
    # Per alias id: the addresses ("a@b.example") or domains ("b.example") it accepts bills from.
    trusted_senders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The first invoice of a vendor the tenant never had before waits for a person.
    first_invoice_from_vendor_review: bool = False
    # A sender none of the tenant's billed documents came from waits for a person; so does a
    # known sender's message that failed authentication (it may be forged in their name).
    first_time_sender_review: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Rules:
        data = data or {}
        return cls(
            max_auto_amount=dict(data.get("max_auto_amount") or {}),
            allowed_currencies=tuple(data.get("allowed_currencies") or ()),
            trusted_senders={k: tuple(v) for k, v in (data.get("trusted_senders") or {}).items()},
            first_invoice_from_vendor_review=bool(data.get("first_invoice_from_vendor_review")),
            first_time_sender_review=bool(data.get("first_time_sender_review")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "max_auto_amount": dict(self.max_auto_amount),
            "allowed_currencies": list(self.allowed_currencies),
            "trusted_senders": {k: list(v) for k, v in self.trusted_senders.items()},
            "first_invoice_from_vendor_review": self.first_invoice_from_vendor_review,
            "first_time_sender_review": self.first_time_sender_review,
        }


@dataclass(frozen=True)
class Sender:
    """Who sent the document, and whether the message proved it (None: not checked)."""

    alias_id: str
    email: str | None
    authenticated: bool | None


def rule_reasons(
    result: Mapping[str, Any],
    rules: Rules,
    sender: Sender,
    *,
    vendor_is_new: bool,
    sender_is_new: bool,
) -> list[dict[str, Any]]:
    """The reasons of every rule that holds this document."""
    return [
        *over_amount_limit(result, rules),
        *currency_not_allowed(result, rules),
        *sender_not_trusted(rules, sender),
        *first_invoice_from_vendor(result, rules, vendor_is_new),
        *first_time_sender(rules, sender, sender_is_new),
    ]


def over_amount_limit(result: Mapping[str, Any], rules: Rules) -> list[dict[str, Any]]:
    amount, currency = result.get("total_amount"), currencies.normalise(result.get("currency"))
    limit = rules.max_auto_amount.get(currency or "")
    if not isinstance(amount, int) or limit is None or amount <= limit:
        return []
    return [
        {
            "code": "over_auto_amount_limit",
            "field": "total_amount",
            "message": f"{currencies.format_amount(amount, currency)} is over the account's "
            f"limit of {currencies.format_amount(limit, currency)} billed without review.",
        }
    ]


def currency_not_allowed(result: Mapping[str, Any], rules: Rules) -> list[dict[str, Any]]:
    currency = currencies.normalise(result.get("currency"))
    if not rules.allowed_currencies or currency is None or currency in rules.allowed_currencies:
        return []
    allowed = ", ".join(c.upper() for c in rules.allowed_currencies)
    return [
        {
            "code": "currency_not_allowed",
            "field": "currency",
            "message": f"{currency.upper()} is not among the account's currencies ({allowed}).",
        }
    ]


def is_trusted(address: str | None, trusted: tuple[str, ...]) -> bool:
    if not address or "@" not in address:
        return False
    address = address.strip().lower()
    domain = address.rsplit("@", 1)[1]
    return any(
        t == address or ("@" not in t and (domain == t or domain.endswith("." + t)))
        for t in trusted
    )


def sender_not_trusted(rules: Rules, sender: Sender) -> list[dict[str, Any]]:
    trusted = rules.trusted_senders.get(sender.alias_id)
    if not trusted:
        return []
    who = sender.email or "an unknown sender"
    if not is_trusted(sender.email, trusted):
        message = f"{who} is not a trusted sender of this alias."
    elif sender.authenticated is False:
        message = f"{who} is trusted, but the message did not prove it came from them."
    else:
        return []
    return [{"code": "sender_not_trusted", "field": None, "message": message}]


def first_invoice_from_vendor(
    result: Mapping[str, Any], rules: Rules, vendor_is_new: bool
) -> list[dict[str, Any]]:
    if not rules.first_invoice_from_vendor_review or not vendor_is_new:
        return []
    vendor = result.get("vendor") or "this vendor"
    return [
        {
            "code": "first_invoice_from_vendor",
            "field": "vendor",
            "message": f"The first invoice from {vendor} for this tenant.",
        }
    ]


def first_time_sender(rules: Rules, sender: Sender, sender_is_new: bool) -> list[dict[str, Any]]:
    if not rules.first_time_sender_review:
        return []
    who = sender.email or "an unknown sender"
    if sender_is_new:
        message = f"The first bill from {who} for this tenant."
    elif sender.authenticated is False:
        message = f"{who} sent bills before, but this message did not prove it came from them."
    else:
        return []
    return [{"code": "first_time_sender", "field": None, "message": message}]
