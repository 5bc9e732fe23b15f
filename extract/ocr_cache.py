"""A page's OCR result kept between attempts at the same document, beside the render cache.

A retry (a reader killed mid-document, a transient error after the read) would run tesseract on
every scanned page again: 0.5-1.5 s a page, against a few milliseconds to read the words back
from here. Keyed by the document's SHA-256, the page, the dpi read at and everything else the
result depends on (the packs allowed, the hint, photo or scan) plus a fingerprint of the OCR code
and of tesseract itself, so an upgraded reader never meets an old reading.

Like the render cache: a local directory (derived data, rebuilt on another host), files written
aside and renamed, the least recently used dropped past the size bound, and a cache that fails
logs and reads the page again: it never fails a document.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import astuple
from functools import cache
from pathlib import Path
from typing import Any

from extract.cache_dir import keep, read_kept
from extract.layout import Word
from extract.ocr import PageReading, Turn, ocr_page
from extract.ocr_languages import LanguageChoice

log = logging.getLogger(__name__)

SUFFIX = ".ocr"
DEFAULT_MAX_BYTES = 32 * 2**20  # a dense page's words are 30-60 KB: several hundred pages
_FORMAT = 2  # 2: how the page was turned (a crop re-read cuts from the same picture)
# The modules whose code decides what a page reads as (the photo's preparation included): a
# change to any of them is a new reader. The PDF render itself is keyed as the render cache's.
_READER_MODULES = (
    "ocr.py",
    "crop_ocr.py",
    "ocr_languages.py",
    "tesseract.py",
    "textfields.py",
    "layout.py",
    "photo.py",
)


@cache
def reader_fingerprint() -> str:
    """The OCR code and the tesseract it drives, hashed: part of every key."""
    import tesserocr

    digest = hashlib.sha256(f"{_FORMAT}:{tesserocr.tesseract_version()}".encode())
    here = Path(__file__).parent
    for name in _READER_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


class OcrCache:
    """OCR readings of pages by (document hash, page index, dpi, reading parameters)."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    def path(self, digest: str, index: int, dpi: int, params: dict[str, Any]) -> Path:
        spec = json.dumps({**params, "reader": reader_fingerprint()}, sort_keys=True)
        tag = hashlib.sha256(spec.encode()).hexdigest()[:16]
        return self.directory / f"{digest}-p{index}-{dpi}dpi-{tag}{SUFFIX}"

    def get(self, path: Path) -> PageReading | None:
        blob = read_kept(path, "OCR cache")
        if blob is None:
            return None
        try:
            kept = json.loads(blob)
            words = [Word(*fields) for fields in kept["words"]]
            choice = LanguageChoice(tuple(kept["packs"]), str(kept["how"]), tuple(kept["carry"]))
            notes = [str(note) for note in kept["notes"]]
            turn = Turn(float(kept["turn"][0]), int(kept["turn"][1]))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("OCR cache: %s is damaged (%s); reading the page again", path.name, exc)
            path.unlink(missing_ok=True)
            return None
        return PageReading(words, notes, choice, turn)

    def put(self, path: Path, reading: PageReading) -> None:
        choice, turn = reading.choice, reading.turn
        blob = json.dumps(
            {
                "words": [astuple(word) for word in reading.words],
                "notes": reading.notes,
                "packs": choice.packs,
                "how": choice.how,
                "carry": choice.carry,
                "turn": [turn.angle, turn.rotation],
            }
        ).encode()
        keep(path, blob, self.max_bytes, "OCR cache")

    def get_words(self, path: Path) -> list[Word] | None:
        """Words kept by `put_words` (a crop re-read's), or None."""
        blob = read_kept(path, "OCR cache")
        if blob is None:
            return None
        try:
            return [Word(*fields) for fields in json.loads(blob)["words"]]
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("OCR cache: %s is damaged (%s); reading the regions again", path.name, exc)
            path.unlink(missing_ok=True)
            return None

    def put_words(self, path: Path, words: list[Word]) -> None:
        blob = json.dumps({"words": [astuple(word) for word in words]}).encode()
        keep(path, blob, self.max_bytes, "OCR cache")


def ocr_page_kept(
    store: OcrCache | None,
    digest: str,
    index: int,
    image: Any,
    dpi: int,
    languages: tuple[str, ...],
    *,
    photo: bool = False,
    hint: tuple[str, ...] = (),
) -> PageReading:
    """`ocr.ocr_page` of the document's page `index`, read back from `store` when an earlier
    attempt read it with the same parameters (no tesseract then), and kept there otherwise."""
    if store is None:
        return ocr_page(image, index + 1, dpi, languages, photo=photo, hint=hint)
    params = {"languages": languages, "hint": hint, "photo": photo, "size": image.size}
    path = store.path(digest, index, dpi, params)
    kept = store.get(path)
    if kept is not None:
        return kept
    reading = ocr_page(image, index + 1, dpi, languages, photo=photo, hint=hint)
    store.put(path, reading)
    return reading


def crop_words_kept(
    store: OcrCache | None,
    digest: str,
    index: int,
    dpi: int,
    params: dict[str, Any],
    read: Callable[[], list[Word]],
) -> list[Word]:
    """A crop re-read of page `index` (`read()`), kept like the page's reading: `params` name
    the regions and everything else the words depend on; a retry reads them back and neither
    renders nor runs tesseract."""
    if store is None:
        return read()
    path = store.path(digest, index, dpi, {"crops": params})
    kept = store.get_words(path)
    if kept is not None:
        return kept
    words = read()
    store.put_words(path, words)
    return words
