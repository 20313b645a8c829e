"""Bench the rule engine: the whole ``standard`` rulebook (DQ included) against a bare scan of attendance.

    python bench/bench_engine.py --orgs 2000 --years 10            # simulate, import, measure
    python bench/bench_engine.py --db /tmp/big.duckdb             # reuse a store built earlier

Target (issue 4): the full check in at most 250x a bare ``SELECT count(*), sum(hours) FROM attendance`` and a
peak RSS under 2 GiB at ~40M attendance rows. The store is built in this process; the measurement runs in a fresh
child process so that its peak RSS is the check's, not the simulator's or the importer's.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build(db: Path, orgs: int, years: int, seed: int) -> str:
    """Simulate ``orgs`` organisations over ``years`` years and import them into ``db``; returns the as_of."""
    from analytics.importer import import_path
    from analytics.store import open_store
    from simulations import simulate

    with tempfile.TemporaryDirectory(prefix="quorum-bench-engine-") as tmp:
        t0 = time.perf_counter()
        result = simulate(Path(tmp), orgs=orgs, years=years, seed=seed, fmt="parquet", violation_rate=0.05)
        print(f"simulated {result.row_counts} in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        with open_store(db) as store:
            import_path(store, tmp)
            store.execute(
                "INSERT INTO quorum_meta VALUES ('bench_as_of', $v) ON CONFLICT (key) DO UPDATE SET value = $v",
                {"v": result.as_of.isoformat()},
            )
        print(f"imported into {db} in {time.perf_counter() - t0:.1f} s", flush=True)
        return result.as_of.isoformat()


def measure(db: Path, as_of: str | None, repeat: int, memory_limit: str | None) -> dict[str, object]:
    """Time the bare scan and the full check on ``db`` (read-only); the peak RSS of this process."""
    from analytics.engine import run_check, timed_views
    from analytics.store import open_store

    with open_store(db, read_only=True) as store:
        if memory_limit:
            # DuckDB's buffer pool (cached blocks, hash tables, temp tables) is capped; beyond it DuckDB spills to
            # its temp directory. A process-wide setting: the deployment's choice, not the engine's. SET takes no
            # parameters, so the value is checked to be a plain size before it goes into the statement.
            if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)", memory_limit):
                raise SystemExit(f"--memory-limit: expected a size such as 1GB, got {memory_limit!r}")
            store.con.execute(f"SET memory_limit = '{memory_limit}'")
        if as_of is None:
            row = store.con.execute("SELECT value FROM quorum_meta WHERE key = 'bench_as_of'").fetchone()
            as_of = row[0] if row else None
        attendance = store.con.execute("SELECT count(*) FROM attendance").fetchone()[0]  # type: ignore[index]
        bare, bare_cpu = [], []
        for _ in range(max(repeat, 3)):
            t0, c0 = time.perf_counter(), time.process_time()
            store.con.execute("SELECT count(*), sum(hours) FROM attendance").fetchall()
            bare.append(time.perf_counter() - t0)
            bare_cpu.append(time.process_time() - c0)
        checks, checks_cpu = [], []
        stages: dict[str, float] = {}
        for _ in range(repeat):
            marks: list[tuple[str, float]] = []

            def mark(label: str, _fraction: float, marks: list[tuple[str, float]] = marks) -> None:
                marks.append((label, time.perf_counter()))

            t0, c0 = time.perf_counter(), time.process_time()
            run = run_check(store, as_of=as_of, save=False, progress=mark)
            end = time.perf_counter()
            checks.append(end - t0)
            # CPU seconds too: on a shared machine wall time swings with the neighbours' load, CPU time much less
            checks_cpu.append(time.process_time() - c0)
            # each progress mark starts a stage that lasts until the next one
            bounds = [*marks, ("end", end)]
            stages = {label: bounds[i + 1][1] - t for i, (label, t) in enumerate(marks)}
        facts = timed_views(store, as_of)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best_bare, best_check = min(bare), min(checks)
    return {
        "attendance_rows": attendance,
        "as_of": str(run.as_of),
        "findings": run.counts["findings"],
        "bare_scan_s": round(best_bare, 4),
        "check_s": round(best_check, 3),
        "ratio": round(best_check / best_bare, 1),
        "bare_scan_cpu_s": round(min(bare_cpu), 4),
        "check_cpu_s": round(min(checks_cpu), 3),
        "cpu_ratio": round(min(checks_cpu) / max(min(bare_cpu), 1e-6), 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "slowest_stages_s": dict(sorted(((k, round(v, 3)) for k, v in stages.items()), key=lambda kv: -kv[1])[:12]),
        "facts_s": {k: round(v, 3) for k, v in facts.items() if v >= 0.01},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="store to use; built when it does not exist")
    parser.add_argument("--orgs", type=int, default=400, help="organisations to simulate (scale)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--as-of", help="check date (default: the simulated period's as_of)")
    parser.add_argument("--repeat", type=int, default=2, help="check runs; the best is reported")
    parser.add_argument(
        "--memory-limit", default="", help="DuckDB memory_limit for the measurement ('' = DuckDB's default)"
    )
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)

    if args.measure_only:
        print(json.dumps(measure(args.db, args.as_of, args.repeat, args.memory_limit), ensure_ascii=False))
        return 0
    tmpdir = None
    db = args.db
    if db is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="quorum-bench-engine-db-")
        db = Path(tmpdir.name) / "bench.duckdb"
    if not db.exists():
        build(db, args.orgs, args.years, args.seed)
    cmd = [sys.executable, __file__, "--measure-only", "--db", str(db), "--repeat", str(args.repeat)]
    cmd += ["--memory-limit", args.memory_limit]
    if args.as_of:
        cmd += ["--as-of", args.as_of]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"attendance rows   {result['attendance_rows']:,}")
    print(f"bare scan         {result['bare_scan_s'] * 1000:.1f} ms")
    print(f"full check        {result['check_s']:.2f} s  ({result['findings']:,} findings, as of {result['as_of']})")
    print(f"ratio             {result['ratio']}x  (target <= 250x)")
    print(
        f"CPU time          bare {result['bare_scan_cpu_s'] * 1000:.1f} ms, check {result['check_cpu_s']:.2f} s, "
        f"ratio {result['cpu_ratio']}x"
    )
    print(
        f"peak RSS          {result['peak_rss_mib']:.0f} MiB  (target < 2048 MiB; DuckDB memory_limit "
        f"{args.memory_limit or 'default'})"
    )
    print("slowest stages    " + ", ".join(f"{k} {v:.2f}s" for k, v in result["slowest_stages_s"].items()))
    print("views.sql facts   " + ", ".join(f"{k} {v:.2f}s" for k, v in result["facts_s"].items()))
    if tmpdir is not None:
        tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
