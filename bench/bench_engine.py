"""Bench the rule engine: the whole ``standard`` rulebook (DQ included) against a bare scan of attendance.

    python bench/bench_engine.py --orgs 2000 --years 10            # simulate, import, measure
    python bench/bench_engine.py --db /tmp/big.duckdb             # reuse a store built earlier

    python bench/bench_engine.py --db /tmp/big.duckdb --profile   # one query per rule, and each shared fact timed

Target (issue 4): the full check in at most 250x a bare ``SELECT count(*), sum(hours) FROM attendance`` and a
peak RSS under 2 GiB at ~40M attendance rows. The check is ``run_check`` as ``quorum check`` runs it: the findings
are stored in the store (``--no-save`` only computes them), so ``--db`` is written to: use a copy. The store is
built in this process; the measurement runs in a fresh child process so that its peak RSS is the check's, not the
simulator's or the importer's. A store this script built keeps the simulator's truth beside it
(``STORE.truth.csv``); a check at the default as_of is then compared with it, (rule_id, subject_key) both ways.
CPU seconds (user + system, all threads) are printed beside wall seconds: on a shared
machine wall time swings with the neighbours' load, CPU time much less.

The import builds the store's record facts (analytics/facts.py) and every check reads them; the import's time
(the facts included, and apart) is printed when this script builds the store. With ``--rebuild-facts`` the facts
are marked stale first, as after ``quorum import --defer-facts``: the first check then builds them and is reported
on its own line, and ``--repeat`` checks on the facts it left are timed as "the check".
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def truth_path(db: Path) -> Path:
    """Where :func:`build` keeps the simulator's truth beside the store it built."""
    return db.with_name(db.name + ".truth.csv")


