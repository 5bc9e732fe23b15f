"""Phone photos and image files of an invoice, made from a PDF page: skew, perspective, shadow."""

from __future__ import annotations

import io
from typing import Any


def page_image(pdf: bytes, dpi: int = 200) -> Any:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def photo_of(pdf: bytes, *, angle: float = 7.0, tilt: float = 0.06, shadow: bool = True) -> Any:
    """The page lying on a dark table, photographed at an angle under a lamp (an RGB image)."""
    import numpy as np
    from PIL import Image

    page = page_image(pdf)
    w, h = page.size
    canvas = Image.new("RGB", (int(w * 1.5), int(h * 1.4)), (60, 52, 45))
    canvas.paste(page, (int(w * 0.25), int(h * 0.2)))
    canvas = canvas.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(60, 52, 45))
    cw, ch = canvas.size
    # Perspective: the top edge farther away (narrower) than the bottom edge.
    d = tilt * cw
    quad = (d, 0, 0, ch, cw, ch, cw - d, 0)  # source corners: TL, BL, BR, TR
    canvas = canvas.transform(canvas.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC)
    if shadow:
        arr = np.asarray(canvas, dtype=np.float32)
        gradient = np.linspace(1.0, 0.55, cw, dtype=np.float32)[None, :, None]
        canvas = Image.fromarray(np.clip(arr * gradient, 0, 255).astype(np.uint8))
    return canvas


def encode(image: Any, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    image.save(out, format=fmt, **options)
    return out.getvalue()
