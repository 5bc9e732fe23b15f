"""Fit the score calibration on the rule families and validate it on the held-out families.

Usage:
  casapay eval var/devset --xml without --json > eval.json
  python -m devset.calibrate eval.json

Isotonic regression (pool adjacent violators) maps the engine's raw score to the observed rate
of "total, currency and due date all right". The map is fitted on the rule families only (the
families rules were written against) and judged on the held-out families, which it never saw:
their reliability table and expected calibration error, raw and calibrated, and what routing
on the calibrated score at the default threshold would do there (straight-through, precision).
Two maps are compared: one for every document, and a gate-aware pair (documents the gate lets
through, documents it blocks), since a blocker is evidence the raw score does not see.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from extract.calibration import calibrated

Knots = list[tuple[float, float]]
Doc = dict[str, object]


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
    """Fewer knots for the source file: one per `step` of raw score, ends kept, no repeats."""
    out: Knots = []
    for x, y in knots:
        point = (round(x, 3), round(y, 3))
        if out and point == out[-1]:
            continue
        if not out or x - out[-1][0] >= step or (x, y) == knots[-1]:
            out.append(point)
    return out


def _raw(doc: Doc) -> float:
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


def routed(docs: list[Doc], score: Callable[[Doc], float], threshold: float) -> str:
    """Straight-through and precision if routing compared this score with the threshold."""
    auto = [
        d for d in docs if score(d) >= threshold and not d.get("blocked") and d.get("payable", True)
    ]
    right = sum(1 for d in auto if d["right"])
    share = len(auto) / max(1, len(docs))
    precision = f"{right / len(auto):.4f}" if auto else "n/a"
    return f"straight-through {share:.4f} ({len(auto)}), precision {precision} ({right})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devset.calibrate")
    parser.add_argument("eval_json")
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args(argv)
    data = json.loads(Path(args.eval_json).read_text(encoding="utf-8"))
    fit_on: list[Doc] = data["rules"]["per_document"]
    judged: list[Doc] = data["held_out"]["per_document"]
    one = thin(isotonic([(_raw(d), bool(d["right"])) for d in fit_on]))
    passed = thin(isotonic([(_raw(d), bool(d["right"])) for d in fit_on if not d.get("blocked")]))
    blocked = thin(isotonic([(_raw(d), bool(d["right"])) for d in fit_on if d.get("blocked")]))

    def gate_aware(d: Doc) -> float:
        return calibrated(_raw(d), blocked if d.get("blocked") else passed)

    scores: list[tuple[str, Callable[[Doc], float]]] = [
        ("raw score", _raw),
        ("one map (rule families)", lambda d: calibrated(_raw(d), one)),
        ("gate-aware maps (rule families)", gate_aware),
    ]
    print(f"fitted on {len(fit_on)} rule-family documents, judged on {len(judged)} held-out")
    for title, score in scores:
        lines, err = reliability([(score(d), bool(d["right"])) for d in judged])
        print(f"{title} on held-out families:")
        print("\n".join(lines))
        print(f"  expected calibration error {err:.4f}")
        print(f"  routed at {args.threshold}: {routed(judged, score, args.threshold)}")
    print("KNOTS (one map) = " + json.dumps(one))
    print("KNOTS (gate passed) = " + json.dumps(passed))
    print("KNOTS (gate blocked) = " + json.dumps(blocked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
