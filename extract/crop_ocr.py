"""Reading regions of a page again, cropped from the picture its OCR read, and merging the words
read there into the first reading's.

A crop is read alone, enlarged: tesseract's layout analysis of a whole page drops columns
(an amount column beside its labels, values under boxed headers) that it reads cleanly when
they are all the picture holds; a little enlargement lets it read small, noisy digits better
(the setting was chosen on the dev set's scans: see README).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extract.layout import BBox, Word
from extract.ocr import Turn, upright
from extract.ocr_cache import OcrCache, crop_words_kept
from extract.tesseract import recognise

SCALE = 1.5  # the crop is enlarged this much (and read at dpi x SCALE); 1.0 and 2.0 did no better
# tesseract's automatic segmentation within the crop: PSM 6 (one uniform block) read fewer
# totals and misread an issue date on the dev set's scans.
PSM: int | None = None
_PAD_PT = 3.0  # white space kept around a region, so edge glyphs are whole


@dataclass(frozen=True)
class FirstReading:
    """What a crop re-read needs to know of how a page was first read."""

    dpi: int  # of the picture read
    turn: Turn  # how it was turned
    packs: tuple[str, ...]  # the language packs it was read with


class KeptPictures:
    """The turned pictures of a document's OCR pages that a crop re-read may cut from without
    rendering (and flattening, and turning) them again: the first page's, where dates are
    printed, and the latest page's, where totals are. Two pages' pixels, whatever the count."""

    def __init__(self) -> None:
        self._first: tuple[int, Any] | None = None
        self._last: tuple[int, Any] | None = None

    def keep(self, index: int, picture: Any) -> None:
        if picture is None:  # the page's words came from the OCR cache: no picture was made
            return
        if self._first is None:
            self._first = (index, picture)
        else:
            self._last = (index, picture)

    def get(self, index: int) -> Any:
        for kept in (self._first, self._last):
            if kept is not None and kept[0] == index:
                return kept[1]
        return None

    def clear(self) -> None:
        self._first = self._last = None


def reread_kept(
    store: OcrCache | None,
    digest: str,
    index: int,
    first: FirstReading,
    boxes: list[BBox],
    kept: Any,
    image: Callable[[], Any],
) -> list[Word]:
    """`read_regions` on page `index`: cut from `kept`, its turned picture, or else from
    `image()`, its unturned picture made again (a render, a photo flattened), turned; neither
    when the words are kept in `store` from an earlier attempt."""
    params = {
        "boxes": [[round(v, 2) for v in box] for box in boxes],
        "packs": first.packs,
        "turn": [first.turn.angle, first.turn.rotation],
        "scale": SCALE,
        "psm": PSM,
    }

    def read() -> list[Word]:
        picture = kept if kept is not None else upright(image(), first.turn)
        return read_regions(picture, first.dpi, boxes, first.packs, index + 1)

    return crop_words_kept(store, digest, index, first.dpi, params, read)


def read_regions(
    picture: Any, dpi: int, boxes: list[BBox], packs: tuple[str, ...], page_no: int
) -> list[Word]:
    """Words read in each box (page points, in `picture`'s frame) of a page's picture, in page
    points; only words whose centre lies inside their box (a crop's margin holds parts of its
    neighbours' words)."""
    from PIL import Image

    k = dpi / 72
    words: list[Word] = []
    for box in boxes:
        left = max(0, int((box[0] - _PAD_PT) * k))
        top = max(0, int((box[1] - _PAD_PT) * k))
        right = min(picture.width, int((box[2] + _PAD_PT) * k) + 1)
        bottom = min(picture.height, int((box[3] + _PAD_PT) * k) + 1)
        if right - left < 8 or bottom - top < 8:
            continue
        crop = picture.crop((left, top, right, bottom))
        size = (round(crop.width * SCALE), round(crop.height * SCALE))
        crop = crop.resize(size, resample=Image.Resampling.LANCZOS)
        for w in recognise(crop, packs, round(dpi * SCALE), PSM):
            x0 = (left + w.left / SCALE) / k
            y0 = (top + w.top / SCALE) / k
            x1 = (left + (w.left + w.width) / SCALE) / k
            y1 = (top + (w.top + w.height) / SCALE) / k
            if _inside((x0 + x1) / 2, (y0 + y1) / 2, box):
                conf = max(0.0, min(1.0, w.conf / 100))
                words.append(Word(w.text, x0, y0, x1, y1, page_no, conf=conf, source="ocr"))
    return words


def merge(words: list[Word], reread: list[Word]) -> list[Word]:
    """The page's words with the re-read ones put in: a re-read word where the first reading
    had none (a dropped column), or in place of the words it overlaps (the crop is read
    enlarged and alone: "IVA." where the page read "IV.A."); where two crops read the same
    place (bands overlap), the surer reading (a band's edge cuts glyphs: "1,69" for "7,69").
    A crop can also lose what the page read (a crop of shaded boxes thresholds badly): a
    first-read word that no re-read word overlaps stays."""
    first = list(words)
    again: list[Word] = []
    for new in reread:
        rivals = [w for w in again if _overlaps(new, w)]
        if any(w.conf >= new.conf for w in rivals):
            continue
        again = [w for w in again if w not in rivals] + [new]
        first = [w for w in first if not _overlaps(new, w)]
    return first + again


def _overlaps(a: Word, b: Word) -> bool:
    """The boxes share at least 30 % of the smaller one."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return False
    smaller = min((a.x1 - a.x0) * a.height, (b.x1 - b.x0) * b.height)
    return width * height >= 0.3 * max(smaller, 0.01)


def _inside(x: float, y: float, box: BBox) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
