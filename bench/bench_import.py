"""Import benchmark: Quorum's validated import against a bare DuckDB load of the same files, in the same run.

Targets (issue 3): from Parquet at most 3x a bare ``CREATE TABLE AS SELECT * FROM read_parquet(...)``; from CSV at
most 3x a bare ``read_csv``. Both loads write to a fresh DuckDB file on the same disk.

    .venv/bin/python bench/bench_import.py --orgs 16000 --years 10     # ~36M attendance rows
    .venv/bin/python bench/bench_import.py --quick                     # a few seconds
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from analytics.importer import import_path
from analytics.schema import TABLE_ORDER
from analytics.store import open_store
from simulations import simulate


def bare_load(folder: Path, fmt: str, db: Path) -> float:
    """Seconds for DuckDB to load every table file as is, without any checks."""
    con = duckdb.connect(str(db))
    started = time.perf_counter()
    for table in TABLE_ORDER:
        path = folder / f"{table}.{fmt}"
        if not path.exists():
            continue
        reader = "read_parquet($p)" if fmt == "parquet" else "read_csv($p, header = true)"
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}", {"p": str(path)})
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def quorum_import(folder: Path, db: Path) -> float:
    """Seconds for ``import_path`` (reading, validation, transactional load) into a fresh store."""
    store = open_store(db)
    started = time.perf_counter()
    import_path(store, folder)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=16000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--quick", action="store_true", help="a small world (60 organisations, 3 years)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated files here")
    args = parser.parse_args()
    if args.quick:
        args.orgs, args.years = 60, 3

    work = args.workdir or Path(tempfile.mkdtemp(prefix="quorum-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"world: {args.orgs} organisations x {args.years} years, seed {args.seed}, in {work}")
    for fmt in args.formats.split(","):
        folder = work / fmt
        if not (folder / f"attendance.{fmt}").exists():
            started = time.perf_counter()
            result = simulate(folder, orgs=args.orgs, years=args.years, seed=args.seed, fmt=fmt)  # type: ignore[arg-type]
            print(f"[{fmt}] simulated in {time.perf_counter() - started:.1f} s: {result.row_counts}")
        for db in work.glob(f"{fmt}-*.duckdb*"):
            db.unlink()
        bare = bare_load(folder, fmt, work / f"{fmt}-bare.duckdb")
        ours = quorum_import(folder, work / f"{fmt}-quorum.duckdb")
        print(
            f"[{fmt}] bare DuckDB load {bare:.2f} s | quorum import {ours:.2f} s | "
            f"ratio {ours / bare:.2f}x (target <= 3x)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")
    if args.workdir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
