"""The account's review threshold: extractions scoring below it go to a person.

The results stage reads it per message through `threshold_for`, so a change through the API
or the workbench applies to the next routed invoice, with no restart.
"""

from __future__ import annotations

import math

from sqlalchemy.orm import Session

from models.accounts import Account
from models.errors import InvalidRequest, NotFound


def effective_threshold(account_threshold: float | None, default: float) -> float:
    return default if account_threshold is None else account_threshold


def threshold_for(session: Session, account_id: str, default: float) -> float:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound.for_id("account", account_id)
    return effective_threshold(account.review_threshold, default)


def validate_threshold(value: float) -> float:
    if isinstance(value, bool) or not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise InvalidRequest(
            f"Invalid review_threshold: {value!r} must be between 0 and 1 "
            "(0 sends nothing to review, 1 sends everything).",
            param="review_threshold",
        )
    return round(float(value), 4)
