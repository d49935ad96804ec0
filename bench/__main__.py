"""`python -m bench` (and `python main.py bench` in a checkout): run the scenarios and print their
figures, one per line or (`--json`) as one object, the keys DESIGN.md lists."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python main.py bench", description="the benchmark suite")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--only", help="run one scenario")
    args = p.parse_args(argv)
    from bench.runner import run_bench

    results = run_bench(only=args.only)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
