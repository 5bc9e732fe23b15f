"""A thin top-down drawing surface over reportlab (y grows downwards, like reading)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas

FONTS = {
    "sans": ("Helvetica", "Helvetica-Bold"),
    "serif": ("Times-Roman", "Times-Bold"),
    "mono": ("Courier", "Courier-Bold"),
}


class Sheet:
    """Pages of one PDF; every family draws through this."""

    def __init__(self, family: str = "sans", letter: bool = False) -> None:
        self.buf = io.BytesIO()
        self.size = LETTER if letter else A4
        self.c = canvas.Canvas(self.buf, pagesize=self.size, invariant=1)
        self.regular, self.bold = FONTS[family]
        self.width, self.height = self.size

    def _font(self, size: float, bold: bool) -> None:
        self.c.setFont(self.bold if bold else self.regular, size)

    def text(self, x: float, y: float, s: str, size: float = 10, bold: bool = False) -> None:
        self._font(size, bold)
        self.c.drawString(x, self.height - y, s)

    def right(self, x: float, y: float, s: str, size: float = 10, bold: bool = False) -> None:
        self._font(size, bold)
        self.c.drawRightString(x, self.height - y, s)

    def width_of(self, s: str, size: float = 10, bold: bool = False) -> float:
        return float(self.c.stringWidth(s, self.bold if bold else self.regular, size))

    def wrap(self, x: float, y: float, s: str, width: float, size: float = 10) -> float:
        """Draw a paragraph wrapped at `width`; returns the y below it."""
        words = s.split()
        line = ""
        for word in words:
            trial = f"{line} {word}".strip()
            if self.width_of(trial, size) > width and line:
                self.text(x, y, line, size)
                y += size * 1.35
                line = word
            else:
                line = trial
        if line:
            self.text(x, y, line, size)
            y += size * 1.35
        return y

    def hline(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        self.c.setLineWidth(width)
        self.c.line(x0, self.height - y, x1, self.height - y)

    def box(self, x: float, y: float, w: float, h: float) -> None:
        self.c.setLineWidth(0.7)
        self.c.rect(x, self.height - y - h, w, h)

    def image(self, img: Any, x: float, y: float, w: float, h: float) -> None:
        from reportlab.lib.utils import ImageReader

        self.c.drawImage(ImageReader(img), x, self.height - y - h, w, h)

    def new_page(self) -> None:
        self.c.showPage()

    def pdf(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()
