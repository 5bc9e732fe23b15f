"""How a locale prints money and dates: the formatting both generators share (dev set, fixtures).

Invoices print 1.234,56 (de/nl/es/it), 1 234,56 (fr), 1,234.56 (en) and 1'234.50 (ch); dates
as 05.03.2025, 05/03/2025, 03/05/2025 (US), 2025-03-05, 5 March 2025, March 5, 2025 or 20250305.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

MoneyFormat = Callable[[int], str]
DateFormat = Callable[[datetime.date], str]


def _grouped(cents: int, group: str, decimal: str) -> str:
    units, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return sign + f"{units:,}".replace(",", group) + f"{decimal}{frac:02d}"


def fmt_de(cents: int) -> str:
    return _grouped(cents, ".", ",")


def fmt_fr(cents: int) -> str:
    return _grouped(cents, " ", ",")


def fmt_en(cents: int) -> str:
    return _grouped(cents, ",", ".")


def fmt_ch(cents: int) -> str:
    return _grouped(cents, "'", ".")


def fmt_plain_comma(cents: int) -> str:
    """No thousands separator, decimal comma (ERP print-outs)."""
    return _grouped(cents, "", ",")


def fmt_plain_dot(cents: int) -> str:
    return _grouped(cents, "", ".")


MONEY_FORMATS: dict[str, MoneyFormat] = {
    "de": fmt_de,
    "fr": fmt_fr,
    "en": fmt_en,
    "ch": fmt_ch,
    "plain_comma": fmt_plain_comma,
    "plain_dot": fmt_plain_dot,
}


def _names(words: str) -> list[str]:
    return words.split()


MONTHS: dict[str, list[str]] = {
    "en": _names(
        "January February March April May June July August September October November December"
    ),
    "de": _names(
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
    ),
    "fr": _names(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    "nl": _names(
        "januari februari maart april mei juni juli augustus september oktober november december"
    ),
    "es": _names(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    "it": _names(
        "gennaio febbraio marzo aprile maggio giugno "
        "luglio agosto settembre ottobre novembre dicembre"
    ),
}


def de_date(x: datetime.date) -> str:
    return x.strftime("%d.%m.%Y")


def fr_date(x: datetime.date) -> str:
    return x.strftime("%d/%m/%Y")


def us_date(x: datetime.date) -> str:
    return x.strftime("%m/%d/%Y")


def iso_date(x: datetime.date) -> str:
    return x.isoformat()


def compact_date(x: datetime.date) -> str:
    return x.strftime("%Y%m%d")


def dash_date(x: datetime.date) -> str:
    return x.strftime("%d-%m-%Y")


def short_year_date(x: datetime.date) -> str:
    return x.strftime("%d.%m.%y")


def en_long(x: datetime.date) -> str:
    return f"{MONTHS['en'][x.month - 1]} {x.day}, {x.year}"


def en_day_first(x: datetime.date) -> str:
    return f"{x.day} {MONTHS['en'][x.month - 1]} {x.year}"


def long_date(lang: str) -> DateFormat:
    """The language's written-out date ("5. März 2025", "5 de marzo de 2025", "5 mars 2025")."""
    months = MONTHS[lang]

    def fmt(x: datetime.date) -> str:
        month = months[x.month - 1]
        if lang == "de":
            return f"{x.day}. {month} {x.year}"
        if lang == "es":
            return f"{x.day} de {month} de {x.year}"
        if lang == "en":
            return en_long(x)
        return f"{x.day} {month} {x.year}"

    return fmt


def es_long(x: datetime.date) -> str:
    return long_date("es")(x)


def it_long(x: datetime.date) -> str:
    return long_date("it")(x)
