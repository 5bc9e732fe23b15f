"""`python -m devset [OUT] [--count N] [--seed S]`: write the development set (default 630
documents into var/devset, which git ignores)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from devset.build import write_set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devset")
    parser.add_argument("out", nargs="?", default="var/devset")
    parser.add_argument("--count", type=int, default=630)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = write_set(Path(args.out), args.count, args.seed, args.start)
    took = time.perf_counter() - started
    print(f"wrote {len(written)} documents to {args.out} in {took:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
