"""The routing decision, pure: bill it automatically, or ask a person.

Money is requested without a person only when the score clears the account's threshold, the
document is an invoice, and the fields a payment needs are present and positive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REQUIRED = ("total_amount", "currency")


@dataclass(frozen=True)
class Decision:
    bill: bool
    reasons: tuple[dict[str, Any], ...]


def decide(result: Mapping[str, Any], threshold: float) -> Decision:
    """`result` is an extraction's to_json(): seed fields, per-field evidence, checks."""
    reasons: list[dict[str, Any]] = []
    for name in REQUIRED:
        if result.get(name) is None:
            reasons.append(
                {
                    "code": "field_missing",
                    "field": name,
                    "message": f"No {name.replace('_', ' ')} was found.",
                }
            )
    total = result.get("total_amount")
    if isinstance(total, int) and total <= 0:
        reasons.append(
            {
                "code": "non_positive_total",
                "field": "total_amount",
                "message": "The amount to pay is zero or negative (a credit note?).",
            }
        )
    kind = result.get("document_type") or "invoice"
    if kind != "invoice":
        reasons.append(
            {
                "code": "not_an_invoice",
                "field": "document_type",
                "message": f"The document looks like a {kind.replace('_', ' ')}.",
            }
        )
    reasons.extend(payment_code_conflict(result))
    score = float(result.get("confidence_score") or 0.0)
    if score < threshold:
        reasons.append(
            {
                "code": "low_confidence",
                "field": None,
                "message": f"Confidence {score:.2f} is below the threshold {threshold:.2f}.",
            }
        )
        reasons.extend(_weak_fields(result, threshold))
        reasons.extend(_failed_checks(result))
    return Decision(bill=not reasons, reasons=tuple(reasons))


def _weak_fields(result: Mapping[str, Any], threshold: float) -> list[dict[str, Any]]:
    weak = []
    fields = result.get("fields") or {}
    for name, evidence in fields.items():
        if not isinstance(evidence, Mapping):
            continue
        confidence = float(evidence.get("confidence") or 0.0)
        if confidence < threshold:
            why = "; ".join(str(r) for r in evidence.get("reasons") or []) or "low confidence"
            weak.append(
                {
                    "code": "field_low_confidence",
                    "field": name,
                    "message": f"{name}: {confidence:.2f} ({why})",
                }
            )
    return weak


def _failed_checks(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    failed = []
    for check in result.get("checks") or []:
        if isinstance(check, Mapping) and not check.get("passed", True):
            failed.append(
                {
                    "code": "check_failed",
                    "field": None,
                    "message": f"{check.get('name')}: {check.get('detail')}",
                }
            )
    return failed


def payment_code_conflict(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A printed payment code (QR) that contradicts the text: a person decides, whatever the
    score (the code or the text is wrong, and money would go to one of them)."""
    for check in result.get("checks") or []:
        if (
            isinstance(check, Mapping)
            and check.get("name") == "payment_code_matches_total"
            and not check.get("passed", True)
        ):
            return [
                {
                    "code": "payment_code_conflict",
                    "field": "total_amount",
                    "message": f"The payment code disagrees with the printed text: "
                    f"{check.get('detail')}.",
                }
            ]
    return []
