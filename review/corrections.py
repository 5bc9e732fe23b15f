"""Validating a reviewer's corrections and applying them to the extracted data (pure).

Both the API and the workbench send corrections through `validate_corrections`, so a value
the billing path would choke on (a bool amount, "eur " or 2025-02-30) never reaches it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from models import currencies
from models.currencies import MAX_AMOUNT
from models.errors import InvalidRequest

# The fields of the seed's `extracted_data` a reviewer may correct, in form order.
CORRECTABLE = ("total_amount", "currency", "due_date", "reference", "tax_amount", "line_items")
SEED_FIELDS = (*CORRECTABLE, "confidence_score")


def _amount(field: str, value: Any, *, allow_negative: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(
            f"Invalid {field}: must be an integer in minor units.",
            code="parameter_invalid_integer",
            param=field,
        )
    if value < 0 and not allow_negative:
        raise InvalidRequest(f"Invalid {field}: must be at least 0.", param=field)
    if abs(value) > MAX_AMOUNT:
        raise InvalidRequest(f"Invalid {field}: {value} is implausibly large.", param=field)
    return value


def _currency(value: Any) -> str:
    code = currencies.normalise(value)
    if code is None:
        raise InvalidRequest(
            f"Invalid currency: {value!r} is not an ISO 4217 currency code (e.g. eur).",
            param="currency",
        )
    return code


def _due_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InvalidRequest(
            f"Invalid due_date: {value!r} is not a real date in YYYY-MM-DD form.",
            param="due_date",
        ) from exc


def _reference(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise InvalidRequest(
            "Invalid reference: must be a string of at most 200 characters.", param="reference"
        )
    return value.strip() or None


def _line_items(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > 200:
        raise InvalidRequest(
            "Invalid line_items: must be a list of at most 200 items.", param="line_items"
        )
    items = []
    for i, line in enumerate(value):
        if not isinstance(line, Mapping) or set(line) - {"description", "amount"}:
            raise InvalidRequest(
                f"Invalid line_items[{i}]: each item has a description and an amount.",
                param=f"line_items[{i}]",
            )
        description = line.get("description")
        if not isinstance(description, str) or not description.strip() or len(description) > 500:
            raise InvalidRequest(
                f"Invalid line_items[{i}][description]: must be 1 to 500 characters.",
                param=f"line_items[{i}][description]",
            )
        # Credits and discounts are negative lines on real invoices.
        amount = _amount(f"line_items[{i}][amount]", line.get("amount"), allow_negative=True)
        items.append({"description": description.strip(), "amount": amount})
    return items


def validate_corrections(corrections: Mapping[str, Any]) -> dict[str, Any]:
    """Normalised corrections; raises InvalidRequest naming the first bad field."""
    unknown = set(corrections) - set(CORRECTABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidRequest(
            f"Received unknown parameter: {name}", code="parameter_unknown", param=name
        )
    clean: dict[str, Any] = {}
    for field, value in corrections.items():
        if field in ("total_amount", "tax_amount"):
            clean[field] = _amount(field, value)
        elif field == "currency":
            clean[field] = _currency(value)
        elif field == "due_date":
            clean[field] = _due_date(value)
        elif field == "reference":
            clean[field] = _reference(value)
        else:
            clean[field] = _line_items(value)
    return clean


def seed_data(result: Mapping[str, Any]) -> dict[str, Any]:
    """The seed's `extracted_data` view of an extractor result (no evidence)."""
    return {name: result.get(name) for name in SEED_FIELDS}


def apply_corrections(
    extracted: Mapping[str, Any], corrections: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The data to bill, and {field: {from, to}} for the values that actually changed."""
    data = dict(extracted)
    changed: dict[str, dict[str, Any]] = {}
    for field, value in corrections.items():
        if extracted.get(field) != value:
            changed[field] = {"from": extracted.get(field), "to": value}
        data[field] = value
    return data, changed


def require_billable(data: Mapping[str, Any]) -> None:
    """Billing needs an amount and a currency; say which one is missing, as a parameter."""
    for field in ("total_amount", "currency"):
        if data.get(field) is None:
            raise InvalidRequest(
                f"Cannot approve without {field}: the extraction found none, so pass the "
                f"corrected {field}.",
                code="parameter_missing",
                param=field,
            )
    _amount("total_amount", data["total_amount"])
    _currency(data["currency"])
