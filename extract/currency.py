"""The invoice's currency: a declared one ("Währung: EUR") wins, else ISO codes and symbols,
weighted towards the total's line."""

from __future__ import annotations

import re

from extract.candidates import Candidate
from extract.layout import BBox, PageLayout
from extract.lexicon import fold
from extract.literals import alternation
from extract.memo import per_document
from extract.textfields import Found

_CURRENCY_CODES = (
    "eur",
    "usd",
    "gbp",
    "chf",
    "inr",
    "myr",
    "jpy",
    "sek",
    "nok",
    "dkk",
    "pln",
    "czk",
    "huf",
    "cad",
    "aud",
    "sgd",
    "cny",
    # Zero- and three-decimal currencies (models.currencies): reading their code decides the
    # amounts' minor units, so an ISK or CLP bill must not fall back to the default. Not BHD:
    # "Sdn Bhd" ends every Malaysian company name.
    "isk",
    "clp",
    "krw",
    "vnd",
    "jod",
    "kwd",
    "omr",
    "tnd",
)
_CURRENCY_RE = re.compile(
    r"(?P<sym>€|£|₹|¥|US\$|CA\$|C\$|A\$|AU\$|S\$|\$)|\b(?P<code>"
    + "|".join(_CURRENCY_CODES)
    + r")\b|\b(?P<word>euros?|rs\.?|rm|inr|dollars?)(?=[\s\d:.(]|$)",
    re.I,
)


_WORDS = ("euro", "rs", "rm", "inr", "dollar")  # each word form holds one of these
# A symbol holds one of these characters, a code or word one of these letter runs (in any
# case, as the pattern reads them): a string without any holds no currency mark.
_CURRENCY_GATE_RE = re.compile("[€£₹¥$]|" + alternation((*_CURRENCY_CODES, *_WORDS)), re.I)


@per_document
def currency_marks(text: str) -> list[tuple[str, str, int, int]]:
    """Each currency mark in the text: its kind ("sym" | "code" | "word"), the text matched,
    start and end. Read once per segment: the currency and the printed currencies both ask."""
    if not _CURRENCY_GATE_RE.search(text):
        return []
    return currency_marks_ungated(text)


def currency_marks_ungated(text: str) -> list[tuple[str, str, int, int]]:
    """The pattern on every string: the rule `currency_marks` shortcuts."""
    out = []
    for m in _CURRENCY_RE.finditer(text):
        group = "sym" if m.group("sym") else "code" if m.group("code") else "word"
        out.append((group, m.group(group), m.start(), m.end()))
    return out


_SYMBOL = {
    "€": "eur",
    "£": "gbp",
    "₹": "inr",
    "¥": "jpy",
    "$": "usd",
    "us$": "usd",
    "ca$": "cad",
    "c$": "cad",
    "a$": "aud",
    "au$": "aud",
    "s$": "sgd",
}
_WORD = {
    "euro": "eur",
    "euros": "eur",
    "rs": "inr",
    "rs.": "inr",
    "rm": "myr",
    "inr": "inr",
    "dollar": "usd",
    "dollars": "usd",
}


# Where a checksum-valid IBAN's country pays in one currency, it corroborates a symbol.
_IBAN_CURRENCY = {
    **dict.fromkeys(
        [
            "AT",
            "BE",
            "CY",
            "DE",
            "EE",
            "ES",
            "FI",
            "FR",
            "GR",
            "HR",
            "IE",
            "IT",
            "LT",
            "LU",
            "LV",
            "MC",
            "MT",
            "NL",
            "PT",
            "SI",
            "SK",
            "SM",
            "VA",
            "AD",
        ],
        "eur",
    ),
    "GB": "gbp",
    "CH": "chf",
    "LI": "chf",
}


