"""What every document source (PDF, image) gives the engine: pages of positioned words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from extract.layout import BBox, Word
from extract.paycodes import PaymentCode


@dataclass
class ReadPage:
    """One page's words and where they came from."""

    number: int
    width: float
    height: float
    words: list[Word]
    source: str  # "text" | "ocr"
    notes: list[str] = field(default_factory=list)


class DocumentSource(Protocol):
    """An opened document: its pages' words and the payment codes printed on them."""

    kind: str  # "pdf" | "image": the prefix of its failure codes
    pages: int
    xml_attachments: tuple[tuple[str, bytes], ...]

    def read(self, skip_ocr: bool) -> list[ReadPage]: ...

    def payment_codes(self) -> list[PaymentCode]:
        """Payment codes (QR) printed on any page."""
        ...

    def reread(self, number: int, boxes: list[BBox]) -> list[Word]:
        """Words read again by OCR in `boxes` (points) of OCR page `number`, cut from the
        picture its first reading read (crop_ocr.py). Call after `read`."""
        ...

    def close(self) -> None: ...
