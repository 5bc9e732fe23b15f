"""The pure routing decision: the extraction's blockers always send a document to review."""

from __future__ import annotations

from typing import Any

from review.routing import decide


def _result(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "total_amount": 12000,
        "currency": "eur",
        "document_type": "invoice",
        "confidence_score": 0.99,
        "fields": {},
        "checks": [],
        "blockers": [],
    }
    base.update(extra)
    return base


def test_a_confident_unblocked_invoice_is_billed() -> None:
    assert decide(_result(), 0.7).bill


def test_a_blocker_sends_it_to_review_whatever_the_threshold() -> None:
    blocker = {
        "code": "multiple_invoices",
        "field": None,
        "message": "The file holds 2 invoices; each needs its own review.",
    }
    for threshold in (0.0, 0.5, 0.7):
        decision = decide(_result(blockers=[blocker]), threshold)
        assert not decision.bill
        assert decision.reasons == (blocker,)


def test_every_blocker_becomes_a_reason_with_code_field_and_message() -> None:
    blockers = [
        {"code": "total_unconfirmed", "field": "total_amount", "message": "m1"},
        {"code": "deadline_without_date", "field": "due_date", "message": "m2"},
    ]
    decision = decide(_result(blockers=blockers, confidence_score=0.2), 0.7)
    codes = [r["code"] for r in decision.reasons]
    assert codes[:2] == ["total_unconfirmed", "deadline_without_date"]
    assert "low_confidence" in codes


def test_results_saved_before_the_gate_existed_still_route() -> None:
    old = _result()
    del old["blockers"]
    assert decide(old, 0.7).bill
