"""The routing decision, pure: bill it automatically, or ask a person.

Money is requested without a person only when the score clears the account's threshold, the
document is an invoice, the fields a payment needs are present and positive, and the extraction
reports no blocker (its auto-approve gate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from review.document_invoice import Mismatch, mirror

REQUIRED = ("total_amount", "currency")
# Document kinds the extractor tells apart; receipts and credit notes are not payable.
PAYABLE_KINDS = ("invoice", "receipt", "credit_note")


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
    payable = not_payable(result)
    reasons.extend(payable)
    kind = result.get("document_type") or "invoice"
    if kind not in PAYABLE_KINDS:
        reasons.append(
            {
                "code": "not_an_invoice",
                "field": "document_type",
                "message": f"The document looks like a {kind.replace('_', ' ')}.",
            }
        )
    elif not payable:
        reasons.extend(figures_do_not_add_up(result))
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


def figures_do_not_add_up(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Lines + tax - prepaid must be the amount due as printed; otherwise a person looks,
    instead of the invoice inventing an adjustment line."""
    if result.get("total_amount") is None:
        return []
    found = mirror(result)
    if not isinstance(found, Mismatch):
        return []
    return [{"code": "figures_do_not_add_up", "field": "total_amount", "message": found.message}]


def not_payable(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Documents that ask the tenant for nothing: never billed without a person. (A file with
    several invoices is the extraction gate's `multiple_invoices`.)"""
    kind = result.get("document_type") or "invoice"
    total = result.get("total_amount")
    why = None
    field = "document_type"
    if kind == "receipt":
        why = "The document says it is already paid (a receipt or a paid invoice)."
    elif kind == "credit_note":
        why = "It is a credit note: the vendor owes the tenant, not the other way round."
    elif isinstance(total, int) and total <= 0:
        field = "total_amount"
        why = (
            "Nothing is open: the amount due is zero."
            if total == 0
            else "The amount due is negative (a credit), so there is nothing to request."
        )
    return [{"code": "not_payable", "field": field, "message": why}] if why else []


def possible_duplicate(match: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """A probable copy of a document the tenant already sent (review/duplicates.py)."""
    if not match or match.get("certainty") != "probable":
        return []
    matched = ", ".join(str(m).replace("_", " ") for m in match.get("matched") or [])
    return [
        {
            "code": "possible_duplicate",
            "field": None,
            "message": f"Looks like {match['alias_invoice']} ({match['state']}): same {matched}.",
            "duplicate_of": match["alias_invoice"],
            "state": match["state"],
            "matched": list(match.get("matched") or []),
        }
    ]


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
