"""OCR for pages without a usable text layer: render, fix orientation and skew, tesseract.

Facts measured here: OMP_THREAD_LIMIT=1 (set by the worker process), handing tesseract a BMP and
passing --dpi make it 4-5x faster and far more accurate; pypdfium2 renders 2-3x faster than
pdftoppm and needs no temporary files, so it replaces pdf2image for rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extract.layout import Word
from extract.ocr_languages import LanguageChoice, choose_and_read
from extract.tesseract import OcrWord, orientation, recognise

_FEW_WORDS = 5  # fewer words than this after deskewing: try the page as it was

TESS_LANG: dict[str, str] = {
    "en": "eng",
    "de": "deu",
    "fr": "fra",
    "nl": "nld",
    "es": "spa",
    "it": "ita",
}


@dataclass(frozen=True)
class Turn:
    """How a page image was turned before tesseract read it: the words' boxes are in the
    turned picture, so a later crop of the page (crop_ocr.py) must be cut from the same one."""

    angle: float = 0.0  # the deskew, degrees counter-clockwise (PIL's rotate), about the centre
    rotation: int = 0  # OSD's clockwise turn (0/90/180/270), after the deskew


@dataclass
class PageReading:
    """One page's OCR: words in page points, notes (rotation/deskew, languages read), the
    language choice (its `next_hint` serves the document's next page) and how the page was
    turned; `picture` is the turned image tesseract read (None when read back from a cache)."""

    words: list[Word]
    notes: list[str]
    choice: LanguageChoice
    turn: Turn
    picture: Any = None


def upright(image: Any, turn: Turn) -> Any:
    """`image` turned as `turn` says: the picture tesseract read."""
    from PIL import Image

    if turn.angle:
        image = image.rotate(
            turn.angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255
        )
    if turn.rotation:
        image = image.rotate(-turn.rotation, expand=True, fillcolor=255)
    return image


def _deskew_angle(image: Any, span: float = 5.0) -> float:
    """Skew angle (degrees, within ±span) maximising the variance of row ink profiles.

    A coarse pass in 1° steps, then 0.25° steps around the best: a photo held at 12° is found
    as cheaply as a scan at 2°.
    """
    import numpy as np
    from PIL import Image

    small = image.copy()
    small.thumbnail((700, 700))
    arr = np.asarray(small, dtype=np.uint8)
    ink = Image.fromarray(((arr < 160) * 255).astype(np.uint8))

    def score(angle: float) -> float:
        rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
        return float(np.var(rotated.sum(axis=1, dtype=np.float64)))

    coarse = [float(a) for a in range(-round(span), round(span) + 1)]
    best = max(coarse, key=lambda a: (score(a), -abs(a)))
    fine = [best + step * 0.25 for step in range(-3, 4) if abs(best + step * 0.25) <= span]
    return max(fine, key=lambda a: (score(a), -abs(a)))


def _osd_rotation(image: Any, dpi: int) -> int:
    """Clockwise rotation tesseract's OSD proposes (0, 90, 180, 270); 0 when unsure."""
    rotation, confidence = orientation(image, dpi)
    return rotation if confidence >= 1.5 else 0


def _mean_conf(words: list[OcrWord]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def ocr_page(
    image: Any,
    page_no: int,
    dpi: int,
    languages: tuple[str, ...],
    photo: bool = False,
    hint: tuple[str, ...] = (),
) -> PageReading:
    """OCR one page image (grayscale, `dpi`).

    `languages` are the packs allowed; the page is read with the one or two it is written in
    (ocr_languages.py), starting from `hint` when there is one.
    Photos are searched for skew over ±15° instead of ±5°; a deskew that leaves almost no words
    (a wrong angle on a page with little text) is retried without it.
    """

    def read(img: Any, packs: tuple[str, ...]) -> list[OcrWord]:
        return recognise(img, packs, dpi)

    notes: list[str] = []
    original = image
    turn = Turn()
    angle = _deskew_angle(image, 15.0 if photo else 5.0)
    if abs(angle) >= 0.5:
        turn = Turn(angle)
        image = upright(image, turn)
        notes.append(f"ocr_deskewed:{angle:+.1f}deg")
    words, choice = choose_and_read(image, read, languages, hint)
    packs = choice.packs
    if len(words) < _FEW_WORDS and image is not original:
        plain = read(original, packs)
        if len(plain) > len(words):
            words, image, turn = plain, original, Turn()
            notes.append("ocr_deskew_undone")
    if len(words) < 15 or _mean_conf(words) < 60:
        rotation = _osd_rotation(image, dpi)
        if rotation:
            rotated = upright(image, Turn(rotation=rotation))
            # Upside down, the first pass could not tell the language: decide again, upright.
            retry, retry_choice = choose_and_read(rotated, read, languages, hint)
            if _mean_conf(retry) > _mean_conf(words):
                words, image, choice = retry, rotated, retry_choice
                turn = Turn(turn.angle, rotation)
                notes.append(f"ocr_rotated:{rotation}deg")
    note = f"ocr_languages:{'+'.join(choice.packs)}:{choice.how}"
    if choice.carry:  # read with every pack, found to be in these: the next page's hint
        note += f":{'+'.join(choice.carry)}"
    notes.append(note)
    scale = 72.0 / dpi
    result = [
        Word(
            w.text,
            w.left * scale,
            w.top * scale,
            (w.left + w.width) * scale,
            (w.top + w.height) * scale,
            page_no,
            conf=max(0.0, min(1.0, w.conf / 100)),
            source="ocr",
        )
        for w in words
    ]
    return PageReading(result, notes, choice, turn, image)
