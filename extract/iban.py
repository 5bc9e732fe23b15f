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
_CANDIDATE_RE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){10,30})")


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
        if len(compact) == length and iban_checksum_ok(compact):
            found.append((m.start(1), end, compact))
    return found
