"""Frozen configuration for one extraction run (pure: no settings, no clock)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from extract.limits import ReadLimits

DEFAULT_LANGUAGES: tuple[str, ...] = ("eng", "deu", "fra", "nld", "spa", "ita")


@dataclass(frozen=True)
class ExtractConfig:
    """Everything the engine needs from the outside world.

    reference_date replaces the clock: it anchors dates without a year and is the only notion
    of "today" the engine has, so results are reproducible.
    """

    reference_date: datetime.date
    use_embedded_xml: bool = True
    ocr_dpi: int = 300
    languages: tuple[str, ...] = DEFAULT_LANGUAGES  # the OCR packs a page may be read with
    # The packs a scan is expected in (the customer's locale): tried first, checked after.
    language_hint: tuple[str, ...] = ()
    # Where page renders are kept between attempts at the same document (None: not kept).
    render_cache_dir: str | None = None
    # A scan whose total or due date went unread is looked at again in crops (crop_reread.py);
    # off only to measure what that costs and gains.
    crop_reread: bool = True
    max_pages: int = 50
    limits: ReadLimits = field(default_factory=ReadLimits)
