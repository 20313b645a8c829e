"""Bench the dashboard: the queries behind a filter change on Overview, Findings and Trends, page re-renders, and
every page's first render on the demo store.

    python bench/bench_dashboard.py --orgs 3000 --years 10      # simulate ~40M attendance rows, import, check
    python bench/bench_dashboard.py --db /tmp/big.duckdb        # reuse a store built earlier (checked or not)
    python bench/bench_dashboard.py --demo-only                 # only the demo store's cold starts

Targets (issue 5): on ~40M attendance rows the queries behind a filter change return with p95 <= 50 ms warm and a
page re-render completes in under 1 s; on the demo store every page renders in under 1 s from a cold start.
Queries are timed through the same ``analytics.queries`` calls the pages make; re-renders through Streamlit's
AppTest running ``app.py`` (script time, not browser paint); cold starts in a fresh process per page.
Results are printed and written to ``bench/out/dashboard.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _stats(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2), "p95_ms": round(_pct(ms, 0.95), 2),
            "max_ms": round(max(ms), 2)}  # fmt: skip


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
        window = queries.trend_window(s["period"], as_of, first)
        focus = queries.focus_org(store, s["org_id"])
        queries.attendance_by_month(store, org_id=focus, window=window, as_of=as_of)
        queries.rectifications_over_time(store, org_id=s["org_id"], window=window, as_of=as_of)
        queries.findings_by_rule_month(store, run_id=run_id, org_id=s["org_id"], window=window, as_of=as_of)
        queries.findings_heatmap(store, run_id=run_id, org_id=focus, window=window, as_of=as_of)
        queries.member_attendance_distribution(store, org_id=s["org_id"], year=(window.end or as_of).year)
        queries.rollup(store, org_id=s["org_id"], period=s["period"], as_of=as_of, run_id=run_id)

    return {"overview": overview, "findings": findings, "trends": trends}


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


def measure_queries(db: Path, repeat: int, seed: int) -> dict[str, Any]:
    from analytics import queries
    from analytics.store import open_store
    from analytics.summaries import ensure_summaries

    with open_store(db) as store:
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
        result: dict[str, Any] = {"attendance_rows": attendance, "organisations": orgs, "findings": findings,
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
                ms = []
                for s in scenarios:
                    t0 = time.perf_counter()
                    fn(s)
                    ms.append((time.perf_counter() - t0) * 1000)
                result[name][label] = _stats(ms)
        result["drilldown"] = drilldowns(store, run_id, repeat)
    return result


_APPTEST = r"""
import json, os, sys, time
sys.path.insert(0, {root!r})
os.chdir({root!r})
from streamlit.testing.v1 import AppTest
pages = {pages!r}
out = {{}}
# The libraries a first page needs (a server imports them once, at its first session): timed on their own.
t0 = time.perf_counter()
import duckdb, polars, plotly.graph_objects, analytics.queries, analytics.summaries, dashboard.state, dashboard.charts
out["imports_s"] = time.perf_counter() - t0
# The test harness's own start-up (Streamlit scans every installed package for components on its first run; a
# server does that once when it boots): paid on a throw-away script, not charged to the app.
t0 = time.perf_counter()
AppTest.from_string("import streamlit as st\nst.write(1)").run()
out["harness_s"] = time.perf_counter() - t0  # the same scan recurs for every AppTest: subtracted below
t0 = time.perf_counter()
at = AppTest.from_file("app.py", default_timeout=600)
at.run()
out["first_run_s"] = time.perf_counter() - t0
assert not at.exception, [e.value for e in at.exception]
mode = {mode!r}
if mode == "cold":
    page = {page!r}
    if page != "overview":
        t0 = time.perf_counter(); at.switch_page(pages[page]).run(); out["page_s"] = time.perf_counter() - t0
    else:
        out["page_s"] = out["first_run_s"]
    assert not at.exception, [e.value for e in at.exception]
else:
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


def _apptest(db: Path, mode: str, page: str = "overview", org_choices: list[str] | None = None) -> dict[str, Any]:
    code = _APPTEST.format(root=str(ROOT), pages=PAGES, mode=mode, page=page, org_choices=org_choices or [])
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
    """Each page's first render in a fresh process on ``db``: the library imports (once per server process), the
    first script run (store open, summaries check, sidebar, overview), and the page itself when it is not the
    overview (a switch right after the first run). ``app_cold_s`` is the app's share: the first run less the test
    harness's own first-run cost (Streamlit scanning installed packages for components, ~1 s here, which a server
    pays once at boot), plus the page."""
    out: dict[str, Any] = {}
    for page in PAGES:
        r = _apptest(db, "cold", page=page)
        first = r["first_run_s"]
        own = max(first - r["harness_s"], 0.0)  # the app's first script run without the harness's start-up
        out[page] = {
            "imports_s": round(r["imports_s"], 3),
            "harness_s": round(r["harness_s"], 3),
            "first_run_s": round(first, 3),
            "page_s": round(r["page_s"], 3),
            "app_cold_s": round(own if page == "overview" else own + r["page_s"], 3),
        }
    return out


def demo_store() -> Path:
    from simulations import build_demo

    path = OUT / "demo.duckdb"
    if not path.exists():
        t0 = time.perf_counter()
        build_demo(path)
        print(f"demo store built in {time.perf_counter() - t0:.1f} s")
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
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}

    demo = demo_store()
    report["demo_cold_start_s"] = measure_cold(demo)
    print("demo store, cold start per page (s):", json.dumps(report["demo_cold_start_s"]))

    if not args.demo_only:
        if not args.db.exists():
            build(args.db, args.orgs, args.years, args.seed)
        report["large"] = measure_queries(args.db, args.repeat, args.seed)
        for group in ("pages", "queries"):
            print(f"\n{group} (ms):")
            for name, s in report["large"][group].items():
                print(f"  {name:26s} p50 {s['p50_ms']:8.2f}  p95 {s['p95_ms']:8.2f}  max {s['max_ms']:8.2f}")
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
