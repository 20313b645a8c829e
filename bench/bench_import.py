"""Import benchmark: Quorum's validated import against a bare DuckDB load of the same files, in the same run.

Targets (issue 3): from Parquet at most 3x a bare ``CREATE TABLE AS SELECT * FROM read_parquet(...)``; from CSV at
most 3x a bare ``read_csv``. Both loads write to a fresh DuckDB file on the same disk. ``import_path`` then builds
the record facts the checks read (analytics/facts.py); they are timed apart, and the ratio is printed both for the
import (reading, validation, the transactional load) and with the facts. Each load runs in a child
process of its own, so its CPU time (user + sys, all threads) and its peak RSS are its own; on a shared machine wall
times are noisy, and the CPU ratio is the steadier figure.

    .venv/bin/python bench/bench_import.py --orgs 16000 --years 10     # ~36M attendance rows
    .venv/bin/python bench/bench_import.py --quick                     # a few seconds
    .venv/bin/python bench/bench_import.py --folder /tmp/w40/parquet --formats parquet   # existing files
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from analytics import facts
from analytics.importer import import_path
from analytics.schema import TABLE_ORDER
from analytics.store import open_store
from simulations import simulate


def bare_load(folder: Path, fmt: str, db: Path) -> None:
    """DuckDB loads every table file as is, without any checks."""
    con = duckdb.connect(str(db))
    for table in TABLE_ORDER:
        path = folder / f"{table}.{fmt}"
        if not path.exists():
            continue
        reader = "read_parquet($p)" if fmt == "parquet" else "read_csv($p, header = true)"
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}", {"p": str(path)})
    con.close()


def quorum_import(folder: Path, db: Path) -> dict[str, float]:
    """``import_path`` (reading, validation, transactional load) into a fresh store, then the record facts as
    ``import_path`` builds them by default; the wall and CPU seconds of each."""
    with open_store(db) as store:
        wall, cpu = time.perf_counter(), _cpu()
        import_path(store, folder, facts=False)
        records = {"records_wall": time.perf_counter() - wall, "records_cpu": _cpu() - cpu}
        wall, cpu = time.perf_counter(), _cpu()
        facts.ensure(store)
        return records | {"facts_wall": time.perf_counter() - wall, "facts_cpu": _cpu() - cpu}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process (DuckDB's included)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, folder: Path, fmt: str, db: Path) -> None:
    """One load, timed from inside (interpreter start-up and imports excluded); prints its figures as JSON."""
    wall, cpu = time.perf_counter(), _cpu()
    parts: dict[str, float] = {}
    if kind == "quorum":
        parts = quorum_import(folder, db)
    else:
        bare_load(folder, fmt, db)
    figures = parts | {
        "wall": time.perf_counter() - wall,
        "cpu": _cpu() - cpu,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(figures))


def measure(kind: str, folder: Path, fmt: str, db: Path) -> dict[str, float]:
    """Run one load in a child process of its own; its wall seconds, CPU seconds and peak RSS (MiB)."""
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    command = [sys.executable, __file__, "--child", kind, "--folder", str(folder), "--formats", fmt, "--db", str(db)]
    out = subprocess.run(
        command, check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=16000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--quick", action="store_true", help="a small world (60 organisations, 3 years)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated files and stores here")
    parser.add_argument("--folder", type=Path, default=None, help="import these files instead of simulating")
    parser.add_argument("--child", choices=("bare", "quorum"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.formats, args.db)
        return
    if args.quick:
        args.orgs, args.years = 60, 3

    work = args.workdir or Path(tempfile.mkdtemp(prefix="quorum-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for fmt in args.formats.split(","):
        folder = args.folder or work / fmt
        if args.folder is None and not (folder / f"attendance.{fmt}").exists():
            print(f"world: {args.orgs} organisations x {args.years} years, seed {args.seed}, in {folder}")
            started = time.perf_counter()
            result = simulate(folder, orgs=args.orgs, years=args.years, seed=args.seed, fmt=fmt)  # type: ignore[arg-type]
            print(f"[{fmt}] simulated in {time.perf_counter() - started:.1f} s: {result.row_counts}")
        bare = measure("bare", folder, fmt, work / f"{fmt}-bare.duckdb")
        ours = measure("quorum", folder, fmt, work / f"{fmt}-quorum.duckdb")
        for db in work.glob(f"{fmt}-*.duckdb*"):
            db.unlink()
        results[fmt] = {"bare": bare, "quorum": ours}
        w, c = ours["records_wall"], ours["records_cpu"]
        print(
            f"[{fmt}] bare DuckDB load {bare['wall']:.1f} s wall, {bare['cpu']:.1f} s CPU, {bare['rss']:.0f} MiB\n"
            f"[{fmt}] quorum import   {w:.1f} s wall, {c:.1f} s CPU: {w / bare['wall']:.2f}x wall, "
            f"{c / bare['cpu']:.2f}x CPU (target <= 3x)\n"
            f"[{fmt}] + record facts  {ours['facts_wall']:.1f} s wall, {ours['facts_cpu']:.1f} s CPU: in all "
            f"{ours['wall']:.1f} s wall = {ours['wall'] / bare['wall']:.2f}x, {ours['cpu']:.1f} s CPU = "
            f"{ours['cpu'] / bare['cpu']:.2f}x; peak {ours['rss']:.0f} MiB"
        )
    print(json.dumps(results))
    if args.workdir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
