"""Which language packs to OCR a page with: decided before the full read, from cheap evidence.

Reading every page with all six packs costs 1.3-2.3x one pack (tesseract retries each
unsure word in every other pack), while a page read with its own language is as accurate.
The evidence, cheapest first:
- a hint: the customer's locale, or the language an earlier page of the same document was read
  in. The page is read with it, and the result checked: text that is plainly in another
  language is read again in that language;
- otherwise a first pass: the top band of the page (title, addresses, labels) read with English
  alone, its language told by the stop words the engine already uses (`stopword_scores`).
  A page found English keeps that band and reads only the rest; any other page is read whole
  with its one or two languages.
A page whose language cannot be told (too few stop words) is read with every pack, as before.
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
_BAND_SHARE = 0.4  # the first pass reads about this much of the page, from the top
FIRST_PASS_PACK = "eng"  # the cheapest pack, and the language whose band can be kept as read


@dataclass(frozen=True)
class LanguageChoice:
    """The packs a page was read with and how they were chosen (a note for the evidence)."""

    packs: tuple[str, ...]
    how: str  # "hint" | "hint_corrected" | "first_pass" | "undecided" | "only_pack"
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


def band_cut(image: Any) -> int:
    """A row near 40 % of the page's height with the least ink: the first pass's lower edge.

    Cutting on the emptiest row keeps lines whole, so the band's words can be kept as read.
    """
    import numpy as np

    small = image.copy()
    small.thumbnail((600, 600))
    ink = (np.asarray(small, dtype=np.uint8) < 160).sum(axis=1)
    scale = image.height / small.height
    lo, hi = int(small.height * 0.3), int(small.height * 0.5)
    if hi <= lo:
        return image.height
    row = lo + int(np.argmin(ink[lo:hi]))
    return min(image.height, round((row + 0.5) * scale))


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
    first = FIRST_PASS_PACK if FIRST_PASS_PACK in candidates else candidates[0]
    cut = band_cut(image)
    band = read(image.crop((0, 0, image.width, cut)), (first,)) if cut < image.height else []
    found = decide(_text(band), candidates)
    if found == (first,):
        rest = read(image.crop((0, cut, image.width, image.height)), (first,))
        return band + [_shifted(w, cut) for w in rest], LanguageChoice(found, "first_pass")
    if found is not None:
        return read(image, found), LanguageChoice(found, "first_pass")
    words = read(image, candidates)
    # Told from the whole page now, for the pages after it; this page keeps its every-pack read.
    return words, LanguageChoice(candidates, "undecided", decide(_text(words), candidates) or ())


def _text(words: list[Any]) -> str:
    return " ".join(w.text for w in words)


def _shifted(word: Any, dy: int) -> Any:
    from dataclasses import replace

    return replace(word, top=word.top + dy)
