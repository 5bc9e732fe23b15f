"""Nothing that asks the tenant for nothing is billed: paid documents, credit notes, zero or
negative amounts due. The reason says why (pure routing; the queue: tests/pipeline)."""

from __future__ import annotations

from typing import Any

import pytest

from review.routing import decide


def payable(**values: Any) -> dict[str, Any]:
    return {
        "total_amount": 125000,
        "currency": "eur",
        "document_type": "invoice",
        "confidence_score": 0.99,
    } | values


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"document_type": "receipt"}, "document_type", "already paid"),
        ({"document_type": "credit_note"}, "document_type", "credit note"),
        ({"total_amount": 0}, "total_amount", "amount due is zero"),
        ({"total_amount": -500}, "total_amount", "negative"),
    ],
)
def test_not_payable_documents_are_held_with_the_reason(
    values: dict[str, Any], field: str, words: str
) -> None:
    decision = decide(payable(**values), 0.0)
    assert not decision.bill
    (reason,) = [r for r in decision.reasons if r["code"] == "not_payable"]
    assert reason["field"] == field and words in reason["message"]


def test_a_payable_invoice_has_no_such_reason() -> None:
    assert decide(payable(), 0.7).bill
