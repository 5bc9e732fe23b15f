"""Amount parsing for European and Anglo-Saxon number formats (minor units: models.currencies).

Invoices print 1.234,56 (de/nl/es/it), 1 234,56 (fr), 1,234.56 (en) and 1'234.50 (ch); the
parser decides the decimal mark from the string itself so one document may mix formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extract.memo import per_document
from models.currencies import to_minor

# Thousands groups may be separated by . , ' ’ or a (thin/no-break) space.
_NUM = r"\d{1,3}(?:(?:[.,'’]|[ \u00a0\u202f])\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?"
AMOUNT_RE = re.compile(
    r"(?<![\w.,/:-])"
    r"(?P<neg>[-−–]\s?|\()?"
    r"(?P<num>" + _NUM + r")"
    r"(?P<trail>-(?!\d)|\))?"
    r"(?![\w/%]|[.,]\d|\s?%|[.:]\d)"
)

__all__ = ["AmountMatch", "find_amounts", "parse_number", "to_minor"]  # to_minor: models.currencies


@dataclass(frozen=True)
class AmountMatch:
    """A number found in a string, with its decimal count (2 decimals look like money)."""

    start: int
    end: int
    value: Decimal
    decimals: int


_NOT_NUMERIC_RE = re.compile(r"[^\d.,' ]")
_GROUP_MARK_RE = re.compile(r"[.,' ]")


def parse_number(token: str) -> tuple[Decimal, int] | None:
    """Parse one numeric token (no currency) into (value, decimals), or None if malformed."""
    s = token.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s[:1] in "-−–":
        negative, s = True, s[1:].strip()
    elif s.endswith("-"):
        negative, s = True, s[:-1].strip()
    s = s.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    if not s or not s[0].isdigit() or not s[-1].isdigit():
        return None
    if _NOT_NUMERIC_RE.search(s):
        return None
    marks = [c for c in s if c in ".,"]
    decimal_mark: str | None = None
    if len(set(marks)) == 2:
        decimal_mark = s[max(s.rfind("."), s.rfind(","))]
    elif len(marks) == 1:
        tail = s.rsplit(marks[0], 1)[1]
        head = s.rsplit(marks[0], 1)[0]
        # 1.234 / 1,234 is a thousands group; 0,500 and 9,9000 are decimals.
        if len(tail) != 3 or head.replace(" ", "").replace("'", "") == "0":
            decimal_mark = marks[0]
    int_part, frac = s.rsplit(decimal_mark, 1) if decimal_mark else (s, "")
    groups = _GROUP_MARK_RE.split(int_part)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    if decimal_mark and any(c in ".," for c in frac):
        return None
    digits = "".join(groups) + ("." + frac if frac else "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return (-value if negative else value), len(frac)


# Clock times and opening hours ("9.00-17.00", "8:30 - 16.00 Uhr") are not money.
_TIME_RANGE_RE = re.compile(
    r"(?<![\d.,])(?:[01]?\d|2[0-3])[.:][0-5]\d\s*(?:-|–|to|bis|a|à|tot|alle)\s*"
    r"(?:[01]?\d|2[0-3])[.:][0-5]\d(?![\d.,])"
)


_DIGIT_RE = re.compile(r"\d")


@per_document
def find_amounts(text: str) -> list[AmountMatch]:
    """All numbers in a string that parse as amounts (percentages, dates, times excluded)."""
    found: list[AmountMatch] = []
    if not _DIGIT_RE.search(text):
        return found  # an amount holds a digit: most labels and words have none
    times = [(m.start(), m.end()) for m in _TIME_RANGE_RE.finditer(text)]
    for m in AMOUNT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in times):
            continue
        token = m.group(0)
        if m.group("neg") == "(" and not m.group("trail"):
            token = token[1:]
        parsed = parse_number(token)
        if parsed is None:
            continue
        found.append(AmountMatch(m.start(), m.end(), parsed[0], parsed[1]))
    return found
