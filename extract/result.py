"""Result types of the extraction engine: values with evidence, checks and a calibrated score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SEED_FIELDS: tuple[str, ...] = (
    "total_amount",
    "currency",
    "due_date",
    "reference",
    "line_items",
    "tax_amount",
)
EXTRA_FIELDS: tuple[str, ...] = ("issue_date", "vendor", "iban", "document_type")


@dataclass(frozen=True)
class FieldValue:
    """One extracted value and the evidence behind it (page is 1-based, bbox in PDF points)."""

    value: object
    confidence: float
    source: str  # "xml" | "text" | "ocr" | "computed"
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "page": self.page,
            "bbox": [round(v, 2) for v in self.bbox] if self.bbox else None,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Check:
    """A consistency check; failed checks lower the score and are shown to reviewers."""

    name: str
    passed: bool
    detail: str

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True)
class Blocker:
    """Something that forbids billing without a person, whatever the score (see extract/gate.py)."""

    code: str
    field: str | None
    message: str

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Extraction:
    """What the engine returns for one PDF."""

    fields: Mapping[str, FieldValue]
    confidence_score: float
    document_type: str
    checks: tuple[Check, ...] = ()
    reasons: tuple[str, ...] = ()
    pages: int = 0
    text_pages: int = 0
    ocr_pages: int = 0
    languages: tuple[str, ...] = field(default=())
    # SimHash of the document's words (extract/fingerprint.py): a re-scan has (almost) the same.
    text_fingerprint: str | None = None
    blockers: tuple[Blocker, ...] = ()
    raw_score: float | None = None  # before calibration (extract/calibration.py)

    def value(self, name: str) -> object:
        fv = self.fields.get(name)
        return None if fv is None else fv.value

    def extracted_data(self) -> dict[str, object]:
        """Exactly the seed API's extracted_data shape."""
        data: dict[str, object] = {name: self.value(name) for name in SEED_FIELDS}
        data["confidence_score"] = round(self.confidence_score, 3)
        return data

    def to_json(self) -> dict[str, object]:
        data = self.extracted_data()
        for name in EXTRA_FIELDS:
            data[name] = self.value(name)
        data["document_type"] = self.document_type
        data["fields"] = {name: fv.to_json() for name, fv in sorted(self.fields.items())}
        data["checks"] = [c.to_json() for c in self.checks]
        data["reasons"] = list(self.reasons)
        data["blockers"] = [b.to_json() for b in self.blockers]
        data["raw_score"] = self.raw_score
        data["pages"] = {"total": self.pages, "text": self.text_pages, "ocr": self.ocr_pages}
        data["languages"] = list(self.languages)
        data["text_fingerprint"] = self.text_fingerprint
        return data


class ExtractionFailed(Exception):
    """A permanent failure: retrying the same bytes can never succeed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[ExtractionFailed], tuple[str, str]]:
        return (ExtractionFailed, (self.code, self.message))  # crosses the sandbox's pipe
