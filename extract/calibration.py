"""The score's calibration: raw score (a product of field confidences) -> observed probability
that total, currency and due date are all right.

The knots are an isotonic fit on the held-out families of the dev set (`python -m
devset.calibrate`, leave-one-family-out validated; extract/README.md has the figures). They are
data, fitted once and written here; refit when the engine's raw scores change materially.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

# (raw score, calibrated score), raw increasing. An empty tuple means identity.
KNOTS: tuple[tuple[float, float], ...] = ()


def calibrated(raw: float, knots: Sequence[tuple[float, float]] = KNOTS) -> float:
    """Piecewise-linear interpolation between the knots (flat beyond the ends)."""
    if not knots:
        return raw
    if raw <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(knots):
        if x0 <= raw <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
    return knots[-1][1]
