"""Benchmark of the simulator: attendance rows written per second to Parquet, and peak memory.

    .venv/bin/python bench/bench_simulator.py            # the large run: ~40 million attendance rows
    .venv/bin/python bench/bench_simulator.py --quick    # ~1 million rows, a few seconds
    .venv/bin/python bench/bench_simulator.py --orgs 4000 --years 10 --out /tmp/world

The whole of ``simulate`` is timed (wall clock, and CPU time of all its processes, which other jobs on the
machine disturb less): generating the world, injecting violations, computing the exact truth and writing
all ten tables. Peak RSS is reported for this process and for the largest worker process (from two chunks on, a
worker process computes chunks beside this one); their sum is what the run needs at most. On a machine shared
with other jobs, compare CPU seconds: wall time then says more about the neighbours than about the simulator.
CPU seconds are also printed per side (this process, its workers) with the cores kept busy on average (CPU over wall
seconds: close to 2 on an idle 2-core machine, since this process computes chunks while its worker does).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulations import simulate

#: About 225 attendance rows per organisation-year (5–11 members, ~30 meetings a year): 18000 × 10 gives 40 million.
LARGE = {"orgs": 18_000, "years": 10}
QUICK = {"orgs": 400, "years": 10}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small run (about a million attendance rows)")
    parser.add_argument("--orgs", type=int, help="organisations (default: 18000, quick: 400)")
    parser.add_argument("--years", type=int, help="years (default: 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violation-rate", type=float, default=0.05)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary folder, removed afterwards)")
    args = parser.parse_args()
    size = dict(QUICK if args.quick else LARGE)
    if args.orgs:
        size["orgs"] = args.orgs
    if args.years:
        size["years"] = args.years

    out = args.out or Path(tempfile.mkdtemp(prefix="quorum-bench-"))
    try:
        started = time.perf_counter()
        result = simulate(out, seed=args.seed, violation_rate=args.violation_rate, fmt="parquet", **size)
        seconds = time.perf_counter() - started
        usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        own_cpu, child_cpu = (u.ru_utime + u.ru_stime for u in usage)
        cpu = own_cpu + child_cpu
        rows = result.row_counts["attendance"]
        total = sum(result.row_counts.values())
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mb = sum(p.stat().st_size for p in out.iterdir()) / 1e6
        print(f"organisations × years : {size['orgs']} × {size['years']}")
        print(f"attendance rows       : {rows:,}")
        print(f"all rows (10 tables)  : {total:,}")
        print(f"truth rows            : {result.truth_rows:,}")
        print(f"seconds               : {seconds:.1f}")
        print(f"attendance rows/s     : {rows / seconds:,.0f}")
        print(f"CPU seconds (all procs): {cpu:.1f} ({rows / cpu:,.0f} attendance rows per CPU second)")
        print(f"CPU seconds (this, workers): {own_cpu:.1f}, {child_cpu:.1f} ({cpu / seconds:.2f} cores busy)")
        print(f"all rows/s            : {total / seconds:,.0f}")
        print(f"peak RSS (this process): {own:,.0f} MiB")
        print(f"peak RSS (one worker)  : {child:,.0f} MiB")
        print(f"files                 : {size_mb:,.0f} MB")
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
