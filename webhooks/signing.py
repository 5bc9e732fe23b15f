"""Stripe's signing scheme, under our header name: `CasaPay-Signature: t=<unix>,v1=<hex>` where
hex is HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's whole `whsec_…` secret. Pure."""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "CasaPay-Signature"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature_header(body: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
