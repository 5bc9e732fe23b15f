"""Running totals carried from one page to the next are never what is owed.

A multi-page invoice prints its running sum at the foot of a page ("Carried forward",
"Übertrag", "À reporter") and again at the head of the next ("Balance brought forward"). Their
wording varies without end and often contains payable words ("Balance ..."); their geometry
does not: the same amount closes one page and opens the next. Amount candidates in those
places are dropped before the resolvers weigh totals, nets and amounts due.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from extract.candidates import AMOUNT_LABELS, Candidate
from extract.layout import Line, PageLayout
from extract.numbers import find_amounts


def _money_lines(lines: list[Line]) -> list[Line]:
    return [
        line
        for line in lines
        if any(a.decimals == 2 for s in line.segments for a in find_amounts(s.text))
    ]


def _rightmost(line: Line) -> Decimal | None:
    found = [a.value for s in line.segments for a in find_amounts(s.text) if a.decimals == 2]
    return found[-1] if found else None


def carried_places(pages: list[PageLayout]) -> set[tuple[int, int, Decimal]]:
    """(page, rounded line top, amount) of every amount carried across a page break: the last
    money line of a page and the first of the next end in the same amount."""
    places: set[tuple[int, int, Decimal]] = set()
    for page, nxt in itertools.pairwise(pages):
        foot, head = _money_lines(page.lines), _money_lines(nxt.lines)
        if not foot or not head:
            continue
        value = _rightmost(foot[-1])
        if value is None or value == 0 or value != _rightmost(head[0]):
            continue
        places.add((page.number, round(foot[-1].top), value))
        places.add((nxt.number, round(head[0].top), value))
    return places


def drop_carried(cands: list[Candidate], pages: list[PageLayout]) -> list[Candidate]:
    """The amount candidates without those that stand where a carried running total stands.

    A running sum only grows towards the final total, so a carried amount is dropped only when
    a larger labelled total stands elsewhere (an amount repeated on a payment slip's page is
    the total itself, not a carry)."""
    places = carried_places(pages)
    if not places:
        return cands

    def carried(c: Candidate) -> bool:
        return (
            c.label in AMOUNT_LABELS
            and isinstance(c.value, Decimal)
            and any(
                p == c.page and abs(t - c.bbox[1]) <= 3 and abs(v) == abs(c.value)
                for p, t, v in places
            )
        )

    final = [
        abs(c.value)
        for c in cands
        if c.label in ("total", "amount_due") and isinstance(c.value, Decimal) and not carried(c)
    ]
    largest = max(final, default=Decimal(0))
    return [c for c in cands if not (carried(c) and abs(c.value) < largest)]  # type: ignore[arg-type]
