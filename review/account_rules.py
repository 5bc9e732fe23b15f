"""Reading and changing an account's automation rules and review threshold, with their audit.

Every change is recorded (who: the API key or ops user, when, from → to), whichever door it
came through: `/v1/account/settings` or the workbench settings page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import currencies
from models.accounts import Account, SettingChange
from models.alias_invoices import AliasInvoice
from models.customers import EmailAlias
from models.errors import InvalidRequest, NotFound
from models.ids import new_id
from review.rules import Rules, Sender
from review.thresholds import validate_threshold

MAX_TRUSTED = 50
_ADDRESS = re.compile(r"^[^@\s]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}$")
_DOMAIN = re.compile(r"^(?:[a-z0-9-]{1,63}\.)+[a-z]{2,63}$")
# Ingest's sender_auth verdict that proves the sender (anything else, when recorded, does not).
AUTHENTICATED = ("pass",)


def _account(session: Session, account_id: str, *, lock: bool = False) -> Account:
    account = session.get(Account, account_id, with_for_update=lock)
    if account is None:
        raise NotFound.for_id("account", account_id)
    return account


def rules_for(session: Session, account_id: str) -> Rules:
    return Rules.from_json(_account(session, account_id).automation_rules)


def sender_of(row: AliasInvoice) -> Sender:
    """The sender of an alias invoice; authenticated is None when ingest did not check it
    (no record, or the verdict `none` of CASAPAY_SENDER_AUTH=off)."""
    auth = row.sender_auth
    verdict = auth.get("verdict") if isinstance(auth, Mapping) else None
    authenticated = None if verdict in (None, "none") else verdict in AUTHENTICATED
    return Sender(row.email_alias_id, row.sender_email, authenticated)


def _limits(value: Any) -> dict[str, int]:
    if value in ("", None):
        return {}
    if not isinstance(value, Mapping):
        raise InvalidRequest(
            "Invalid max_auto_amount: a map of currency to amount in minor units, e.g. "
            "max_auto_amount[eur]=100000.",
            param="max_auto_amount",
        )
    limits = {}
    for code, amount in value.items():
        param = f"max_auto_amount[{code}]"
        currency = currencies.normalise(code)
        if currency is None:
            raise InvalidRequest(
                f"Invalid {param}: {code!r} is not an ISO 4217 currency code.", param=param
            )
        if amount in ("", None):
            continue  # an empty value removes that currency's limit
        try:
            minor = int(amount)
        except (TypeError, ValueError):
            minor = -1
        if isinstance(amount, bool) or not 0 <= minor <= currencies.MAX_AMOUNT:
            raise InvalidRequest(
                f"Invalid {param}: an amount in minor units from 0 to {currencies.MAX_AMOUNT}.",
                code="parameter_invalid_integer",
                param=param,
            )
        limits[currency] = minor
    return limits


def _currencies(value: Any) -> list[str]:
    if value in ("", None):
        return []
    if not isinstance(value, list):
        value = [value]
    found = []
    for i, code in enumerate(value):
        currency = currencies.normalise(code)
        if currency is None:
            raise InvalidRequest(
                f"Invalid allowed_currencies[{i}]: {code!r} is not an ISO 4217 currency code.",
                param=f"allowed_currencies[{i}]",
            )
        if currency not in found:
            found.append(currency)
    return found


def _trusted(session: Session, account_id: str, value: Any) -> dict[str, list[str]]:
    if value in ("", None):
        return {}
    if not isinstance(value, Mapping):
        raise InvalidRequest(
            "Invalid trusted_senders: a map of alias id to addresses or domains, e.g. "
            "trusted_senders[alias_123][]=billing@landlord.example.",
            param="trusted_senders",
        )
    out: dict[str, list[str]] = {}
    for alias_id, entries in value.items():
        param = f"trusted_senders[{alias_id}]"
        owner = session.scalar(select(EmailAlias.account_id).where(EmailAlias.id == alias_id))
        if owner != account_id:
            raise InvalidRequest(
                f"Invalid {param}: no such email alias: {alias_id!r}.",
                code="resource_missing",
                param=param,
            )
        items = [] if entries in ("", None) else entries if isinstance(entries, list) else [entries]
        clean = []
        for entry in items:
            text = str(entry).strip().lower()
            if not (_ADDRESS.match(text) or _DOMAIN.match(text)):
                raise InvalidRequest(
                    f"Invalid {param}: {entry!r} is neither an email address nor a domain.",
                    param=param,
                )
            if text not in clean:
                clean.append(text)
        if len(clean) > MAX_TRUSTED:
            raise InvalidRequest(
                f"Invalid {param}: at most {MAX_TRUSTED} addresses or domains.", param=param
            )
        if clean:
            out[alias_id] = clean
    return out


def _boolean(param: str) -> Callable[[Any], bool]:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise InvalidRequest(
            f"Invalid {param}: must be a boolean.", code="parameter_invalid_boolean", param=param
        )

    return parse


_UNSET: Any = object()


def update_settings(
    session: Session,
    account_id: str,
    *,
    actor: str,
    now: int,
    review_threshold: float | None = _UNSET,
    rules: Mapping[str, Any] | None = None,
) -> Account:
    """Apply the given settings (others keep their value) and audit each one that changed.
    `review_threshold=None` returns to the installation default."""
    account = _account(session, account_id, lock=True)
    changes: list[tuple[str, Any, Any]] = []
    if review_threshold is not _UNSET:
        new = None if review_threshold is None else validate_threshold(review_threshold)
        changes.append(("review_threshold", account.review_threshold, new))
        account.review_threshold = new
    if rules:
        current = Rules.from_json(account.automation_rules).to_json()
        updated = dict(current)
        parsers = {
            "max_auto_amount": _limits,
            "allowed_currencies": _currencies,
            "trusted_senders": lambda v: _trusted(session, account_id, v),
            "first_invoice_from_vendor_review": _boolean("first_invoice_from_vendor_review"),
            "first_time_sender_review": _boolean("first_time_sender_review"),
        }
        for name, value in rules.items():
            updated[name] = parsers[name](value)
            changes.append((name, current.get(name), updated[name]))
        account.automation_rules = updated
    for setting, old, new in changes:
        if old != new:
            session.add(
                SettingChange(
                    id=new_id("setchg"),
                    account_id=account_id,
                    setting=setting,
                    old_value=old,
                    new_value=new,
                    actor=actor,
                    created=now,
                )
            )
    session.flush()
    return account


def setting_changes(session: Session, account_id: str, limit: int = 100) -> list[SettingChange]:
    """The audit, newest first."""
    return list(
        session.scalars(
            select(SettingChange)
            .where(SettingChange.account_id == account_id)
            .order_by(SettingChange.seq.desc())
            .limit(limit)
        )
    )


def change_json(change: SettingChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "object": "account_setting_change",
        "setting": change.setting,
        "from": change.old_value,
        "to": change.new_value,
        "actor": change.actor,
        "created": change.created,
    }
