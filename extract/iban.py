"""IBAN detection with the ISO 13616 mod-97 checksum and per-country lengths."""

from __future__ import annotations

import re

IBAN_LENGTH: dict[str, int] = {
    "AD": 24,
    "AT": 20,
    "BE": 16,
    "BG": 22,
    "CH": 21,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "EE": 20,
    "ES": 24,
    "FI": 18,
    "FR": 27,
    "GB": 22,
    "GI": 23,
    "GR": 27,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IS": 26,
    "IT": 27,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MC": 27,
    "MT": 31,
    "NL": 18,
    "NO": 15,
    "PL": 28,
    "PT": 25,
    "RO": 24,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "VA": 22,
    "AE": 23,
    "SA": 24,
    "TR": 26,
    "IL": 23,
}
# OCR reads digits as look-alike letters ("FRO2", "DEO4"); the check digits are always digits.
_CANDIDATE_RE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}[0-9OQDILSBZG]{2}(?:[ \u00a0]?[A-Z0-9]){10,30})")
# Countries whose account part (BBAN) is digits only.
NUMERIC_BBAN = frozenset(
    (
        "AT",
        "BE",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "HR",
        "HU",
        "LT",
        "NO",
        "PL",
        "PT",
        "SE",
        "SI",
        "SK",
    )
)
_AS_DIGIT = str.maketrans("OQDILSBZG", "000115826")


def iban_checksum_ok(iban: str) -> bool:
    """True when the compact IBAN has its country's length and passes mod-97."""
    iban = iban.replace(" ", "").upper()
    country = iban[:2]
    if IBAN_LENGTH.get(country) != len(iban) or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[tuple[int, int, str]]:
    """Checksum-valid IBANs in free text as (start, end, compact IBAN)."""
    found: list[tuple[int, int, str]] = []
    for m in _CANDIDATE_RE.finditer(text.upper()):
        raw = m.group(1)
        length = IBAN_LENGTH.get(raw[:2])
        if length is None:
            continue
        compact = ""
        end = m.start(1)
        for i, ch in enumerate(raw):
            if ch not in " \u00a0":
                compact += ch
            if len(compact) == length:
                end = m.start(1) + i + 1
                break
        if len(compact) != length:
            continue
        for repaired in _readings(compact):
            if iban_checksum_ok(repaired):
                found.append((m.start(1), end, repaired))
                break
    return found


def _readings(compact: str) -> list[str]:
    """The IBAN as read, then with OCR look-alikes read as digits: in the check digits only,
    then in the whole account number too. Only the mod-97 checksum accepts a repair (a wrong
    one passes with odds of 1 in 97 per reading)."""
    head = compact[:2] + compact[2:4].translate(_AS_DIGIT)
    out = [compact, head + compact[4:]]
    if compact[:2] in NUMERIC_BBAN:  # a letter in their account number is a misread digit
        out.append(head + compact[4:].translate(_AS_DIGIT))
    return list(dict.fromkeys(r for r in out if r[2:4].isdigit()))
