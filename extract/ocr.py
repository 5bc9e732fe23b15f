"""OCR for pages without a usable text layer: render, fix orientation and skew, tesseract.

Facts measured here: OMP_THREAD_LIMIT=1 (set by the worker process), handing tesseract a BMP and
passing --dpi make it 4-5x faster and far more accurate; pypdfium2 renders 2-3x faster than
pdftoppm and needs no temporary files, so it replaces pdf2image for rendering.
"""

from __future__ import annotations

from typing import Any

from extract.layout import Word

TESS_LANG: dict[str, str] = {
    "en": "eng",
    "de": "deu",
    "fr": "fra",
    "nl": "nld",
    "es": "spa",
    "it": "ita",
}


def _deskew_angle(image: Any) -> float:
    """Small skew angle (degrees) maximising the variance of row ink profiles."""
    import numpy as np
    from PIL import Image

    small = image.copy()
    small.thumbnail((700, 700))
    arr = np.asarray(small, dtype=np.uint8)
    ink = Image.fromarray(((arr < 160) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for step in range(-10, 11):
        angle = step * 0.5
        rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float(np.var(profile))
        if score > best_score + 1e-6:
            best, best_score = angle, score
    return best


def _osd_rotation(image: Any) -> int:
    """Clockwise rotation tesseract's OSD proposes (0, 90, 180, 270); 0 when unsure."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(
            image, config="--psm 0 --dpi 300", output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError:
        return 0
    if float(osd.get("orientation_conf", 0.0)) < 1.5:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _tesseract_words(image: Any, languages: tuple[str, ...], dpi: int) -> list[dict[str, Any]]:
    import pytesseract

    image.format = "BMP"  # pytesseract would otherwise encode a slow PNG
    data = pytesseract.image_to_data(
        image,
        lang="+".join(languages),
        config=f"--dpi {dpi}",
        output_type=pytesseract.Output.DICT,
    )
    words: list[dict[str, Any]] = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if not str(text).strip() or conf < 0:
            continue
        words.append(
            {
                "text": str(text),
                "left": int(data["left"][i]),
                "top": int(data["top"][i]),
                "width": int(data["width"][i]),
                "height": int(data["height"][i]),
                "conf": conf,
            }
        )
    return words


def _mean_conf(words: list[dict[str, Any]]) -> float:
    return sum(w["conf"] for w in words) / len(words) if words else 0.0


def ocr_page(
    image: Any, page_no: int, dpi: int, languages: tuple[str, ...]
) -> tuple[list[Word], list[str]]:
    """OCR one page image (grayscale, `dpi`); words in page points and notes (rotation/deskew)."""
    from PIL import Image

    notes: list[str] = []
    angle = _deskew_angle(image)
    if abs(angle) >= 0.5:
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
        notes.append(f"ocr_deskewed:{angle:+.1f}deg")
    words = _tesseract_words(image, languages, dpi)
    if len(words) < 15 or _mean_conf(words) < 60:
        rotation = _osd_rotation(image)
        if rotation:
            rotated = image.rotate(-rotation, expand=True, fillcolor=255)
            retry = _tesseract_words(rotated, languages, dpi)
            if _mean_conf(retry) > _mean_conf(words):
                words, image = retry, rotated
                notes.append(f"ocr_rotated:{rotation}deg")
    scale = 72.0 / dpi
    result = [
        Word(
            w["text"],
            w["left"] * scale,
            w["top"] * scale,
            (w["left"] + w["width"]) * scale,
            (w["top"] + w["height"]) * scale,
            page_no,
            conf=max(0.0, min(1.0, w["conf"] / 100)),
            source="ocr",
        )
        for w in words
    ]
    return result, notes
