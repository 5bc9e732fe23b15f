"""One row of the combined bench table: a bench's figure next to its floor, measured in the same
run (machines here are shared and noisy, so ratios are what compare across runs).

Each bench calls `row(...)`, which prints the row and, when `make bench` runs it (through
bench/run_all.py, which sets CASAPAY_BENCH_TABLE), appends it to the table file that run_all
prints at the end.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

TABLE_ENV = "CASAPAY_BENCH_TABLE"


@dataclass(frozen=True)
class Row:
    bench: str  # what is measured, e.g. "text page (median)"
    project: str  # our figure with its unit, e.g. "14.2 ms"
    floor: str  # the bare library or framework on the same input, same run
    ratio: float | None  # as the target states it (project/floor for times, the inverse is named)
    target: str  # e.g. "≤ 4× floor"
    met: bool | None  # None when the row has no target to meet


def row(
    bench: str,
    project: str,
    floor: str,
    ratio: float | None,
    target: str,
    met: bool | None = None,
) -> Row:
    entry = Row(bench, project, floor, ratio, target, met)
    shown = "—" if ratio is None else f"{ratio:.2f}"
    verdict = {True: "met", False: "NOT met", None: ""}[met]
    print(f"[table] {bench}: {project} | floor {floor} | ratio {shown} | target {target} {verdict}")
    path = os.environ.get(TABLE_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as table:
            table.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
    return entry
