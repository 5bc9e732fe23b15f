"""Words with positions grouped into lines and column segments, and label→value geometry.

A label's value is searched where people put it: after the label in the same phrase, in the next
phrase to the right on the same line, or below it in the same column (table headers).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extract.lexicon import fold

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """One word on a page, in PDF points with a top-left origin (as pdfplumber reports)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    conf: float = 1.0  # OCR word confidence 0..1; 1.0 for a text layer
    source: str = "text"

    def __init__(
        self,
        text: str,
        x0: float,
        top: float,
        x1: float,
        bottom: float,
        page: int,
        conf: float = 1.0,
        source: str = "text",
    ) -> None:
        # What the generated frozen __init__ does (one object.__setattr__ per field), in one
        # dict update: a page builds a Word per word, and that was a third of its cost.
        self.__dict__.update(
            text=text, x0=x0, top=top, x1=x1, bottom=bottom, page=page, conf=conf, source=source
        )

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class Segment:
    """A run of words on one line separated from its neighbours by a column-sized gap."""

    words: list[Word]
    line_no: int
    text: str = ""
    folded: str = ""
    offsets: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts = [w.text for w in self.words]
        pos = 0
        offsets = self.offsets
        for part in parts:
            end = pos + len(part)
            offsets.append((pos, end))
            pos = end + 1
        self.text = " ".join(parts)
        self.folded = fold(self.text)
        # The box, once: value searches ask every segment of the lines below a label for it.
        words = self.words
        self._box = (
            min([w.x0 for w in words]),
            min([w.top for w in words]),
            max([w.x1 for w in words]),
            max([w.bottom for w in words]),
        )

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def x0(self) -> float:
        return self._box[0]

    @property
    def x1(self) -> float:
        return self._box[2]

    @property
    def top(self) -> float:
        return self._box[1]

    @property
    def bottom(self) -> float:
        return self._box[3]

    def words_in(self, start: int, end: int) -> list[Word]:
        pairs = zip(self.words, self.offsets, strict=True)
        return [w for w, (s, e) in pairs if s < end and e > start]

    def bbox(self, start: int = 0, end: int | None = None) -> BBox:
        chosen = self.words_in(start, len(self.text) if end is None else end) or self.words
        return (
            min(w.x0 for w in chosen),
            min(w.top for w in chosen),
            max(w.x1 for w in chosen),
            max(w.bottom for w in chosen),
        )

    def conf(self, start: int = 0, end: int | None = None) -> float:
        chosen = self.words_in(start, len(self.text) if end is None else end) or self.words
        return min(w.conf for w in chosen)


@dataclass
class Line:
    """Words sharing a baseline, split into segments."""

    page: int
    top: float
    bottom: float
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "   ".join(s.text for s in self.segments)


@dataclass
class PageLayout:
    """A page's lines in reading order and where its words came from."""

    number: int
    width: float
    height: float
    source: str  # "text" | "ocr"
    lines: list[Line]
    photographed: bool = False  # read by OCR from a phone photo (flattened, light evened)

    def segments(self) -> Iterator[Segment]:
        for line in self.lines:
            yield from line.segments


_GLUED_RE = re.compile(r"^([^\W\d_][^\s:]{1,30}:)([\w\u20ac$\u00a3#(+-].*)$")


def split_glued(word: Word) -> list[Word]:
    """A label glued to its value ("Datum:05.03.2025", "REF.:2024-17") becomes two words; the
    box is split in proportion to the characters. URLs ("https://") are left alone."""
    if ":" not in word.text:
        return [word]  # no label's colon: most words (the pattern needs one)
    m = _GLUED_RE.match(word.text)
    if m is None or m.group(2).startswith("//"):
        return [word]
    label, value = m.group(1), m.group(2)
    cut = word.x0 + (word.x1 - word.x0) * len(label) / len(word.text)
    return [
        Word(label, word.x0, word.top, cut, word.bottom, word.page, word.conf, word.source),
        Word(value, cut, word.top, word.x1, word.bottom, word.page, word.conf, word.source),
    ]


