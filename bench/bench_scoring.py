"""Benchmark of the scoring engine: 100,000 random score sheets across every criteria set.

Run: .venv/bin/python bench/bench_scoring.py [SHEETS]. No Django, no database: the specs are
read from the data files with ocop.criteria.files. Exits 1 when the target is missed.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ocop.criteria.files import load_specs  # noqa: E402
from ocop.criteria.scoring import score  # noqa: E402

TARGET_SHEETS = 100_000
TARGET_SECONDS = 10.0


def main() -> int:
    sheets = int(sys.argv[1]) if len(sys.argv) > 1 else TARGET_SHEETS
    specs = list(load_specs().values())
    rng = random.Random(148)
    # Sheets are built before the clock starts: only scoring is measured. One in ten leaves
    # a criterion unanswered, so the incomplete path is measured too.
    choices = [
        (spec, [(c.code, [o.code for o in c.options]) for c in spec.criteria()]) for spec in specs
    ]
    work = []
    for i in range(sheets):
        spec, criteria = choices[i % len(choices)]
        answers = {code: rng.choice(options) for code, options in criteria}
        if i % 10 == 0:
            answers.pop(criteria[rng.randrange(len(criteria))][0])
        work.append((spec, answers))

    start = time.perf_counter()
    stars = [0] * 6
    for spec, answers in work:
        result = score(spec, answers)
        stars[result.stars or 0] += 1
    seconds = time.perf_counter() - start

    ok = sheets < TARGET_SHEETS or seconds < TARGET_SECONDS
    print(f"criteria sets: {len(specs)}")
    print(f"sheets: {sheets:,}")
    print(f"total seconds: {seconds:.2f}")
    print(f"sheets/second: {sheets / seconds:,.0f}")
    print(f"classes (unranked, 1-5 stars): {stars}")
    print(f"target: {TARGET_SHEETS:,} sheets < {TARGET_SECONDS:g} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
