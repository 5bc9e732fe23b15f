"""The one money table: ISO 4217 currency codes, their minor units, and how people read them.

Every path that turns an amount into integers or back asks this module: extract (parsing),
billing (math, PDF, mail), review (corrections), the API (validation), the workbench and the
hosted page. Pure: no database, no clock, no settings.

Source: Unicode CLDR through babel. pycountry (Debian's iso-codes) lists ISO 4217 codes and names
but carries no minor units, so it cannot be the source of exponents; CLDR has both. The codes are
those CLDR records as legal tender somewhere on or after 2020-01-01 (a fixed date, so the table
does not change under a running process; recently replaced currencies such as HRK or BGN stay
accepted for old bills). Funds codes, metals and test codes (XAU, XTS, …) are not money a tenant
pays, so they are not here.

Two numbers per currency:
- `exponent`: minor units on the wire (1 major = 10**exponent). This is Stripe's API convention,
  because our API is Stripe-shaped and integrators hand our amounts to Stripe-style tools as they
  are. It is CLDR's digits except where Stripe differs (STRIPE_TWO_DECIMAL below).
- `digits`: the decimals a person reads and types (CLDR). Formatting shows these; parsing uses
  them to tell "1.500" (three decimals in KWD, a thousands group in EUR or ISK) apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel import numbers as babel_numbers
from babel.core import get_global

# CLDR shows these without decimals, but Stripe's API takes them as two-decimal currencies
# ("ISK will remain a two-decimal currency in the Stripe API, and an ISK amount of 100 will
# continue to represent 1 króna"; HUF, IDR, COP, … are two-decimal there too). We follow Stripe
# so that an amount read from our API means the same thing in a Stripe-style client.
STRIPE_TWO_DECIMAL = frozenset(
    {"afn", "all", "cop", "huf", "idr", "isk", "lak", "lbp", "mmk", "sll", "sos", "yer"}
)
# Stripe's zero- and three-decimal lists agree with CLDR's digits for every one of their codes
# (BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF; BHD JOD KWD OMR TND); a test
# keeps that true when babel brings newer CLDR data.
STRIPE_ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga"}
    | {"pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)
STRIPE_THREE_DECIMAL = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})

# Exponent when no currency is known yet (an amount read before its currency): CLDR's default.
DEFAULT_EXPONENT = 2
# Upper bound for any single amount: keeps products far inside a signed 64-bit column.
MAX_AMOUNT = 99_999_999_999
_TENDER_SINCE = dt.date(2020, 1, 1)


class UnknownCurrency(ValueError):
    """Not an ISO 4217 code of a currency in use."""


@dataclass(frozen=True)
class Currency:
    code: str  # lower case, as on the wire
    exponent: int
    digits: int
    name: str

    @property
    def factor(self) -> int:
        return 10**self.exponent


@cache
def _table() -> dict[str, Currency]:
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(
            babel_numbers.get_territory_currencies(
                territory, _TENDER_SINCE, dt.date(9999, 12, 31), tender=True
            )
        )
    table = {}
    for upper in sorted(codes):
        code = upper.lower()
        digits = babel_numbers.get_currency_precision(upper)
        exponent = 2 if code in STRIPE_TWO_DECIMAL else digits
        name = babel_numbers.get_currency_name(upper, locale="en")
        table[code] = Currency(code, exponent, digits, name)
    return table


def all_currencies() -> list[Currency]:
    return list(_table().values())


def codes() -> frozenset[str]:
    return frozenset(_table())


def normalise(code: object) -> str | None:
    """'EUR', ' eur ' → 'eur'; None when it is not a currency we know."""
    if not isinstance(code, str):
        return None
    clean = code.strip().lower()
    return clean if clean in _table() else None


def get(code: str) -> Currency:
    found = normalise(code)
    if found is None:
        raise UnknownCurrency(f"{code!r} is not an ISO 4217 currency code (e.g. eur)")
    return _table()[found]


def is_currency(code: object) -> bool:
    return normalise(code) is not None


def exponent(code: str | None) -> int:
    """Minor-unit exponent; an unknown or missing currency counts as two decimals."""
    found = normalise(code)
    return _table()[found].exponent if found else DEFAULT_EXPONENT


def digits(code: str | None) -> int:
    found = normalise(code)
    return _table()[found].digits if found else DEFAULT_EXPONENT


def to_minor(value: Decimal, code: str | None) -> int:
    """A major-unit decimal as integer minor units, rounding half up (away from zero)."""
    scaled = value * (Decimal(10) ** exponent(code))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_major(amount: int, code: str | None) -> Decimal:
    return Decimal(amount).scaleb(-exponent(code))


def _shown_places(amount: int, code: str | None) -> int:
    """CLDR's digits, unless the amount has finer minor units (then nothing is hidden)."""
    exp, shown = exponent(code), digits(code)
    if shown < exp and amount % 10 ** (exp - shown):
        return exp
    return min(shown, exp)


def format_plain(amount: int, code: str | None) -> str:
    """Minor units → what an input field shows: 125000 eur → '1250.00', 1500000 isk → '15000'."""
    places = _shown_places(amount, code)
    return f"{to_major(amount, code):.{places}f}"


def format_amount(amount: int, code: str | None) -> str:
    """For pages, PDFs and mails: 125000 eur → '1,250.00 EUR', 1000 clp → '1,000 CLP'."""
    places = _shown_places(amount, code)
    text = f"{to_major(amount, code):,.{places}f}"
    return f"{text} {(code or '').upper()}".strip()


class AmountSyntaxError(ValueError):
    """Text a person typed that is not an amount in the currency."""


_SEPARATORS = re.compile(r"[\s'’_\u00a0\u202f]")


def parse_amount(text: str, code: str | None) -> int:
    """What a person types, in major units, → minor units. "1,250.00", "1 250,5", "1250".

    A single '.' or ',' followed by exactly three digits is a thousands group unless the currency
    has three decimals ("1.500" is 1.5 KWD but 1,500 EUR); with two marks the last one is the
    decimal mark. More decimals than the currency's minor unit is an error, never rounded.
    """
    raw = _SEPARATORS.sub("", text.strip())
    negative = raw.startswith("-")
    raw = raw[1:] if raw[:1] in {"-", "+"} else raw
    if not raw or not re.fullmatch(r"[\d.,]+", raw) or not raw[0].isdigit():
        raise AmountSyntaxError(f"{text!r} is not an amount")
    marks = [c for c in raw if c in ".,"]
    whole, frac = raw, ""
    if marks:
        last = max(raw.rfind("."), raw.rfind(","))
        tail = raw[last + 1 :]
        head = raw[:last]
        single_group = len(marks) == 1 and len(tail) == 3 and digits(code) != 3 and head != "0"
        repeated = len(marks) > 1 and len(set(marks)) == 1
        if not (single_group or repeated):
            whole, frac = raw[:last], tail
    grouped = re.fullmatch(r"\d+|\d{1,3}([.,]\d{3})+", whole or "0")
    if not grouped or (frac and not frac.isdigit()) or len(set(re.sub(r"\d", "", whole))) > 1:
        raise AmountSyntaxError(f"{text!r} is not an amount")
    if len(frac) > exponent(code):
        raise AmountSyntaxError(
            f"{text!r} has more decimals than {(code or '').upper() or 'the currency'} allows"
        )
    try:
        value = Decimal(f"{whole.replace(',', '').replace('.', '') or '0'}.{frac or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the regexes above rule this out
        raise AmountSyntaxError(f"{text!r} is not an amount") from exc
    minor = to_minor(value, code)
    return -minor if negative else minor
