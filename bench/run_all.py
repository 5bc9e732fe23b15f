"""`make bench`: run every bench, each in its own process, then print one combined table.

Usage: python bench/run_all.py [--only NAME ...] [--markdown]
A bench that fails is reported at the end (with its exit status) and the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.report import TABLE_ENV, Row  # noqa: E402

# name -> arguments; each script prints its figures and calls bench.report.row for the table.
BENCHES: dict[str, list[str]] = {
    "extract_speed": ["bench/extract_speed.py"],
    "smtp_ingest": ["bench/smtp_ingest.py"],
    "pipeline_throughput": ["bench/pipeline_throughput.py"],
    "api_scale": ["bench/api_scale.py"],
    # Accuracy of OCR on scans made from the corpus (no floor: its figures are in its output).
    "ocr_corpus": ["bench/ocr_corpus.py", "--limit", "20"],
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run just these")
    args = parser.parse_args()
    names = args.only or list(BENCHES)
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", prefix="casapay-bench-") as table:
        env = {**os.environ, TABLE_ENV: table.name, "OMP_THREAD_LIMIT": "1"}
        failed: list[str] = []
        for name in names:
            print(f"\n=== {name}", flush=True)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, *BENCHES[name]], cwd=BENCH.parent, env=env)
            print(f"=== {name}: {time.perf_counter() - started:.0f} s", flush=True)
            if done.returncode != 0:
                failed.append(f"{name} (exit {done.returncode})")
        rows = [Row(**json.loads(line)) for line in table.read().splitlines() if line.strip()]
    print("\n" + render(rows))
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


def render(rows: list[Row]) -> str:
    lines = [
        "| bench | project | floor | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"
        met = {True: "yes", False: "**no**", None: "—"}[r.met]
        lines.append(f"| {r.bench} | {r.project} | {r.floor} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
