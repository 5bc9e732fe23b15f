"""Fit the score calibration on held-out families, validated family by family.

Usage:
  casapay eval var/devset --xml without --json --calibration > eval.json
  python -m devset.calibrate eval.json

Isotonic regression (pool adjacent violators) maps the engine's raw score to the observed rate
of "total, currency and due date all right". Leave-one-family-out: each held-out family is
scored by a map fitted on the other held-out families only, which gives an honest reliability
table; the map fitted on all held-out families is printed as knots for extract/calibration.py.
It fits the raw score (before calibration), which every extraction reports beside its score.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extract.calibration import calibrated

Knots = list[tuple[float, float]]


def isotonic(points: list[tuple[float, bool]]) -> Knots:
    """Monotone non-decreasing step fit of P(right | score), as (score, rate) knots."""
    blocks: list[list[float]] = []  # [sum_right, count, min_score, max_score]
    for score, right in sorted(points):
        blocks.append([float(right), 1.0, score, score])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            r, n, lo, hi = blocks.pop()
            blocks[-1][0] += r
            blocks[-1][1] += n
            blocks[-1][3] = hi
    knots: Knots = []
    for r, n, lo, hi in blocks:
        rate = r / n
        knots.append((lo, rate))
        if hi > lo:
            knots.append((hi, rate))
    return knots


def thin(knots: Knots, step: float = 0.05) -> Knots:
    """Fewer knots for the source file: one per `step` of raw score, ends kept."""
    out: Knots = []
    for x, y in knots:
        if not out or x - out[-1][0] >= step or (x, y) == knots[-1]:
            out.append((round(x, 3), round(y, 3)))
    return out


def _raw(doc: dict[str, object]) -> float:
    raw = doc.get("raw_score")
    return float(raw if raw is not None else doc["score"])  # type: ignore[arg-type]


def reliability(pairs: list[tuple[float, bool]], bins: int = 10) -> tuple[list[str], float]:
    lines, err = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        rows = [(s, r) for s, r in pairs if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if not rows:
            continue
        conf = sum(s for s, _ in rows) / len(rows)
        acc = sum(1 for _, r in rows if r) / len(rows)
        err += len(rows) * abs(conf - acc)
        lines.append(
            f"  {lo:.1f}-{hi:.1f}  n={len(rows):<4} confidence {conf:.3f}  accuracy {acc:.3f}"
        )
    return lines, err / max(1, len(pairs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devset.calibrate")
    parser.add_argument("eval_json")
    args = parser.parse_args(argv)
    data = json.loads(Path(args.eval_json).read_text(encoding="utf-8"))
    docs = data["held_out"]["per_document"]
    families = sorted({d["family"] for d in docs})
    validated: list[tuple[float, bool]] = []
    for family in families:
        train = [(_raw(d), d["right"]) for d in docs if d["family"] != family]
        knots = isotonic(train)
        validated += [
            (calibrated(_raw(d), knots), d["right"]) for d in docs if d["family"] == family
        ]
    raw_lines, raw_err = reliability([(_raw(d), d["right"]) for d in docs])
    cv_lines, cv_err = reliability(validated)
    print("raw score on held-out families:")
    print("\n".join(raw_lines))
    print(f"  expected calibration error {raw_err:.4f}")
    print("leave-one-family-out calibrated score:")
    print("\n".join(cv_lines))
    print(f"  expected calibration error {cv_err:.4f}")
    final = thin(isotonic([(_raw(d), d["right"]) for d in docs]))
    print("KNOTS = " + json.dumps(final))
    return 0


if __name__ == "__main__":
    sys.exit(main())
