"""How the workbench shows and reads money, ages and values (reviewers type major units)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from models import currencies

AmountError = currencies.AmountSyntaxError


def money_input(amount: Any, currency: str | None) -> str:
    """Minor units → the text an input shows ("1250.00"); blank when unknown."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        return ""
    return currencies.format_plain(amount, currency)


def money(amount: Any, currency: str | None) -> str:
    """Minor units → "1,250.00 EUR" for reading."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        return "—"
    return currencies.format_amount(amount, currency)


def parse_money(text: str, currency: str | None) -> int:
    """What a reviewer typed, in major units as invoices print them, → minor units."""
    return currencies.parse_amount(text, currency)


def age(created: int, now: int) -> str:
    seconds = max(0, now - created)
    if seconds < 60:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return "just now"


def when(ts: int | None) -> str:
    if ts is None:
        return "—"
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def confidence_class(conf: float | None) -> str:
    if conf is None:
        return "conf-none"
    if conf < 0.5:
        return "conf-low"
    if conf < 0.8:
        return "conf-mid"
    return "conf-high"


def shown(value: Any) -> str:
    """An audit-trail value as a reviewer reads it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list):
        return (
            "; ".join(
                f"{li.get('description')}: {li.get('amount')}" if isinstance(li, dict) else str(li)
                for li in value
            )
            or "(none)"
        )
    return str(value)


FILTERS = {
    "money": money,
    "money_input": money_input,
    "when": when,
    "conf_class": confidence_class,
    "shown": shown,
}
