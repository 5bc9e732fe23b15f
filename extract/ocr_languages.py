"""Which language packs to OCR a page with: one or two, chosen from evidence, not all six.

In the tesseract call, a page read with every pack costs about 1.6x one pack on the corpus
scans (tesseract retries each unsure word in every other pack); a page read in its own language
is as accurate.
- With a hint (the customer's locale, or the language the document's previous page was found
  in) the page is read with the hinted packs only, and the result checked: text that is
  plainly in another language is read again in that language (`hint_corrected`).
- Without one (a document's first page, a tenant without a locale) the page is read with every
  pack, as before, and its language told from its words by the stop words the engine already
  uses (`stopword_scores`): the hint for the pages after it (`decided`, else `undecided`).
Measured and dropped: a first pass in English over the top 40 % of the page to decide before the
full read. With the engines loaded once, the band plus the reads it got wrong cost more than the
all-pack read it replaced (corpus median 974 ms a page against 917 ms, same run).
OSD is not used for this: it tells scripts apart, and all six packs are Latin script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from extract.textfields import stopword_scores

_MIN_SCORE = 3  # stop words needed before a language is believed...
_MIN_LEAD_SCORE = 2  # ...or this many, with at least twice the runner-up's
_SECOND_SHARE = 0.6  # a second language is read too when it scores this share of the first


@dataclass(frozen=True)
class LanguageChoice:
    """The packs a page was read with and how they were chosen (a note for the evidence)."""

    packs: tuple[str, ...]
    how: str  # "hint" | "hint_corrected" | "decided" | "undecided" | "only_pack"
    carry: tuple[str, ...] = ()  # the hint for the document's next page (default: packs)

    @property
    def next_hint(self) -> tuple[str, ...]:
        return self.carry or self.packs


def decide(text: str, candidates: Sequence[str]) -> tuple[str, ...] | None:
    """The one or two candidate packs the text is written in, or None when it cannot be told."""
    ranked = [(lang, score) for lang, score in stopword_scores(text) if lang in candidates]
    if not ranked:
        return None
    top = ranked[0][1]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    # Enough stop words, or a few with a clear lead: two from one language and none from another
    # is evidence; one is chance.
    if top < _MIN_SCORE and not (top >= _MIN_LEAD_SCORE and top >= 2 * runner_up):
        return None
    second = ranked[1:2] if runner_up >= max(_MIN_SCORE, top * _SECOND_SHARE) else []
    return (ranked[0][0], *(lang for lang, _ in second))


def choose_and_read(
    image: Any,
    read: Callable[[Any, tuple[str, ...]], list[Any]],
    candidates: tuple[str, ...],
    hint: tuple[str, ...] = (),
) -> tuple[list[Any], LanguageChoice]:
    """Words of the page read with the packs it needs, and the choice made.

    `read(image, packs)` returns words with `text` and `top` (pixels); `candidates` are the packs
    installed and allowed, `hint` the packs expected (kept to the candidates).
    """
    hint = tuple(lang for lang in hint if lang in candidates)
    if len(candidates) <= 1:
        return read(image, candidates), LanguageChoice(candidates, "only_pack")
    if hint:
        words = read(image, hint)
        found = decide(_text(words), candidates)
        if found is None or found[0] in hint:
            return words, LanguageChoice(hint, "hint")
        return read(image, found), LanguageChoice(found, "hint_corrected")
    words = read(image, candidates)
    # Told from the whole page, for the pages after it; this page keeps its every-pack read.
    found = decide(_text(words), candidates)
    return words, LanguageChoice(candidates, "decided" if found else "undecided", found or ())


def _text(words: list[Any]) -> str:
    return " ".join(w.text for w in words)