def build_lines(words: list[Word], page: int, line_offset: int = 0) -> list[Line]:
    """Group words into lines by vertical overlap, then into segments by horizontal gaps."""
    lines: list[list[Word]] = []
    # The last line's tops and bottoms, kept sorted as words join it: its medians without
    # sorting the line again for every word.
    tops: list[float] = []
    bottoms: list[float] = []
    # split_glued keeps a word without a colon as it is: most words skip the call.
    words = [part for w in words for part in (split_glued(w) if ":" in w.text else (w,))]
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        centre = (w.top + w.bottom) / 2
        if lines:
            last = lines[-1]
            top, bottom = _sorted_median(tops), _sorted_median(bottoms)
            height = w.height
            if top - 0.5 <= centre <= bottom + 0.5 and abs(height - (bottom - top)) < max(
                height, bottom - top
            ):
                last.append(w)
                bisect.insort(tops, w.top)
                bisect.insort(bottoms, w.bottom)
                continue
        lines.append([w])
        tops, bottoms = [w.top], [w.bottom]
    result: list[Line] = []
    for i, ws in enumerate(lines):
        ws.sort(key=lambda w: w.x0)
        # OCR boxes hug the glyphs ("vom" is shorter than "Nr."), so also use the line's extent.
        extent = max(w.bottom for w in ws) - min(w.top for w in ws)
        height = max(_sorted_median(sorted(w.height for w in ws)), 0.8 * extent)
        gap_limit = max(1.1 * height, 6.0)
        segs: list[list[Word]] = [[ws[0]]]
        for prev, w in itertools.pairwise(ws):
            if w.x0 - prev.x1 > gap_limit:
                segs.append([w])
            else:
                segs[-1].append(w)
        line_no = line_offset + i
        result.append(
            Line(
                page=page,
                top=min(w.top for w in ws),
                bottom=max(w.bottom for w in ws),
                segments=[Segment(s, line_no) for s in segs],
            )
        )
    return result


def _sorted_median(values: list[float]) -> float:
    """statistics.median of values already sorted (the same arithmetic, without the sort)."""
    n = len(values)
    if n % 2 == 1:
        return values[n // 2]
    return (values[n // 2 - 1] + values[n // 2]) / 2


@dataclass(frozen=True)
class Place:
    """Where a value candidate sits relative to its label; `rank` orders the search."""

    segment: Segment
    start: int  # character offset inside the segment where the search begins
    relation: str  # "same" | "right" | "below"
    distance: int  # 0 for same, 1.. for segments to the right / lines below


def value_places(
    page: PageLayout, line_index: int, seg: Segment, label_end: int, max_below: int = 3
) -> Iterator[Place]:
    """Candidate places for a label's value, nearest first."""
    yield Place(seg, label_end, "same", 0)
    line = page.lines[line_index]
    right = [s for s in line.segments if s.x0 >= seg.x1 - 1]
    for i, s in enumerate(sorted(right, key=lambda s: s.x0), start=1):
        yield Place(s, 0, "right", i)
    height = max(seg.bottom - seg.top, 1.0)
    below = 0
    for other in page.lines[line_index + 1 :]:
        if other.top - seg.bottom > 6 * height:
            break
        hits = [
            s for s in other.segments if s.x0 <= seg.x1 + 2 * height and s.x1 >= seg.x0 - 2 * height
        ]
        if not hits:
            continue
        hits = [s for s in hits if _value_like(s)]
        if not hits:
            continue
        below += 1
        if below > max_below:
            break
        # Prefer the segment whose horizontal span overlaps the label most.
        hits.sort(key=lambda s: -_overlap(s, seg))
        for s in hits:
            yield Place(s, 0, "below", below)


def _value_like(seg: Segment) -> bool:
    """A table cell, not a sentence: few words or mostly digits."""
    digits = sum(c.isdigit() for c in seg.text)
    return len(seg.words) <= 4 or digits >= 0.3 * len(seg.text.replace(" ", ""))


def _overlap(a: Segment, b: Segment) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)