def detect_currency(
    pages: list[PageLayout], total: Candidate | None, iban: str | None = None
) -> Found | None:
    """Currency from ISO codes and symbols, weighted towards those on the total's line.

    A symbol is one glyph, and OCR confuses glyphs (a rupee sign read as "$"): when the only
    evidence is symbols read by OCR, the currency is weak unless the payee's IBAN country
    uses that currency.
    """
    votes: dict[str, float] = {}
    near_total: dict[str, float] = {}
    evidence: dict[str, tuple[int, BBox, str]] = {}
    kinds: dict[str, set[str]] = {}
    for page in pages:
        for line in page.lines:
            on_total_line = (
                total is not None
                and page.number == total.page
                and any(abs(s.top - total.bbox[1]) < 3 for s in line.segments)
            )
            for seg in line.segments:
                for group, found, start, end in currency_marks(seg.text):
                    if group == "sym":
                        cur, weight = _SYMBOL[found.lower()], 1.0
                    elif group == "code":
                        cur, weight = found.lower(), 1.5
                    else:
                        word = found.lower()
                        if word == "rm" and not re.search(r"\d", seg.text):
                            continue
                        cur, weight = _WORD[word], 0.7
                    votes[cur] = votes.get(cur, 0.0) + weight
                    source = seg.words[0].source
                    kind = "symbol" if group == "sym" else "word"
                    kinds.setdefault(cur, set()).add(f"{kind}:{source}")
                    if on_total_line:
                        near_total[cur] = near_total.get(cur, 0.0) + weight
                    evidence.setdefault(
                        cur, (page.number, seg.bbox(start, end), seg.words[0].source)
                    )
    declared = _declared_currency(pages)
    if declared is not None:
        return declared
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if near_total:
        cur = max(sorted(near_total), key=lambda c: near_total[c])
        conf = 0.97
    else:
        cur, count = ranked[0]
        conf = 0.9 if count >= 2 else 0.8
    reasons: tuple[str, ...] = ()
    if len(ranked) > 1:
        second = ranked[1] if ranked[0][0] == cur else ranked[0]
        if second[1] >= votes[cur] * 0.5 and not near_total:
            conf -= 0.2
            reasons = ("several_currencies_on_document",)
    page_no, bbox, source = evidence[cur]
    if kinds.get(cur) == {"symbol:ocr"}:
        countries = {iban[:2]} if iban is not None else set(labelled_iban_countries(pages))
        if countries and all(_IBAN_CURRENCY.get(c) == cur for c in countries):
            reasons += ("currency_symbol_agrees_with_iban_country",)
        else:
            conf = min(conf, 0.6)
            reasons += ("currency_symbol_read_by_ocr_only",)
    return Found(cur, conf, page_no, bbox, source, reasons)


_LABELLED_IBAN_RE = re.compile(r"\biban\W{0,3}([a-z]{2})[0-9oqdilsbzg]{2}\b")


def labelled_iban_countries(pages: list[PageLayout]) -> tuple[str, ...]:
    """Country codes of IBANs printed after an "IBAN" label, read even where OCR garbled the
    account digits (their checksum then fails): the payee's country is a second glyph read,
    independent of the currency symbol's."""
    from extract.iban import IBAN_LENGTH

    found = []
    for page in pages:
        for line in page.lines:
            for m in _LABELLED_IBAN_RE.finditer(fold(line.text)):
                country = m.group(1).upper()
                if country in IBAN_LENGTH:
                    found.append(country)
    return tuple(dict.fromkeys(found))


def printed_currencies(pages: list[PageLayout]) -> tuple[str, ...]:
    """Distinct currencies printed in segments that also hold an amount."""
    from extract.numbers import find_amounts

    seen: set[str] = set()
    for page in pages:
        for seg in page.segments():
            matches = currency_marks(seg.text)
            if not matches or not any(a.decimals == 2 for a in find_amounts(seg.text)):
                continue
            for group, found, _start, _end in matches:
                if group == "sym":
                    seen.add(_SYMBOL[found.lower()])
                elif group == "code":
                    seen.add(found.lower())
    return tuple(sorted(seen))


_CURRENCY_LABEL_RE = re.compile(
    r"\b(?:wahrung|currency|devise|valuta|moneda|divisa|betrage in|amounts in|montants en)\b"
    r"[^a-z0-9]{0,30}?(?:[a-z]+\s*\()?\b(?P<code>" + "|".join(_CURRENCY_CODES) + r")\b"
)


def _declared_currency(pages: list[PageLayout]) -> Found | None:
    """A currency stated with its label ("Währung: EUR", "Devise : EURO (EUR)")."""
    for page in pages[:2]:
        for line in page.lines:
            folded = fold(line.text)
            m = _CURRENCY_LABEL_RE.search(folded)
            if m:
                seg = line.segments[0]
                return Found(
                    m.group("code"),
                    0.97,
                    page.number,
                    seg.bbox(),
                    seg.words[0].source,
                    ("currency_declared",),
                )
    return None
