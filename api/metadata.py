"""Stripe's metadata rules: 50 keys, key <= 40 chars without brackets, value <= 500; "" unsets."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator

from models.errors import InvalidRequest


def _check(value: dict[str, str] | Literal[""] | None) -> dict[str, str] | Literal[""] | None:
    if not isinstance(value, dict):
        return value
    if len(value) > 50:
        raise ValueError("metadata can have at most 50 keys")
    for key, item in value.items():
        if len(key) > 40 or "[" in key or "]" in key or not key:
            raise ValueError(f"metadata key {key!r} must be 1-40 characters without brackets")
        if len(item) > 500:
            raise ValueError(f"metadata value for {key!r} must be at most 500 characters")
    return value


MetadataParam = Annotated[dict[str, str] | Literal[""] | None, AfterValidator(_check)]


def merge_metadata(
    current: dict[str, Any], update: dict[str, str] | Literal[""] | None
) -> dict[str, Any]:
    """Updates merge; an empty value unsets a key; an empty `metadata` unsets them all."""
    if update is None:
        return dict(current)
    if update == "":
        return {}
    merged = dict(current)
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > 50:
        raise InvalidRequest("metadata can have at most 50 keys", param="metadata")
    return merged
