"""How the workbench shows and reads money, ages and values (reviewers type major units)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from review.corrections import ZERO_DECIMAL


class AmountError(ValueError):
    pass


def decimals(currency: str | None) -> int:
    return 0 if (currency or "").lower() in ZERO_DECIMAL else 2


def money_input(amount: Any, currency: str | None) -> str:
    """Minor units → the text an input shows ("1250.00"); blank when unknown."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        return ""
    places = decimals(currency)
    return f"{Decimal(amount) / (10**places):.{places}f}"


def money(amount: Any, currency: str | None) -> str:
    """Minor units → "1,250.00 EUR" for reading."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        return "—"
    places = decimals(currency)
    value = Decimal(amount) / (10**places)
    return f"{value:,.{places}f} {(currency or '').upper()}".strip()


_SEPARATORS = re.compile(r"[\s'’_]")


def parse_money(text: str, currency: str | None) -> int:
    """ "1,250.00", "1 250,5", "1250" → minor units; the last '.' or ',' followed by one or two
    digits is the decimal mark, any other is a thousands separator."""
    raw = _SEPARATORS.sub("", text.strip())
    negative = raw.startswith("-")
    raw = raw[1:] if raw[:1] in {"-", "+"} else raw
    if not raw or not re.fullmatch(r"[\d.,]+", raw):
        raise AmountError(f"{text!r} is not an amount")
    match = re.search(r"[.,](\d{1,2})$", raw)
    if match:
        whole, frac = raw[: match.start()], match.group(1)
    else:
        whole, frac = raw, ""
    if not re.fullmatch(r"\d+|\d{1,3}([.,]\d{3})+", whole or "0"):
        raise AmountError(f"{text!r} is not an amount")
    whole = whole.replace(",", "").replace(".", "")
    places = decimals(currency)
    if len(frac) > places:
        raise AmountError(f"{text!r} has more decimals than {(currency or '').upper()} allows")
    try:
        value = Decimal(f"{whole or '0'}.{frac or '0'}")
    except InvalidOperation as exc:
        raise AmountError(f"{text!r} is not an amount") from exc
    minor = int(value * (10**places))
    return -minor if negative else minor


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
