"""Turning the item page's form (major units, blank inputs) into API-shaped corrections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.workbench.formatting import AmountError, parse_money


def form_corrections(
    form: Mapping[str, Any], extracted: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(corrections, errors by field). Blank amount inputs keep the extracted value."""
    corrections: dict[str, Any] = {}
    errors: dict[str, str] = {}
    currency = str(form.get("currency") or "").strip().lower()
    if currency or extracted.get("currency") is not None:
        corrections["currency"] = currency
    money_currency = currency or extracted.get("currency")
    for name in ("total_amount", "tax_amount"):
        text = str(form.get(name) or "").strip()
        if not text:
            if extracted.get(name) is not None and name == "total_amount":
                errors[name] = "The total is required to bill the tenant."
            continue
        try:
            corrections[name] = parse_money(text, money_currency)
        except AmountError as exc:
            errors[name] = f"{exc}."
    for name in ("due_date", "reference"):
        if name in form:
            corrections[name] = str(form.get(name) or "").strip()
    rows = form.get("line_items")
    if isinstance(rows, list):
        items = []
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping):
                continue
            description = str(row.get("description") or "").strip()
            amount = str(row.get("amount") or "").strip()
            if not description and not amount:
                continue  # an empty row the reviewer added and left
            try:
                items.append(
                    {"description": description, "amount": parse_money(amount, money_currency)}
                )
            except AmountError as exc:
                errors[f"line_items[{i}]"] = f"Line {i + 1}: {exc}."
        corrections["line_items"] = items
    elif extracted.get("line_items"):
        corrections["line_items"] = []  # every row was removed
    return corrections, errors
