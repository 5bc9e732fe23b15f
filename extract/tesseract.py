"""Tesseract in-process (tesserocr): models loaded once per process, not once per page.

Measured here: starting the tesseract binary with six language packs costs ~1.9 s before it
reads a pixel (0.4 s with one pack); a loaded engine recognises a 300 dpi page with all six in
the time one pack takes. The sandbox's warm children keep one engine per language set.
Engines are not thread-safe: each is used under its own lock.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
# Engines by (packs, mode), least recently used first. Pages are read with the one or two packs
# they need, so a long-lived reader meets many pack sets; each engine holds 10-20 MB per pack
# and the reader runs under an address-space limit, so only the most recent are kept.
_engines: OrderedDict[tuple[str, int], tuple[Any, threading.Lock]] = OrderedDict()
_engines_lock = threading.Lock()
_MAX_ENGINES = 8
_recognitions = 0  # pages recognised in this process (what the OCR cache saves shows here)


class TesseractUnavailable(RuntimeError):
    """The installation lacks tesseract's data files: our fault, not the document's."""


@dataclass(frozen=True)
class OcrWord:
    """One recognised word in image pixels."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float  # 0..100


def tessdata() -> str:
    """Where the language packs are (TESSDATA_PREFIX wins)."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *_TESSDATA_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / "eng.traineddata").exists():
            return folder.rstrip("/") + "/"
    raise TesseractUnavailable("no tessdata folder with eng.traineddata found")


def _engine(lang: str, psm: int) -> tuple[Any, threading.Lock]:
    import tesserocr

    key = (lang, psm)
    evicted = []
    with _engines_lock:
        if key not in _engines:
            try:
                api = tesserocr.PyTessBaseAPI(path=tessdata(), lang=lang, psm=psm)
            except RuntimeError as exc:
                raise TesseractUnavailable(f"tesseract cannot load {lang}: {exc}") from exc
            _engines[key] = (api, threading.Lock())
            while len(_engines) > _MAX_ENGINES:
                evicted.append(_engines.popitem(last=False)[1])
        _engines.move_to_end(key)
        engine = _engines[key]
    for old_api, old_lock in evicted:
        with old_lock:  # a thread still reading with it finishes first
            old_api.End()
    return engine


def recognitions() -> int:
    """How many times this process has had tesseract recognise a page image."""
    return _recognitions


def recognise(
    image: Any, languages: tuple[str, ...], dpi: int, psm: int | None = None
) -> list[OcrWord]:
    """Words of a grayscale page image, with confidences; `psm` is tesseract's page
    segmentation mode (automatic when None: what a whole page is read with)."""
    import tesserocr

    global _recognitions

    if not languages:  # an engine without a pack crashes in Recognize (a segfault, not an error)
        raise ValueError("recognise needs at least one language pack")
    api, lock = _engine("+".join(languages), tesserocr.PSM.AUTO if psm is None else psm)
    level = tesserocr.RIL.WORD
    words: list[OcrWord] = []
    with lock:
        with _engines_lock:
            _recognitions += 1
        api.SetImage(image)
        api.SetSourceResolution(dpi)  # the real resolution: tesseract guesses badly without it
        api.Recognize()
        iterator = api.GetIterator()
        if iterator is not None:
            for word in tesserocr.iterate_level(iterator, level):
                try:
                    text = word.GetUTF8Text(level)
                except RuntimeError:  # tesserocr's way of saying "no text here"
                    continue
                box = word.BoundingBox(level)
                if not text or not text.strip() or box is None:
                    continue
                x0, y0, x1, y1 = box
                words.append(OcrWord(text, x0, y0, x1 - x0, y1 - y0, word.Confidence(level)))
        api.Clear()
        # What the engine adapted to on this page must not change how it reads the next one:
        # each page reads as a fresh tesseract process would read it.
        api.ClearAdaptiveClassifier()
    return words


def orientation(image: Any, dpi: int) -> tuple[int, float]:
    """Clockwise rotation that makes the page upright (0/90/180/270) and OSD's confidence."""
    import tesserocr

    api, lock = _engine("osd", tesserocr.PSM.OSD_ONLY)
    with lock:
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        found = api.DetectOrientationScript()
        api.Clear()
    if not found:
        return 0, 0.0
    return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])
