"""Date candidates found by our own patterns, parsed by dateparser restricted to the languages.

dateparser's search_dates mostly hits IBAN groups and amounts on invoices, so we find candidates
ourselves; numeric day/month order is decided per document (see decide_date_order).
"""

from __future__ import annotations

import datetime
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from extract.memo import per_document

_MONTHS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "janvier",
        "janv",
        "januari",
        "enero",
        "ene",
        "gennaio",
        "genn",
        "gen",
        "jänner",
        "jaenner",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "fév",
        "februari",
        "febrero",
        "febbraio",
        "febr",
    ),
    3: ("march", "mar", "märz", "maerz", "mär", "mars", "maart", "mrt", "marzo"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mei", "mayo", "maggio", "mag"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "augustus", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "set"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
    ),
}
MONTH_NUMBER: dict[str, int] = {name: num for num, names in _MONTHS.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(n) for n in MONTH_NUMBER), key=len, reverse=True))

NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.,/-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d|[.,]\d)"
)
ISO_DATE_RE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
TEXT_DMY_RE = re.compile(
    r"(?<![\w])(?P<d>\d{1,2})(?:er|st|nd|rd|th|º|\.)?\s*(?:de\s+)?(?P<mon>"
    + _MONTH_ALT
    + r")\.?,?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
TEXT_MDY_RE = re.compile(
    r"(?<![\w])(?P<mon>" + _MONTH_ALT + r")\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*"
    r"(?P<y>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)

# Tesseract/ISO codes to dateparser's language codes.
DATEPARSER_LANG: dict[str, str] = {
    "eng": "en",
    "deu": "de",
    "fra": "fr",
    "nld": "nl",
    "spa": "es",
    "ita": "it",
}


_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class DateMatch:
    """A date-looking span; `a`/`b` are kept for numeric forms whose order is ambiguous."""

    start: int
    end: int
    text: str
    kind: str  # "numeric" | "iso" | "textual"
    a: int = 0
    b: int = 0
    year: int = 0

    @property
    def ambiguous(self) -> bool:
        return self.kind == "numeric" and self.a <= 12 and self.b <= 12 and self.a != self.b


# The ISO and textual patterns all hold a four-digit year 19xx/20xx; the numeric one need not.
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")


@per_document
def find_dates(text: str) -> list[DateMatch]:
    """Date candidates in a string, without overlaps, in reading order."""
    if not _DIGIT_RE.search(text):
        return []  # every date pattern holds a digit: most labels and words have none
    # Amounts and numbers without a 19xx/20xx year skip the three patterns that need one
    # (the textual ones try a hundred month names at each digit).
    return _dates(text, with_year=_YEAR_RE.search(text) is not None)


def find_dates_ungated(text: str) -> list[DateMatch]:
    """Every pattern on every string: the rule `find_dates` shortcuts."""
    return _dates(text, with_year=True)


def _dates(text: str, with_year: bool) -> list[DateMatch]:
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    year_patterns = (TEXT_DMY_RE, TEXT_MDY_RE) if with_year else ()
    for m in ISO_DATE_RE.finditer(text) if with_year else ():
        found.append(DateMatch(m.start(), m.end(), m.group(0), "iso", year=int(m.group("y"))))
        taken.append((m.start(), m.end()))
    for rx in year_patterns:
        for m in rx.finditer(text):
            if free(m.start(), m.end()):
                found.append(
                    DateMatch(m.start(), m.end(), m.group(0), "textual", year=int(m.group("y")))
                )
                taken.append((m.start(), m.end()))
    for m in NUMERIC_DATE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        year = int(m.group("y"))
        year = year + 2000 if year < 100 else year
        found.append(
            DateMatch(
                m.start(),
                m.end(),
                m.group(0),
                "numeric",
                a=int(m.group("a")),
                b=int(m.group("b")),
                year=year,
            )
        )
        taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


COMPACT_DATE_RE = re.compile(
    r"(?<![\d.,/-])(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def find_compact_dates(text: str) -> list[DateMatch]:
    """YYYYMMDD dates ("20250315"): read only where a date label asks for a date, since the
    same digits elsewhere are as likely an invoice or customer number."""
    out = []
    for m in COMPACT_DATE_RE.finditer(text):
        iso = f"{m.group('y')}-{m.group('m')}-{m.group('d')}"
        out.append(DateMatch(m.start(), m.end(), iso, "iso", year=int(m.group("y"))))
    return out


def decide_date_order(matches: list[DateMatch], month_first_locale: bool) -> tuple[str, str]:
    """Return ("DMY"|"MDY", why): unambiguous numeric dates decide, else the document's locale."""
    dmy = sum(1 for d in matches if d.kind == "numeric" and d.a > 12 >= d.b)
    mdy = sum(1 for d in matches if d.kind == "numeric" and d.b > 12 >= d.a)
    if dmy and not mdy:
        return "DMY", "date_order_from_unambiguous_dates"
    if mdy and not dmy:
        return "MDY", "date_order_from_unambiguous_dates"
    return ("MDY" if month_first_locale else "DMY"), "date_order_from_locale"


_lock = threading.Lock()


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str, languages: tuple[str, ...], order: str) -> datetime.date | None:
    import dateparser  # lazy: importing dateparser costs ~0.3 s

    with _lock:  # dateparser keeps shared caches; keep it single-threaded
        parsed = dateparser.parse(
            text,
            languages=list(languages) or None,
            settings={
                "DATE_ORDER": order,
                "STRICT_PARSING": True,
                "PREFER_LOCALE_DATE_ORDER": False,
                "RELATIVE_BASE": datetime.datetime(2000, 1, 1),
            },
        )
    return parsed.date() if parsed else None


def parse_date(match: DateMatch, order: str, languages: tuple[str, ...]) -> datetime.date | None:
    """Parse a candidate: numeric forms by the document order, textual ones with dateparser."""
    try:
        if match.kind == "iso":
            return datetime.date.fromisoformat(match.text)
        if match.kind == "numeric":
            day, month = (match.a, match.b) if order == "DMY" else (match.b, match.a)
            return datetime.date(match.year, month, day)
    except ValueError:
        return None
    langs = tuple(DATEPARSER_LANG.get(lang, lang) for lang in languages)
    text = re.sub(r"(\d)(er|st|nd|rd|th|º)\b", r"\1", match.text)
    text = re.sub(r"\s+,", ",", text)
    result = _dateparser_parse(text, langs, order)
    if result is None and langs:
        result = _dateparser_parse(text, (), order)
    if result is None:
        result = _fallback_textual(text)
    return result


def _fallback_textual(text: str) -> datetime.date | None:
    """Deterministic parse of '5 März 2025' / 'March 5, 2025' when dateparser declines."""
    for rx in (TEXT_DMY_RE, TEXT_MDY_RE):
        m = rx.search(text)
        if m:
            month = MONTH_NUMBER.get(m.group("mon").lower().rstrip("."))
            if month:
                try:
                    return datetime.date(int(m.group("y")), month, int(m.group("d")))
                except ValueError:
                    return None
    return None
