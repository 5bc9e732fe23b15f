"""Hard caps on what reading one document may cost, checked before any parser or renderer runs.

A declared page size (UserUnit included), a declared image size or a compressed stream says how
much memory a parser will ask for; checking the declaration is cheap, paying for it is not. The
sandbox's rlimits are the backstop for whatever slips past these checks.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from extract.result import ExtractionFailed

_STREAM_RE = re.compile(rb"stream\r?\n")
_USER_UNIT_RE = re.compile(rb"/UserUnit\s*([0-9]*\.?[0-9]+)")
_CHUNK = 1 << 20
_MAX_RATIO = 1032  # deflate's largest expansion (258 bytes per 2 bits)


@dataclass(frozen=True)
class ReadLimits:
    """Caps per document; the defaults fit any real invoice with a wide margin."""

    max_stream_bytes: int = 160 * 2**20  # one inflated stream (a 600 dpi colour A4 is ~100 MB)
    max_inflated_bytes: int = 512 * 2**20  # all Flate streams of the file together
    max_page_pixels: int = 40_000_000  # one rendered page (A3 at 300 dpi is 17 MP)
    max_total_pixels: int = 500_000_000  # every page rendered for one document
    max_image_pixels: int = 120_000_000  # one embedded image as declared (Width x Height)
    min_render_dpi: int = 100  # a page too big to render at this resolution is refused
    max_page_points: float = 14_400.0  # the PDF limit for a page side, in user units


def check_streams(data: bytes, limits: ReadLimits) -> None:
    """Inflate zlib streams of the file into nothing, counting bytes, before parsers do.

    Parsers inflate a whole stream into memory; a 1.5 MB bomb becomes 1.5 GB. Deflate cannot
    expand more than ~1032:1, so a stream too short to reach the cap is only counted at that
    bound; the others (and all of them, when the bounds add up past the total) are inflated
    with a bounded output buffer.
    """
    streams = list(_zlib_streams(data))
    bounds = [(end - start) * _MAX_RATIO for start, end in streams]
    exact_all = sum(bounds) > limits.max_inflated_bytes
    total = 0
    for (start, end), bound in zip(streams, bounds, strict=True):
        if bound <= limits.max_stream_bytes and not exact_all:
            total += bound
            continue
        size = _inflated_size(data, start, end, limits.max_stream_bytes + 1)
        if size > limits.max_stream_bytes:
            raise ExtractionFailed(
                "pdf_too_large",
                f"a compressed stream inflates past {limits.max_stream_bytes // 2**20} MB",
            )
        total += size
        if total > limits.max_inflated_bytes:
            raise ExtractionFailed(
                "pdf_too_large",
                f"the streams inflate past {limits.max_inflated_bytes // 2**20} MB in total",
            )


def _zlib_streams(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of every stream whose first bytes are a zlib header."""
    for match in _STREAM_RE.finditer(data):
        start = match.end()
        header = data[start : start + 2]
        if len(header) < 2 or header[0] & 0x0F != 8 or (header[0] * 256 + header[1]) % 31:
            continue  # not a zlib stream (DCT, raw, encrypted...)
        end = data.find(b"endstream", start)
        yield start, len(data) if end < 0 else end


def _inflated_size(data: bytes, start: int, end: int, cap: int) -> int:
    inflater = zlib.decompressobj()
    size = 0
    pos = start
    pending = b""
    try:
        while size < cap and not inflater.eof:
            if not pending:
                if pos >= end:
                    break
                pending = data[pos : min(pos + _CHUNK, end)]
                pos += _CHUNK
            size += len(inflater.decompress(pending, _CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged or not zlib after all: the parser decides what it is
    return size


def user_unit(data: bytes) -> float:
    """The largest /UserUnit the file declares (1.0 when none): pdfium ignores it, we do not."""
    units = [float(m.group(1)) for m in _USER_UNIT_RE.finditer(data)]
    return max([1.0, *units])


def render_scale(
    width_pt: float, height_pt: float, dpi: int, unit: float, limits: ReadLimits
) -> float:
    """The scale (pixels per point) to render a page at: `dpi`, lowered to fit the pixel cap.

    Raises pdf_too_large when the page's physical size (points x UserUnit) is beyond the PDF
    limit of a page side, or when it would need a resolution below `min_render_dpi` to fit.
    """
    if max(width_pt, height_pt) * unit > limits.max_page_points:
        raise ExtractionFailed(
            "pdf_too_large",
            f"a page declares {width_pt * unit:.0f} x {height_pt * unit:.0f} pt (UserUnit "
            f"{unit:g}); the limit is {limits.max_page_points:.0f} pt",
        )
    scale = dpi / 72
    area = max(width_pt * height_pt, 1.0)
    if area * scale * scale > limits.max_page_pixels:
        scale = (limits.max_page_pixels / area) ** 0.5
    if scale * 72 < limits.min_render_dpi:
        raise ExtractionFailed(
            "pdf_too_large",
            f"a page of {width_pt:.0f} x {height_pt:.0f} pt cannot be rendered within "
            f"{limits.max_page_pixels // 1_000_000} MP at {limits.min_render_dpi} dpi",
        )
    return scale


class PixelBudget:
    """Pixels rendered so far for one document, against the document's cap."""

    def __init__(self, limits: ReadLimits, kind: str = "pdf") -> None:
        self.limits = limits
        self.kind = kind
        self.used = 0

    def spend(self, pixels: int) -> None:
        self.used += pixels
        if self.used > self.limits.max_total_pixels:
            raise ExtractionFailed(
                f"{self.kind}_too_large",
                f"rendering needs more than {self.limits.max_total_pixels // 1_000_000} MP",
            )


def check_image(width: int, height: int, limits: ReadLimits, kind: str = "pdf") -> None:
    """A declared image larger than the cap is refused before anything decodes it."""
    if width * height > limits.max_image_pixels:
        raise ExtractionFailed(
            f"{kind}_too_large",
            f"an image declares {width} x {height} pixels; the limit is "
            f"{limits.max_image_pixels // 1_000_000} MP",
        )
