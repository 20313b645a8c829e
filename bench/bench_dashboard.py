"""Bench the dashboard: the queries behind a filter change on Overview, Findings and Trends, page re-renders, and
every page's first render on the demo store.

    python bench/bench_dashboard.py --orgs 3000 --years 10      # simulate ~40M attendance rows, import, check
    python bench/bench_dashboard.py --db /tmp/big.duckdb        # reuse a store built earlier (checked or not)
    python bench/bench_dashboard.py --demo-only                 # only the demo store's cold starts

Targets (issue 5): on ~40M attendance rows the queries behind a filter change return with p95 <= 50 ms warm and a
page re-render completes in under 1 s; on the demo store every page renders in under 1 s from a cold start.
Queries are timed through the same ``analytics.queries`` calls the pages make; re-renders through Streamlit's
AppTest running ``app.py`` (script time, not browser paint); cold starts in a fresh process per page (see
``measure_cold`` and docs/dashboard.md for what is included). Every timing is reported as wall time and as CPU time
(user + sys of this process and its threads), since the machine may be shared. Results are printed and written to
``bench/out/dashboard.json``.

    python bench/bench_dashboard.py --db /tmp/copy.duckdb --marks 2000   # mark 2,000 findings first (writes!)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
PAGES = {
    "overview": "dashboard/pages/overview.py",
    "findings": "dashboard/pages/findings.py",
    "trends": "dashboard/pages/trends.py",
    "import": "dashboard/pages/import_data.py",
    "rules": "dashboard/pages/rules.py",
}


def build(db: Path, orgs: int, years: int, seed: int) -> None:
    """Simulate, import, check (as of the day after the simulated years) and build the summaries."""
    from analytics.engine import run_check
    from analytics.importer import import_path
    from analytics.store import open_store
    from analytics.summaries import ensure_summaries
    from simulations import simulate

    with tempfile.TemporaryDirectory(prefix="quorum-bench-dashboard-") as tmp:
        t0 = time.perf_counter()
        result = simulate(Path(tmp), orgs=orgs, years=years, seed=seed, fmt="parquet", violation_rate=0.05)
        print(f"simulated {result.row_counts} in {time.perf_counter() - t0:.1f} s", flush=True)
        with open_store(db) as store:
            t0 = time.perf_counter()
            import_path(store, tmp)
            print(f"imported in {time.perf_counter() - t0:.1f} s", flush=True)
            t0 = time.perf_counter()
            run = run_check(store, as_of=result.as_of)
            print(f"checked: {run.findings.height} findings in {time.perf_counter() - t0:.1f} s", flush=True)
            t0 = time.perf_counter()
            ensure_summaries(store)
            print(f"summaries built in {time.perf_counter() - t0:.1f} s", flush=True)


def _cpu() -> float:
    """CPU seconds (user + sys) of this process, all its threads (DuckDB's workers) included."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _stats(ms: list[float], cpu_ms: list[float] | None = None) -> dict[str, float]:
    out = {"n": len(ms), "p50_ms": round(statistics.median(ms), 2), "p95_ms": round(_pct(ms, 0.95), 2),
           "max_ms": round(max(ms), 2)}  # fmt: skip
    if cpu_ms:
        out |= {"cpu_p50_ms": round(statistics.median(cpu_ms), 2), "cpu_p95_ms": round(_pct(cpu_ms, 0.95), 2)}
    return out


def _scenarios(store: Any, as_of: date, repeat: int, seed: int) -> list[dict[str, Any]]:
    """Filter states a user moves between: organisations at every level, periods of every kind."""
    from analytics import queries
    from analytics.queries import Period

    rng = random.Random(seed)
    tree = queries.org_tree(store)
    by_depth: dict[int, list[str]] = {}
    for org_id, depth in tree.select("org_id", "depth").iter_rows():
        by_depth.setdefault(depth, []).append(org_id)
    orgs: list[str | None] = [None]
    for depth in sorted(by_depth):
        orgs += rng.sample(by_depth[depth], min(3, len(by_depth[depth])))
    last = min(queries.data_range(store)[1] or as_of, as_of)
    periods = [Period.all(), Period.year(last.year), Period.year(last.year - 1), Period.quarter(last.year, 2),
               Period.month(last.year, 3), Period.month(last.year - 1, 11)]  # fmt: skip
    combos = [{"org_id": o, "period": p} for o in orgs for p in periods]
    rng.shuffle(combos)
    return (combos * (repeat // len(combos) + 1))[: max(repeat, len(combos))]


def page_queries(store: Any, as_of: date, run_id: str | None) -> dict[str, Callable[[dict[str, Any]], Any]]:
    """The queries each page runs when a sidebar filter changes, exactly as the pages call them."""
    from analytics import queries
    from analytics.queries import FindingFilter

    def overview(s: dict[str, Any]) -> None:
        queries.latest_run(store, as_of)  # the sidebar's
        # as the page does: the period, the previous period and the top rules, two at a time
        queries.overview_page(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id)

    def overview_one_by_one(s: dict[str, Any]) -> None:
        queries.latest_run(store, as_of)
        queries.overview(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id)
        span = queries.previous_span(s["period"], as_of)
        if span:
            queries.overview(store, org_id=s["org_id"], period=span[0], as_of=as_of, run_id=run_id, until=span[1])
        queries.top_rules(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id)

    def findings(s: dict[str, Any]) -> None:
        flt = FindingFilter(org_id=s["org_id"], period=s["period"])
        queries.finding_facets(store, run_id, flt, as_of=as_of)
        queries.findings(store, run_id, flt, as_of=as_of, limit=200)

    first = queries.data_range(store)[0]

    def trends(s: dict[str, Any]) -> None:
        # As the page does: the six charts' reads in one call, two at a time (``first`` is held for the session).
        queries.trends_page(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id, first=first)

    def trends_one_by_one(s: dict[str, Any]) -> None:
        # The same reads one after another, for comparison (what the page did before trends_page).
        window = queries.trend_window(s["period"], as_of, first)
        focus = queries.focus_org(store, s["org_id"])
        queries.attendance_by_month(store, org_id=focus, window=window, as_of=as_of)
        queries.rectifications_over_time(store, org_id=s["org_id"], window=window, as_of=as_of)
        queries.findings_by_rule_month(store, run_id=run_id, org_id=s["org_id"], window=window, as_of=as_of)
        queries.findings_heatmap(store, run_id=run_id, org_id=focus, window=window, as_of=as_of)
        queries.member_attendance_distribution(store, org_id=s["org_id"], year=(window.end or as_of).year)
        queries.rollup(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id)

    return {"overview": overview, "overview_one_by_one": overview_one_by_one, "findings": findings, "trends": trends,
            "trends_one_by_one": trends_one_by_one}  # fmt: skip


def single_queries(store: Any, as_of: date, run_id: str | None) -> dict[str, Callable[[dict[str, Any]], Any]]:
    """Each query on its own, to show which one dominates a page."""
    from analytics import queries
    from analytics.queries import FindingFilter

    first = queries.data_range(store)[0]

    def win(s: dict[str, Any]) -> Any:
        return queries.trend_window(s["period"], as_of, first)

    return {
        "overview": lambda s: queries.overview(store, org_id=s["org_id"], period=s["period"], as_of=as_of,
                                               run_id=run_id),
        "top_rules": lambda s: queries.top_rules(store, org_id=s["org_id"], period=s["period"], as_of=as_of,
                                                 run_id=run_id),
        "finding_facets": lambda s: queries.finding_facets(store, run_id, FindingFilter(org_id=s["org_id"],
                                                           period=s["period"]), as_of=as_of),
        "findings_page": lambda s: queries.findings(store, run_id, FindingFilter(org_id=s["org_id"],
                                                    period=s["period"]), as_of=as_of, limit=200),
        "attendance_by_month": lambda s: queries.attendance_by_month(
            store, org_id=queries.focus_org(store, s["org_id"]), window=win(s), as_of=as_of),
        "rectifications_over_time": lambda s: queries.rectifications_over_time(
            store, org_id=s["org_id"], window=win(s), as_of=as_of),
        "findings_by_rule_month": lambda s: queries.findings_by_rule_month(
            store, run_id=run_id, org_id=s["org_id"], window=win(s), as_of=as_of),
        "findings_heatmap": lambda s: queries.findings_heatmap(
            store, run_id=run_id, org_id=queries.focus_org(store, s["org_id"]), window=win(s), as_of=as_of),
        "member_distribution": lambda s: queries.member_attendance_distribution(
            store, org_id=s["org_id"], year=(win(s).end or as_of).year),
        "rollup": lambda s: queries.rollup(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id),
    }  # fmt: skip


def drilldowns(store: Any, run_id: str | None, repeat: int) -> dict[str, dict[str, float]]:
    """Opening a finding: its evidence (the meeting's roster, a member's year, a rectification)."""
    from analytics import queries

    sample = queries.frame(
        store,
        """SELECT * FROM (
               SELECT *, row_number() OVER (PARTITION BY rule_id ORDER BY hash(subject_key)) AS k
               FROM summary_findings WHERE run_id = $run) WHERE k <= 3""",
        {"run": run_id},
    )
    times: dict[str, list[float]] = {}
    for _ in range(max(1, repeat // max(sample.height, 1))):
        for f in sample.iter_rows(named=True):
            t0 = time.perf_counter()
            ev = queries.finding_evidence(store, f)
            times.setdefault(type(ev).__name__, []).append((time.perf_counter() - t0) * 1000)
    return {k: _stats(v) for k, v in times.items()}


def add_marks(store: Any, run_id: str | None, n: int, seed: int) -> int:
    """Mark ``n`` of the run's findings (a third dismissed, the rest confirmed) unless the store already holds that
    many marks, so the queries meet the dismissed-findings subtraction they do for real (an inspector's store has
    marks; a freshly checked one has none). Writes to the store."""
    from analytics import queries
    from analytics.summaries import ensure_summaries

    have = int(queries.scalar(store, "SELECT count(*) FROM finding_marks"))
    if n <= 0 or have >= n:
        return have
    # One set-based insert, keyed like analytics.marks.set_mark (rule_id, subject_key), then the summaries follow.
    store.con.execute(
        """INSERT INTO finding_marks
           SELECT rule_id, subject_key, CASE WHEN k % 3 = 0 THEN 'dismissed' ELSE 'confirmed' END,
                  CASE WHEN k % 3 = 0 THEN 'bench' END, 'bench', now()::TIMESTAMP
           FROM (SELECT rule_id, subject_key, row_number() OVER (ORDER BY hash(subject_key || $seed)) AS k
                 FROM findings WHERE run_id = $r)
           WHERE k <= $n
           ON CONFLICT DO NOTHING""",
        {"r": run_id, "seed": str(seed), "n": n - have},
    ).fetchall()
    ensure_summaries(store)
    return int(queries.scalar(store, "SELECT count(*) FROM finding_marks"))


def measure_queries(db: Path, repeat: int, seed: int, n_marks: int = 0) -> dict[str, Any]:
    from analytics import queries
    from analytics.store import open_store
    from analytics.summaries import ensure_summaries

    with open_store(db) as store:
        if n_marks:
            run = queries.latest_run(store)
            print(f"marks in the store: {add_marks(store, run['run_id'] if run else None, n_marks, seed):,}")
        t0 = time.perf_counter()
        rebuilt = ensure_summaries(store)
        refresh_s = time.perf_counter() - t0
        attendance = queries.scalar(store, "SELECT count(*) FROM attendance")
        run = queries.latest_run(store)
        as_of = run["as_of"] if run else date.today()
        run_id = run["run_id"] if run else None
        findings = queries.scalar(store, "SELECT count(*) FROM findings WHERE run_id = $r", {"r": run_id})
        orgs = queries.scalar(store, "SELECT count(*) FROM organizations")
        print(f"store: {attendance:,} attendance rows, {orgs:,} organisations, {findings:,} findings of run {run_id}")
        if rebuilt:
            print(f"summaries refreshed in {refresh_s:.1f} s")
        scenarios = _scenarios(store, as_of, repeat, seed)
        marked = queries.scalar(store, "SELECT count(*) FROM finding_marks")
        result: dict[str, Any] = {"attendance_rows": attendance, "organisations": orgs, "findings": findings,
                                  "marks": marked,
                                  "summary_refresh_s": round(refresh_s, 2) if rebuilt else None}  # fmt: skip
        for name, group in (
            ("pages", page_queries(store, as_of, run_id)),
            ("queries", single_queries(store, as_of, run_id)),
        ):
            # Warm: one pass over every scenario first (DuckDB's buffer pool, Python imports), then measure.
            for fn in group.values():
                for s in scenarios[:10]:
                    fn(s)
            result[name] = {}
            for label, fn in group.items():
                ms, cpu_ms = [], []
                for s in scenarios:
                    c0, t0 = _cpu(), time.perf_counter()
                    fn(s)
                    ms.append((time.perf_counter() - t0) * 1000)
                    cpu_ms.append((_cpu() - c0) * 1000)
                result[name][label] = _stats(ms, cpu_ms)
        result["drilldown"] = drilldowns(store, run_id, repeat)
    return result


_APPTEST = r"""
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
os.chdir({root!r})

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

# Server boot: Streamlit imported and its runtime started. The test harness also scans every installed package for
# components at each AppTest (a server does that once, at boot): a throw-away script pays the first-time costs, a
# second one measures the recurring scan, which is subtracted from the app's run below.
from streamlit.testing.v1 import AppTest
AppTest.from_string("import streamlit as st\nst.write(1)").run()
c0, t0 = cpu(), time.perf_counter()
AppTest.from_string("import streamlit as st\nst.write(1)").run()
out = {{"harness_s": time.perf_counter() - t0, "harness_cpu_s": cpu() - c0}}
pages = {pages!r}
mode = {mode!r}
if {preload!r}:
    # the libraries imported before the first request (what a server that preloads them would see)
    c0, t0 = cpu(), time.perf_counter()
    import dashboard.serve
    dashboard.serve.preload()  # what `python -m dashboard.serve` does before the server accepts connections
    out["preload_s"], out["preload_cpu_s"] = time.perf_counter() - t0, cpu() - c0
c0, t0 = cpu(), time.perf_counter()
at = AppTest.from_file("app.py", default_timeout=600)
if mode == "cold" and {page!r} != "overview":
    at.switch_page(pages[{page!r}])  # the first request opens this page directly, as a bookmarked URL does
at.run()
out["first_run_s"], out["first_run_cpu_s"] = time.perf_counter() - t0, cpu() - c0
assert not at.exception, [e.value for e in at.exception]
if mode != "cold":
    renders = {{}}
    for page in ("overview", "findings", "trends"):
        at.switch_page(pages[page]).run()
        times = []
        for i, value in enumerate(({org_choices!r})):
            t0 = time.perf_counter()
            at.sidebar.selectbox(key="org@zh").set_value(value).run()
            times.append(time.perf_counter() - t0)
            assert not at.exception, [e.value for e in at.exception]
        for kind, value in (("quarter", None), ("year", None)):
            at.session_state["period_kind"] = kind
            t0 = time.perf_counter(); at.run(); times.append(time.perf_counter() - t0)
        renders[page] = times
    out["renders"] = renders
print("RESULT" + json.dumps(out))
"""


def _apptest(
    db: Path, mode: str, page: str = "overview", org_choices: list[str] | None = None, preload: bool = False
) -> dict[str, Any]:
    code = _APPTEST.format(
        root=str(ROOT), pages=PAGES, mode=mode, page=page, org_choices=org_choices or [], preload=preload
    )
    env = {**os.environ, "QUORUM_DB": str(db)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(line[len("RESULT") :])


def measure_renders(db: Path) -> dict[str, Any]:
    """Page re-renders after a sidebar change, through AppTest on ``app.py`` (the whole script: sidebar + page)."""
    from analytics import queries
    from analytics.store import open_store

    with open_store(db, read_only=True) as store:
        tree = queries.org_tree(store)
    picks = ["__all__"]
    for depth in sorted(set(tree["depth"].to_list()))[:3]:
        picks += tree.filter(tree["depth"] == depth)["org_id"].head(2).to_list()
    result = _apptest(db, "renders", org_choices=picks)
    flat = [t for times in result["renders"].values() for t in times]
    return {
        "first_run_s": round(result["first_run_s"], 2),
        "per_page": {
            p: {"p50_s": round(statistics.median(v), 3), "max_s": round(max(v), 3)}
            for p, v in result["renders"].items()
        },
        "p95_s": round(_pct(flat, 0.95), 3),
    }


def measure_cold(db: Path) -> dict[str, Any]:
    """Each page's first render in a fresh process on ``db``, the page opened directly by the first request.

    ``cold_s`` / ``cold_cpu_s``: from the first request to the page's script finished, everything the app does
    then included: importing its libraries (polars, duckdb, pyarrow, pandas, plotly: a server imports them at its
    first session), opening the store, checking the summaries, the sidebar, the page's queries and figures. Left
    out: the server's own boot (importing Streamlit, scanning installed packages for components), which happens
    before anyone can connect, and the browser's paint. ``libs_preloaded_s``: the same first request in a process
    that ran :func:`dashboard.serve.preload` first, as ``python -m dashboard.serve`` does at boot (the app's own
    share of the first render)."""
    out: dict[str, Any] = {}
    for page in PAGES:
        cold = _apptest(db, "cold", page=page)
        warm = _apptest(db, "cold", page=page, preload=True)
        out[page] = {
            "cold_s": round(max(cold["first_run_s"] - cold["harness_s"], 0.0), 3),
            "cold_cpu_s": round(max(cold["first_run_cpu_s"] - cold["harness_cpu_s"], 0.0), 3),
            "libs_preloaded_s": round(max(warm["first_run_s"] - warm["harness_s"], 0.0), 3),
            "libs_preloaded_cpu_s": round(max(warm["first_run_cpu_s"] - warm["harness_cpu_s"], 0.0), 3),
            "preload_s": round(warm["preload_s"], 3),
            "harness_s": round(cold["harness_s"], 3),
        }
    return out


def demo_store() -> Path:
    """The demo store (``quorum demo``), built once, its summaries brought up to date: a cold start measures a
    fresh process on a store as the demo command leaves it, not a summaries rebuild after a code change."""
    from analytics.store import open_store
    from analytics.summaries import ensure_summaries
    from simulations import build_demo

    path = OUT / "demo.duckdb"
    if not path.exists():
        t0 = time.perf_counter()
        build_demo(path)
        print(f"demo store built in {time.perf_counter() - t0:.1f} s")
    with open_store(path) as store:
        ensure_summaries(store)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=OUT / "dashboard-large.duckdb", help="the large store")
    parser.add_argument("--orgs", type=int, default=3000, help="organisations to simulate when building")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=60, help="filter changes timed per page")
    parser.add_argument("--demo-only", action="store_true", help="only the demo store's cold starts")
    parser.add_argument("--skip-renders", action="store_true", help="skip the AppTest re-render timing")
    parser.add_argument("--skip-demo", action="store_true", help="skip the demo store's cold starts")
    parser.add_argument("--marks", type=int, default=0, help="mark this many findings of the large store first")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}

    if not args.skip_demo:
        demo = demo_store()
        report["demo_cold_start_s"] = measure_cold(demo)
        print("demo store, first render per page from a cold start (s):")
        for page, r in report["demo_cold_start_s"].items():
            print(f"  {page:8s} cold {r['cold_s']:6.2f} (cpu {r['cold_cpu_s']:5.2f})   libraries preloaded "
                  f"{r['libs_preloaded_s']:6.2f} (cpu {r['libs_preloaded_cpu_s']:5.2f})")  # fmt: skip

    if not args.demo_only:
        if not args.db.exists():
            build(args.db, args.orgs, args.years, args.seed)
        report["large"] = measure_queries(args.db, args.repeat, args.seed, args.marks)
        for group in ("pages", "queries"):
            print(f"\n{group} (ms):")
            for name, s in report["large"][group].items():
                print(f"  {name:26s} p50 {s['p50_ms']:8.2f}  p95 {s['p95_ms']:8.2f}  max {s['max_ms']:8.2f}"
                      f"   cpu p50 {s['cpu_p50_ms']:7.2f}  p95 {s['cpu_p95_ms']:7.2f}")  # fmt: skip
        print("\ndrill-down (ms):")
        for name, s in report["large"]["drilldown"].items():
            print(f"  {name:26s} p50 {s['p50_ms']:8.2f}  p95 {s['p95_ms']:8.2f}  max {s['max_ms']:8.2f}")
        if not args.skip_renders:
            report["large_renders"] = measure_renders(args.db)
            print("\nre-render after a sidebar change (s):", json.dumps(report["large_renders"]))

    (OUT / "dashboard.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten to {OUT / 'dashboard.json'}")


if __name__ == "__main__":
    main()
