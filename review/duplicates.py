"""Is this document one the tenant already sent? Pure: facts in, the best match out.

What counts (decided here, documented in the README):
- **certain** (never billed): the same file bytes as an earlier document of the tenant; or the
  same vendor, reference, payable amount, currency and issue date, all five present and read
  from a text layer or e-invoice XML on both documents.
- **probable** (a person decides): the same five fields where either document was read by OCR
  (a re-scan or a photo: OCR misreads a digit as easily as a vendor changes one); the same vendor,
  amount and currency in the same period (month of issue, else of due date) with a different or
  missing reference; or near-identical words (text fingerprint) with the same amount and
  currency and nothing that tells them apart (no two different references, no two periods).
- Anything else is a new bill: monthly rent with the same amount but a new period, or a new
  reference in another period, is billed normally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Differing bits of the 64-bit text fingerprint that still mean "the same words". Measured on
# our generated rent invoices: a 200 dpi re-scan read by OCR differs in 0 bits, the same
# template for the next month (new dates and reference) in 6, another vendor's bill in 18.
TEXT_DISTANCE = 3
KEY_FIELDS = ("vendor", "reference", "amount", "currency", "issue_date")
# Legal forms say nothing about who the vendor is ("Northside Ltd" = "Northside Limited").
_LEGAL_FORMS = re.compile(
    r"\b(ltd|limited|llc|inc|corp|co|plc|gmbh|ag|kg|ug|sarl|sas|sa|srl|spa|bv|nv|sl|oy|ab|as)\b"
)


@dataclass(frozen=True)
class Facts:
    """What identifies one document of a tenant (stored on its alias invoice as JSON)."""

    vendor: str | None = None
    reference: str | None = None
    amount: int | None = None
    currency: str | None = None
    issue_date: str | None = None
    period: str | None = None  # "2026-01": month of issue, else of the due date
    content: str | None = None  # SHA-256 of the stored file
    text: str | None = None  # text fingerprint (extract/fingerprint.py)
    ocr: bool = False  # a key field was read by OCR

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Facts:
        data = data or {}
        known: dict[str, Any] = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    @property
    def key(self) -> str | None:
        """A fingerprint of the five key fields, when all are known."""
        values = [getattr(self, name) for name in KEY_FIELDS]
        if any(v in (None, "") for v in values):
            return None
        return hashlib.sha256("|".join(str(v) for v in values).encode()).hexdigest()


@dataclass(frozen=True)
class Earlier:
    """A document the tenant already has: billed, in review, or paid."""

    alias_invoice_id: str
    status: str
    facts: Facts
    since: int | None  # when it reached that status (unix seconds)


@dataclass(frozen=True)
class Match:
    earlier: Earlier
    certain: bool
    matched: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "alias_invoice": self.earlier.alias_invoice_id,
            "status": self.earlier.status,
            "state": state_text(self.earlier),
            "certainty": "certain" if self.certain else "probable",
            "matched": list(self.matched),
        }


def state_text(earlier: Earlier) -> str:
    day = (
        dt.datetime.fromtimestamp(earlier.since, dt.UTC).strftime("%Y-%m-%d")
        if earlier.since
        else "an earlier date"
    )
    return {
        "paid": f"already paid on {day}",
        "processed": f"payment requested on {day}",
        "requires_review": f"waiting for review since {day}",
    }.get(earlier.status, f"{earlier.status} since {day}")


def normal_vendor(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    folded = re.sub(r"[^a-z0-9]+", " ", name.lower())
    text = " ".join(_LEGAL_FORMS.sub(" ", folded).split())
    return text or None


def normal_reference(ref: object) -> str | None:
    if ref is None:
        return None
    text = re.sub(r"[^A-Z0-9]", "", str(ref).upper())
    return text or None


def period_of(issue_date: object, due_date: object) -> str | None:
    for value in (issue_date, due_date):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value[:7]
    return None


def facts_of(result: Mapping[str, Any], content: str | None) -> Facts:
    """The facts of an extraction result (its to_json()) and the stored file's hash."""
    fields = result.get("fields") or {}
    ocr = any(
        isinstance(fields.get(name), Mapping) and fields[name].get("source") == "ocr"
        for name in ("total_amount", "reference", "vendor", "issue_date")
    )
    amount = result.get("total_amount")
    currency = result.get("currency")
    return Facts(
        vendor=normal_vendor(result.get("vendor")),
        reference=normal_reference(result.get("reference")),
        amount=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
        currency=str(currency).lower() if currency else None,
        issue_date=result.get("issue_date") if isinstance(result.get("issue_date"), str) else None,
        period=period_of(result.get("issue_date"), result.get("due_date")),
        content=content,
        text=result.get("text_fingerprint")
        if isinstance(result.get("text_fingerprint"), str)
        else None,
        ocr=ocr,
    )


def _equal(a: Any, b: Any) -> bool:
    return a is not None and a == b


def _near_reference(a: str | None, b: str | None, ocr: bool) -> bool:
    """Compatible references: equal, one missing, or one OCR slip apart."""
    if a is None or b is None or a == b:
        return True
    return ocr and len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _text_distance(a: str | None, b: str | None) -> int | None:
    if a is None or b is None:
        return None
    return (int(a, 16) ^ int(b, 16)).bit_count()


def compare(new: Facts, old: Earlier) -> Match | None:
    """How `new` matches one earlier document, if it does."""
    f = old.facts
    same = [n for n in (*KEY_FIELDS, "period") if _equal(getattr(new, n), getattr(f, n))]
    money = _equal(new.amount, f.amount) and _equal(new.currency, f.currency)
    if _equal(new.content, f.content):
        return Match(old, True, ("file", *same))
    if new.key is not None and new.key == f.key:
        return Match(old, not (new.ocr or f.ocr), tuple(same))
    ocr = new.ocr or f.ocr
    # Two known, different periods tell a recurring bill from a copy, whatever else agrees.
    periods_agree = new.period is None or f.period is None or new.period == f.period
    same_bill = _equal(new.period, f.period) or _equal(new.reference, f.reference)
    if money and _equal(new.vendor, f.vendor) and periods_agree and same_bill:
        return Match(old, False, tuple(same))
    distance = _text_distance(new.text, f.text)
    near = distance is not None and distance <= TEXT_DISTANCE
    if money and near and periods_agree and _near_reference(new.reference, f.reference, ocr):
        return Match(old, False, ("text", *same))
    return None


def best_match(new: Facts, earlier: Iterable[Earlier]) -> Match | None:
    """The strongest match: certain before probable, then the most fields, then the newest."""
    found = [m for m in (compare(new, e) for e in earlier) if m is not None]
    if not found:
        return None
    return max(found, key=lambda m: (m.certain, len(m.matched), m.earlier.since or 0))
