"""The one place that reads the wall clock, so tests can replace it."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]


def system_clock() -> int:
    """UTC unix seconds."""
    return int(time.time())
