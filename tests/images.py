"""Photos and pictures for ingest tests: a phone photo of an invoice, a signature logo."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def photo(width: int = 1200, height: int = 1600, fmt: str = "JPEG", seed: int = 1) -> bytes:
    """A page-sized picture with text and sensor noise, as heavy as a real phone photo."""
    rng = random.Random(seed)
    image = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(image)
    for y in range(80, height - 80, 40):
        draw.text((80, y), f"Line {y} rent and service charges {rng.randint(10, 999)}.00", fill=20)
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    image = Image.blend(image, noise, 0.08).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def logo() -> bytes:
    """A signature logo: small in bytes and pixels."""
    image = Image.new("RGB", (160, 48), (20, 80, 160))
    ImageDraw.Draw(image).text((10, 16), "Northside", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
