"""Stripe-style object ids: a type prefix and 24 random base62 characters."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
_BASE = len(_ALPHABET)


def new_id(prefix: str, length: int = 24) -> str:
    # One draw from the system's random source per id, not one per character: every API
    # response carries a fresh Request-Id, and 24 urandom calls each cost more than the rest.
    value = secrets.randbelow(_BASE**length)
    chars = []
    for _ in range(length):
        value, digit = divmod(value, _BASE)
        chars.append(_ALPHABET[digit])
    return f"{prefix}_" + "".join(chars)
