"""Turning a text PDF into what tenants really forward: scans and phone photos.

`scan` is the plain rendering the fixtures use (byte-stable); `noisy_scan` adds what office
scanners do (skew, noise, blur, grey paper) and `photo` what phones do (perspective, uneven
light, background, JPEG). Each result is an image-only PDF.
"""

from __future__ import annotations

import io
import random
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def rasterize(pdf: bytes, dpi: int, grayscale: bool = True) -> list[Any]:
    """Every page as a PIL image at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    out = []
    for page in doc:
        img = page.render(scale=dpi / 72, grayscale=grayscale).to_pil()
        out.append(img.convert("L" if grayscale else "RGB"))
    doc.close()
    return out


def images_to_pdf(images: list[Any], dpi: int, jpeg_quality: int | None = None) -> bytes:
    """Wrap images into an image-only PDF, one page each, at their physical size."""
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    for img in images:
        width, height = img.size[0] * 72 / dpi, img.size[1] * 72 / dpi
        c.setPageSize((width, height))
        source: Any = img
        if jpeg_quality is not None:
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=jpeg_quality)
            buf.seek(0)
            source = buf
        c.drawImage(ImageReader(source), 0, 0, width, height)
        c.showPage()
    c.save()
    return out.getvalue()


def scan(pdf: bytes, rotation: float = 0.0, dpi: int = 200) -> bytes:
    """Render every page to a grey image and wrap it in an image-only PDF (a clean 'scan')."""
    images = []
    for img in rasterize(pdf, dpi):
        if rotation:
            img = img.rotate(rotation, expand=rotation % 90 == 0, fillcolor=255)
        images.append(img)
    return images_to_pdf(images, dpi)


def noisy_scan(pdf: bytes, rng: random.Random) -> tuple[bytes, dict[str, object]]:
    """An office scan: a few degrees of skew, grey paper, sensor noise, a little blur."""
    import numpy as np
    from PIL import Image, ImageFilter

    dpi = rng.choice((200, 240, 300))
    skew = rng.uniform(-2.5, 2.5) if rng.random() < 0.9 else rng.choice((-1, 1)) * rng.uniform(5, 8)
    noise = rng.uniform(2, 12)
    seed = rng.randint(0, 2**31)
    images = []
    for img in rasterize(pdf, dpi):
        img = img.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        arr = np.asarray(img, dtype=np.float32)
        arr = 235 - (255 - arr) * rng.uniform(0.8, 0.95)  # grey paper, weaker ink
        arr += np.random.default_rng(seed).normal(0, noise, arr.shape)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.7)))
        images.append(img)
    quality = rng.choice((None, 75, 85))
    meta: dict[str, object] = {"dpi": dpi, "skew_degrees": round(skew, 2), "noise": round(noise, 1)}
    return images_to_pdf(images, dpi, quality), meta


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> Any:
    """Coefficients for PIL's PERSPECTIVE transform mapping output corners `dst` to `src`."""
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([c for p in src for c in p], dtype=np.float64)
    return np.linalg.solve(a, b).tolist()


def photo(pdf: bytes, rng: random.Random) -> tuple[bytes, dict[str, object]]:
    """A phone photo of the printed page: on a table, in perspective, lit from one side, JPEG."""
    import numpy as np
    from PIL import Image, ImageFilter

    dpi = 150
    seed = rng.randint(0, 2**31)
    tilt = rng.uniform(0.02, 0.07)
    light = rng.uniform(0.15, 0.45)
    rotation = rng.uniform(-4, 4)
    quality = rng.randint(55, 85)
    images = []
    for page in rasterize(pdf, dpi, grayscale=False):
        w, h = page.size
        margin_x, margin_y = int(w * 0.08), int(h * 0.06)
        table = Image.new("RGB", (w + 2 * margin_x, h + 2 * margin_y), rng.choice(_TABLES))
        table.paste(page, (margin_x, margin_y))
        table = table.rotate(
            rotation, resample=Image.Resampling.BICUBIC, fillcolor=rng.choice(_TABLES)
        )
        tw, th = table.size

        corners = [(0.0, 0.0), (float(tw), 0.0), (float(tw), float(th)), (0.0, float(th))]
        src = [
            (x + rng.uniform(-tilt, tilt) * tw, y + rng.uniform(-tilt, tilt) * th)
            for x, y in corners
        ]
        warped = table.transform(
            (tw, th),
            Image.Transform.PERSPECTIVE,
            _perspective_coeffs(corners, src),
            resample=Image.Resampling.BICUBIC,
        )
        arr = np.asarray(warped, dtype=np.float32)
        yy, xx = np.mgrid[0:th, 0:tw]
        angle = rng.uniform(0, 6.283)
        ramp = (np.cos(angle) * xx / tw + np.sin(angle) * yy / th + 1) / 2
        shade = 1.0 - light * ramp
        arr *= shade[..., None]
        arr += np.random.default_rng(seed).normal(0, 4, arr.shape)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
        images.append(img)
    meta: dict[str, object] = {
        "tilt": round(tilt, 3),
        "light": round(light, 2),
        "rotation": round(rotation, 2),
    }
    meta["jpeg_quality"] = quality
    return images_to_pdf(images, dpi, quality), meta


_TABLES = ((120, 96, 70), (90, 90, 95), (160, 140, 110), (60, 60, 60), (200, 195, 185))
