"""The routing decision, pure: bill it automatically, or ask a person.

Money is requested without a person only when the score clears the account's threshold, the
document is an invoice, the fields a payment needs are present and positive, and the extraction
reports no blocker (its auto-approve gate).
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
    reasons.extend(extraction_blockers(result))
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


def extraction_blockers(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The extraction's own gate (extract/gate.py): unconfirmed totals, contradictions, several
    invoices in one file. Always reasons, whatever the score or the account's threshold."""
    out = []
    for blocker in result.get("blockers") or []:
        if isinstance(blocker, Mapping) and blocker.get("code"):
            out.append(
                {
                    "code": str(blocker["code"]),
                    "field": blocker.get("field"),
                    "message": str(blocker.get("message") or blocker["code"]),
                }
            )
    return out


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


def sender_reasons(sender_auth: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """A spoofing risk (ingest's sender authentication, when enforced) is held for review."""
    if not sender_auth or not sender_auth.get("enforced"):
        return []
    if sender_auth.get("verdict") not in ("fail", "temperror"):
        return []
    domain = sender_auth.get("from_domain") or "(none)"
    return [
        {
            "code": "sender_not_authenticated",
            "field": None,
            "message": (
                f"The sender's domain {domain} did not authenticate "
                f"(SPF {sender_auth.get('spf')}, DKIM {sender_auth.get('dkim')}, "
                f"DMARC {sender_auth.get('dmarc')}): anyone could have sent this invoice."
            ),
        }
    ]


def hold(decision: Decision, reasons: list[dict[str, Any]]) -> Decision:
    """The decision with more reasons to ask a person (none: unchanged)."""
    if not reasons:
        return decision
    return Decision(bill=False, reasons=(*decision.reasons, *reasons))
