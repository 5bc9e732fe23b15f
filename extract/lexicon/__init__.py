"""Label vocabulary in six languages (en, de, fr, nl, es, it), accent-folded and lower-case,
organised by concern: amounts, dates, identifiers, document kinds.

Longer phrases win over shorter ones at match time, so "total ht" (a net amount) beats "total",
and negative classes (customer number, delivery date, levies...) keep generic words from being
misread.
"""

from __future__ import annotations

import unicodedata

from extract.lexicon import amounts, dates, identifiers
from extract.lexicon.documents import DOC_WORDS, STOPWORDS

LABELS: dict[str, tuple[str, ...]] = {**amounts.LABELS, **dates.LABELS, **identifiers.LABELS}

__all__ = ["DOC_WORDS", "LABELS", "STOPWORDS", "fold"]


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one character per input character."""
    if text.isascii():
        return text.lower()  # what the per-character rule gives ASCII, without the table
    return text.translate(_FOLDED)


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    decomposed = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base[0] if len(base) >= 1 else low


class _FoldTable(dict[int, str]):
    """Each character's folded form, worked out once on first sight (fold runs on every line
    of every page, several times over: per character it was the engine's hottest spot)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDED = _FoldTable()
