"""Secret API keys: `sk_test_...` / `sk_live_...`; only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts import Account, ApiKey
from models.ids import new_id


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_account(session: Session, name: str, now: int) -> Account:
    account = Account(id=new_id("acct", 16), name=name, review_threshold=None, created=now)
    session.add(account)
    session.flush()
    return account


def create_key(session: Session, account_id: str, *, livemode: bool, now: int) -> str:
    """Make a key and return the secret; it is shown once and never stored in clear."""
    secret = ("sk_live_" if livemode else "sk_test_") + secrets.token_urlsafe(24).replace("-", "x")
    session.add(
        ApiKey(
            id=new_id("key", 16),
            account_id=account_id,
            livemode=livemode,
            key_hash=hash_key(secret),
            last4=secret[-4:],
            created=now,
            revoked=False,
        )
    )
    session.flush()
    return secret


def find_key(session: Session, secret: str) -> ApiKey | None:
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(secret)))
    if key is None or key.revoked:
        return None
    return key
