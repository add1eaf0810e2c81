"""`python -m drills [NAME ...]`: run the drills, print the table, exit 1 if any failed."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime

from drills.catalogue import DRILLS
from drills.outcome import details, table
from drills.runner import run


def main(argv: list[str] | None = None) -> int:
    names = [d.name for d in DRILLS]
    parser = argparse.ArgumentParser(prog="python -m drills", description=__doc__)
    parser.add_argument("drills", nargs="*", metavar="NAME", help=f"default: all of {names}")
    parser.add_argument("--keep", action="store_true", help="keep every stack's files")
    args = parser.parse_args(argv)
    unknown = set(args.drills) - set(names)
    if unknown:
        parser.error(f"unknown drill(s) {sorted(unknown)}; choose from {names}")
    chosen = [d for d in DRILLS if not args.drills or d.name in args.drills]
    base = int(os.environ.get("CHAOS_PORT_BASE", "19000"))
    outcomes = []
    for i, drill in enumerate(chosen):
        print(f"[{i + 1}/{len(chosen)}] {drill.name}: {drill.summary}", flush=True)
        outcome = run(drill, base + 10 * i, keep=args.keep)
        verdict = "ok" if outcome.ok else "FAILED"
        print(f"    {verdict} in {outcome.seconds:.0f} s", flush=True)
        outcomes.append(outcome)
    print(f"\nResilience drills, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    print(table(outcomes))
    if notes := details(outcomes):
        print(f"\n{notes}")
    failed = [o.name for o in outcomes if not o.ok]
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