def build(db: Path, orgs: int, years: int, seed: int) -> str:
    """Simulate ``orgs`` organisations over ``years`` years and import them into ``db``, keeping the simulator's
    ``truth.csv`` beside it (:func:`truth_path`); returns the as_of."""
    from analytics.importer import import_path
    from analytics.store import open_store
    from simulations import simulate

    with tempfile.TemporaryDirectory(prefix="quorum-bench-engine-") as tmp:
        t0 = time.perf_counter()
        result = simulate(Path(tmp), orgs=orgs, years=years, seed=seed, fmt="parquet", violation_rate=0.05)
        shutil.copyfile(result.truth_path, truth_path(db))
        print(f"simulated {result.row_counts} in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        with open_store(db) as store:
            summary = import_path(store, tmp)
            store.execute(
                "INSERT INTO quorum_meta VALUES ('bench_as_of', $v) ON CONFLICT (key) DO UPDATE SET value = $v",
                {"v": result.as_of.isoformat()},
            )
        print(
            f"imported into {db} in {time.perf_counter() - t0:.1f} s, of which building the record facts "
            f"{summary.facts_seconds or 0:.1f} s",
            flush=True,
        )
        return result.as_of.isoformat()


def _child(cmd: list[str]) -> dict[str, object]:
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(
    db: Path,
    as_of: str | None,
    repeat: int,
    memory_limit: str | None,
    *,
    save: bool = True,
    profile: bool = False,
    rebuild_facts: bool = False,
) -> dict[str, object]:
    """Time the bare scan and the full check on ``db``; the peak RSS of this process. With ``profile``, each rule
    runs as its own query (so each is a stage) and each statement of views.sql is timed after the check."""
    import analytics.engine as engine
    from analytics import facts
    from analytics.engine import run_check, timed_views
    from analytics.store import open_store

    if profile:
        engine._RULES_PER_QUERY = 1
    with open_store(db, read_only=not save) as store:
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
        if rebuild_facts and save:
            store.records_changed(facts.SOURCES)  # as after a deferred import: the first check builds the facts
        stale = not facts.current(store)
        first: tuple[float, float] | None = None
        checks, checks_cpu = [], []
        each: list[tuple[float, float, bool]] = []  # every timed check: wall, CPU, whether it replaced a stored run
        stages: dict[str, tuple[float, float]] = {}
        for n in range(repeat + stale):
            marks: list[tuple[str, float, float]] = []

            def mark(label: str, _fraction: float, marks: list[tuple[str, float, float]] = marks) -> None:
                marks.append((label, time.perf_counter(), time.process_time()))

            runs_before = store.con.execute("SELECT count(*) FROM check_runs").fetchall()[0][0]
            t0, c0 = time.perf_counter(), time.process_time()
            run = run_check(store, as_of=as_of, save=save, progress=mark)
            end, end_cpu = time.perf_counter(), time.process_time()
            replaced = save and store.con.execute("SELECT count(*) FROM check_runs").fetchall()[0][0] == runs_before
            if stale and n == 0:  # this one built the facts: reported apart, not as "the check"
                first = (end - t0, end_cpu - c0)
                continue
            checks.append(end - t0)
            checks_cpu.append(end_cpu - c0)
            each.append((round(end - t0, 3), round(end_cpu - c0, 3), replaced))
            # each progress mark starts a stage that lasts until the next one: (wall, CPU) seconds
            bounds = [*marks, ("end", end, end_cpu)]
            stages = {m[0]: (bounds[i + 1][1] - m[1], bounds[i + 1][2] - m[2]) for i, m in enumerate(marks)}
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # before the views are timed on their own
        views = timed_views(store, as_of) if profile else {}
    best_bare, best_check = min(bare), min(checks)
    return {
        "attendance_rows": attendance,
        "as_of": str(run.as_of),
        "run_id": run.run_id,
        "findings": run.counts["findings"],
        "bare_scan_s": round(best_bare, 4),
        "check_s": round(best_check, 3),
        "ratio": round(best_check / best_bare, 1),
        "bare_scan_cpu_s": round(min(bare_cpu), 4),
        "check_cpu_s": round(min(checks_cpu), 3),
        "cpu_ratio": round(min(checks_cpu) / max(min(bare_cpu), 1e-6), 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "saved": save,
        "stages_wall_cpu_s": dict(
            sorted(((k, (round(w, 3), round(c, 3))) for k, (w, c) in stages.items()), key=lambda kv: -kv[1][1])
        ),
        "views_s": {k: round(v, 3) for k, v in views.items() if v >= 0.01},
        "first_check_wall_cpu_s": [round(x, 3) for x in first] if first else None,
        "checks_wall_cpu_replaced": each,
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
    parser.add_argument("--no-save", action="store_true", help="compute the findings without storing them")
    parser.add_argument("--profile", action="store_true", help="one query per rule; time each shared fact")
    parser.add_argument(
        "--rebuild-facts",
        action="store_true",
        help="mark the records changed first, so that the first check builds the record facts (as after an import "
        "with --defer-facts)",
    )
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)

    if args.measure_only:
        result = measure(
            args.db,
            args.as_of,
            args.repeat,
            args.memory_limit,
            save=not args.no_save,
            profile=args.profile,
            rebuild_facts=args.rebuild_facts,
        )
        print(json.dumps(result, ensure_ascii=False))
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
    cmd += ["--no-save"] * args.no_save + ["--profile"] * args.profile + ["--rebuild-facts"] * args.rebuild_facts
    if args.as_of:
        cmd += ["--as-of", args.as_of]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = _child(cmd)
    child_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the whole child: opening the store, the bare scans, the check(s) and, with --profile, the views again
    result["child_cpu_s"] = round(child_cpu.ru_utime + child_cpu.ru_stime - before.ru_utime - before.ru_stime, 2)
    print(f"attendance rows   {result['attendance_rows']:,}")
    print(f"bare scan         {result['bare_scan_s'] * 1000:.1f} ms")
    stored = "stored" if result["saved"] else "not stored"
    print(
        f"full check        {result['check_s']:.2f} s  ({result['findings']:,} findings {stored}, "
        f"as of {result['as_of']})"
    )
    print(f"ratio             {result['ratio']}x  (target <= 250x)")
    each = ", ".join(
        f"{w:.2f} s / {c:.2f} CPU-s ({'replaced the stored run' if r else 'a new run'})"
        for w, c, r in result["checks_wall_cpu_replaced"]
    )
    print(f"each check        {each}")
    if result["first_check_wall_cpu_s"]:
        wall, cpu = result["first_check_wall_cpu_s"]
        print(
            f"first check       {wall:.2f} s wall = {wall / result['bare_scan_s']:.1f}x, {cpu:.2f} s CPU = "
            f"{cpu / max(result['bare_scan_cpu_s'], 1e-6):.1f}x: the facts were stale, so it built them"
        )
    print(
        f"CPU time          bare {result['bare_scan_cpu_s'] * 1000:.1f} ms, check {result['check_cpu_s']:.2f} s, "
        f"ratio {result['cpu_ratio']}x; the child process in all {result['child_cpu_s']:.2f} s"
    )
    print(
        f"peak RSS          {result['peak_rss_mib']:.0f} MiB  (target < 2048 MiB; DuckDB memory_limit "
        f"{args.memory_limit or 'default'})"
    )
    stages = result["stages_wall_cpu_s"].items()
    print("stages (wall/CPU) " + ", ".join(f"{k} {w:.2f}/{c:.2f}s" for k, (w, c) in stages))
    if result["views_s"]:
        print("views.sql         " + ", ".join(f"{k} {v:.2f}s" for k, v in result["views_s"].items()))
    if result["saved"] and args.as_of is None and truth_path(db).exists():  # the truth holds for the default as_of
        missing, unexpected = compare_with_truth(db, str(result["run_id"]), truth_path(db))
        print(
            f"truth             {'equal' if missing == unexpected == 0 else 'DIFFERENT'}: {missing:,} truth rows "
            f"not found, {unexpected:,} findings not in the truth (rule_id, subject_key; as of the simulated as_of)"
        )
    if tmpdir is not None:
        tmpdir.cleanup()
    return 0


def compare_with_truth(db: Path, run_id: str, truth: Path) -> tuple[int, int]:
    """The stored run's findings against the simulator's truth: (truth rows not found, findings not in the truth).
    The truth holds for the simulated period's as_of, which the bench checks by default."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(
            "CREATE TEMP TABLE truth AS "
            "SELECT rule_id, subject_key FROM read_csv($p, header = true, all_varchar = true)",
            {"p": str(truth)},
        )
        con.execute(
            "CREATE TEMP TABLE found AS SELECT rule_id, subject_key FROM finding_rows WHERE run_id = $r", {"r": run_id}
        )
        (missing,) = con.execute("SELECT count(*) FROM (FROM truth EXCEPT ALL FROM found)").fetchall()[0]
        (unexpected,) = con.execute("SELECT count(*) FROM (FROM found EXCEPT ALL FROM truth)").fetchall()[0]
    finally:
        con.close()
    return int(missing), int(unexpected)


if __name__ == "__main__":
    raise SystemExit(main())
