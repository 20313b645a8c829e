"""The engine's contract: as_of, skipped rules, saved runs, marks, output shape, citations, rulebooks, overrides."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import polars as pl
import pytest

from analytics.engine import FINDING_COLUMNS, CheckRun, RulebookError, StoreReadOnlyError, check, run_check
from analytics.regulations import REGULATIONS
from analytics.store import Store, open_store

REQUIRED = ["organizations", "members", "meetings", "attendance"]
ALL_TABLES = [*REQUIRED, "agenda_items", "votes", "recusals", "rectifications", "reports", "activities"]


def make_store(
    orgs: dict[str, str | None] | None = None,
    *,
    present: int = 4,
    roster: int = 9,
    recorded: list[str] = ALL_TABLES,
) -> Store:
    """Organisations (id -> rulebook) each with ``roster`` members since 2020 and one party group meeting on
    2025-03-12 with ``present`` of them present, a personnel item and a discipline item on it."""
    store = open_store(memory=True)
    for org_id, rulebook in (orgs or {"A": None}).items():
        store.execute(
            "INSERT INTO organizations VALUES ($o, $n, NULL, NULL, $r, DATE '2025-01-01', NULL)",
            {"o": org_id, "n": f"{org_id} 党组", "r": rulebook},
        )
        for n in range(1, roster + 1):
            store.execute(
                "INSERT INTO members VALUES ($m, $o, $name, $role, DATE '2020-01-01', NULL, NULL)",
                {"m": f"{org_id}{n}", "o": org_id, "name": f"成员{n}", "role": "secretary" if n == 1 else "member"},
            )
        meeting = f"{org_id}-M1"
        store.execute(
            """INSERT INTO meetings VALUES ($m, $o, 'party_group', DATE '2025-03-12', NULL, $chair, NULL,
               DATE '2025-03-09', 1, false)""",
            {"m": meeting, "o": org_id, "chair": f"{org_id}1"},
        )
        for n in range(1, roster + 1):
            store.execute(
                "INSERT INTO attendance VALUES ($m, $p, $s, NULL, NULL)",
                {"m": meeting, "p": f"{org_id}{n}", "s": "present" if n <= present else "leave"},
            )
        for seq, category in ((1, "first_topic"), (2, "personnel"), (3, "discipline")):
            store.execute(
                """INSERT INTO agenda_items VALUES ($i, $m, $seq, NULL, $c, false, $d, $vm, $y, 0, 0, NULL)""",
                {
                    "i": f"{meeting}-{seq}",
                    "m": meeting,
                    "seq": seq,
                    "c": category,
                    "d": "none" if seq == 1 else "passed",
                    "vm": None if seq == 1 else "secret_ballot",
                    "y": None if seq == 1 else present,
                },
            )
    store.mark_recorded(recorded, "test")
    return store


def query(store: Store, sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    # duckdb 2.0: results come as relations (cursor.sql(...).pl()); DB-API cursors have no .pl()
    cur = store.con.cursor()
    try:
        return cur.sql(sql, params=params).pl()
    finally:
        cur.close()


def rule_rows(findings: pl.DataFrame, rule_id: str) -> pl.DataFrame:
    return findings.filter(pl.col("rule_id") == rule_id)


# -- output shape ----------------------------------------------------------------------------------------------------
def test_columns_types_order_and_sort():
    store = make_store({"B": None, "A": "wuqia-county-2024"})
    findings = check(store, as_of="2025-06-01", save=False)
    assert findings.columns == list(FINDING_COLUMNS)
    assert all(dtype == pl.Utf8 for dtype in findings.dtypes)
    assert findings.height > 0
    keys = findings.select("org_id", "rule_id", "subject_key").rows()
    assert keys == sorted(keys)
    assert set(findings["severity"]) <= {"violation", "warning", "data_quality"}
    for evidence in findings["evidence"]:
        assert isinstance(json.loads(evidence), dict)


def test_empty_store_gives_an_empty_frame_with_the_columns():
    store = open_store(memory=True)
    run = run_check(store, as_of="2025-06-01", save=False)
    assert run.findings.columns == list(FINDING_COLUMNS) and run.findings.height == 0


def test_deterministic():
    store = make_store({"A": None, "B": "zhacun-town-2018", "C": "chengzhong-hrss-2021"})
    first = check(store, as_of="2025-06-01", save=False)
    second = check(store, as_of="2025-06-01", save=False)
    assert first.equals(second)


def test_message_reads_the_fact_then_cites():
    store = make_store({"A": "wuqia-county-2024"})
    row = rule_rows(check(store, as_of="2025-06-01", save=False), "MTG002").row(0, named=True)
    assert row["subject_key"] == "A-M1" and row["meeting_id"] == "A-M1" and row["period"] == "2025-03-12"
    assert row["message_zh"] == (
        "2025-03-12 党组会议应到 9 人，实到 4 人，未达半数（《乌恰县人民政府党组工作规则（修订）》第六条（四））"
    )
    assert row["citation_zh"] == "《乌恰县人民政府党组工作规则（修订）》第六条（四）"
    assert "4 of 9" in row["message_en"] and "《" not in row["message_en"]
    assert json.loads(row["evidence"]) == {"entitled": 9, "present": 4, "share": "1/2", "inclusive": True}
    assert row["org_name"] == "A 党组" and row["rule_name_zh"] and row["rule_name_en"]


# -- as_of -----------------------------------------------------------------------------------------------------------
def test_as_of_ignores_later_records_and_judges_the_day_itself():
    store = make_store()
    assert rule_rows(check(store, as_of="2025-03-11", save=False), "MTG002").height == 0
    assert rule_rows(check(store, as_of="2025-03-12", save=False), "MTG002").height == 1


def test_months_are_judged_once_complete():
    store = make_store()
    months = rule_rows(check(store, as_of="2025-05-01", save=False), "MTG001")["period"].to_list()
    assert months == ["2025-01", "2025-02", "2025-04"]  # March had the meeting; May is not over
    months = rule_rows(check(store, as_of="2025-04-30", save=False), "MTG001")["period"].to_list()
    assert months == ["2025-01", "2025-02"]  # April's last day is not before as_of


def test_dates_after_as_of_inside_a_row_read_as_empty():
    store = make_store()
    store.execute(
        """INSERT INTO rectifications VALUES ('R1', 'A', 'inspection', NULL, DATE '2025-02-01', NULL, 'A2', NULL,
           NULL, DATE '2025-03-01', DATE '2025-04-10')"""
    )
    early = run_check(store, as_of="2025-04-01", save=False).findings
    assert rule_rows(early, "REC001")["subject_key"].to_list() == ["R1"]  # closed later: still open on as_of
    late = run_check(store, as_of="2025-04-11", save=False).findings
    assert rule_rows(late, "REC001").height == 0
    assert rule_rows(late, "REC002")["subject_key"].to_list() == ["R1"]


def test_as_of_defaults_to_today_and_accepts_dates():
    store = make_store()
    assert run_check(store, save=False).as_of == dt.date.today()
    assert run_check(store, as_of=dt.date(2025, 6, 1), save=False).as_of == dt.date(2025, 6, 1)
    with pytest.raises(RulebookError, match="as_of"):
        run_check(store, as_of="June", save=False)


# -- skipped rules ---------------------------------------------------------------------------------------------------
def test_rules_needing_a_never_imported_table_are_skipped_with_the_reason():
    store = make_store(recorded=[*REQUIRED, "agenda_items"])
    run = run_check(store, as_of="2025-06-01", save=False)
    for rule_id in ("VOT002", "VOT004", "VOT005", "DQ002", "REC001", "RPT001", "DLM003"):
        assert rule_id in run.skipped
        assert rule_id not in set(run.findings["rule_id"])
    assert "votes" in run.skipped["VOT002"] and "从未导入" in run.skipped["VOT002"]
    assert "recusals" in run.skipped["VOT004"]
    assert "MTG003" not in run.skipped and "VOT001" not in run.skipped
    assert run.counts["rules_skipped"] == len(run.skipped)
    # a rule in force nowhere is neither run nor reported as skipped
    assert "STU003" not in run.skipped


def test_imported_but_empty_table_runs():
    store = make_store()  # rectifications recorded, none
    run = run_check(store, as_of="2025-06-01", save=False)
    assert "REC001" not in run.skipped


# -- saved runs and marks --------------------------------------------------------------------------------------------
def test_saved_run_is_replaced_not_duplicated_and_marks_survive():
    store = make_store()
    store.execute("INSERT INTO finding_marks VALUES ('MTG002', 'A-M1', 'confirmed', '核实', 'inspector', now())")
    first = run_check(store, as_of="2025-06-01")
    second = run_check(store, as_of="2025-06-01")
    assert first.run_id == second.run_id
    runs = query(store, "SELECT * FROM check_runs")
    assert runs.height == 1
    assert runs["findings"][0] == second.counts["findings"]
    assert query(store, "SELECT count(*) AS n FROM findings")["n"][0] == second.findings.height
    other = run_check(store, as_of="2025-06-01", overrides=["MTG002.share=2/3"])
    assert other.run_id != first.run_id
    assert query(store, "SELECT count(*) AS n FROM check_runs")["n"][0] == 2
    assert query(store, "SELECT count(*) AS n FROM finding_marks")["n"][0] == 1
    saved = query(
        store,
        "SELECT * EXCLUDE (run_id) FROM findings WHERE run_id = $r ORDER BY org_id, rule_id, subject_key",
        {"r": first.run_id},
    )
    assert saved.columns == list(FINDING_COLUMNS)
    assert saved.equals(second.findings)


def test_a_failed_rerun_leaves_no_part_of_either_run(monkeypatch: pytest.MonkeyPatch):
    # Replacing a run drops the old one in its own transaction, then stores the new one in another: a check that
    # fails half-way leaves no run for its as_of, never the old run mixed with part of the new one.
    import analytics.engine as engine

    store = make_store()
    first = run_check(store, as_of="2025-06-01")
    rules = sorted(set(first.findings["rule_id"]))
    assert len(rules) >= 2  # some findings are inserted before the failing rule runs
    real = engine.wrapped_sql
    monkeypatch.setattr(engine, "_RULES_PER_QUERY", 1)
    monkeypatch.setattr(engine, "wrapped_sql", lambda r: "SELECT no_such_column" if r.id == rules[-1] else real(r))
    with pytest.raises(Exception, match="no_such_column"):
        run_check(store, as_of="2025-06-01")
    assert query(store, "SELECT count(*) AS n FROM check_runs")["n"][0] == 0
    assert query(store, "SELECT count(*) AS n FROM findings")["n"][0] == 0
    monkeypatch.setattr(engine, "wrapped_sql", real)
    again = run_check(store, as_of="2025-06-01")
    assert again.findings.equals(first.findings)


def test_saved_run_records_options_and_skipped():
    store = make_store(recorded=REQUIRED)
    run = run_check(store, as_of="2025-06-01", overrides=["MTG004.severity=warning"], disable=["DQ001"])
    row = query(store, "SELECT * FROM check_runs").row(0, named=True)
    assert row["as_of"] == dt.date(2025, 6, 1) and row["default_rulebook"] == "standard"
    assert json.loads(row["rulebooks"]) == {"standard": 1}
    assert json.loads(row["overrides"])["set"] == ["MTG004.severity=warning"]
    assert json.loads(row["overrides"])["disable"] == ["DQ001"]
    assert json.loads(row["skipped"]) == run.skipped
    assert row["violations"] == run.counts["violation"]


def test_saving_on_a_read_only_store_is_refused_clearly(tmp_path):
    path = tmp_path / "ro.duckdb"
    make_store().close()
    with open_store(path) as store:
        store.execute("INSERT INTO organizations VALUES ('A', 'A 党组', NULL, NULL, NULL, NULL, NULL)")
    with open_store(path, read_only=True) as store:
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            run_check(store, as_of="2025-06-01")
        assert run_check(store, as_of="2025-06-01", save=False).counts["organizations"] == 1


def test_save_false_writes_nothing():
    store = make_store()
    run_check(store, as_of="2025-06-01", save=False)
    assert query(store, "SELECT count(*) AS n FROM check_runs")["n"][0] == 0


# -- rulebooks, citations, settings ----------------------------------------------------------------------------------
def test_each_organisation_is_cited_by_its_rulebook():
    store = make_store({"A": None, "B": "zhacun-town-2018", "C": "jiangyin-npc-2017"})
    quorum = rule_rows(check(store, as_of="2025-06-01", save=False), "MTG002")
    citations = dict(quorum.select("org_id", "citation_zh").rows())
    assert citations["B"] == "《柞村镇镇级班子工作制度（莱州市）》党委领导班子会议事决策规则第六条"
    assert citations["C"] == "《中共江阴市人大常委会党组工作规则》第二十三条"
    standard = citations["A"].split("；")
    assert len(standard) == 5 and all(f"《{r.title}》" in citations["A"] for r in REGULATIONS.values())


def test_enabled_rule_without_a_source_in_the_rulebooks_regulation_cites_all_its_sources():
    store = make_store({"B": "zhacun-town-2018"})
    findings = check(store, as_of="2025-06-01", enable=["MTG001"], save=False)
    mtg001 = rule_rows(findings, "MTG001")
    assert mtg001["period"].to_list() == ["2025-01", "2025-02", "2025-04", "2025-05"]
    assert mtg001["citation_zh"][0].count("《") == 4  # 000, 001, 002, 004: 003 is not among its sources


def test_a_setting_differs_per_rulebook_in_one_run():
    # MTG003 categories: standard = personnel, discipline; zhacun = personnel only.
    store = make_store({"A": None, "B": "zhacun-town-2018"}, present=5)
    items = rule_rows(check(store, as_of="2025-06-01", save=False), "MTG003")
    assert sorted(items["subject_key"]) == ["A-M1-2", "A-M1-3", "B-M1-2"]


def test_severity_comes_from_the_rulebook():
    store = make_store({"A": None, "B": "zhacun-town-2018"})
    store.execute("UPDATE meetings SET notice_sent_on = NULL")
    store.execute("DELETE FROM agenda_items WHERE category = 'personnel'")  # zhacun exempts personnel meetings
    notice = rule_rows(check(store, as_of="2025-06-01", save=False), "MTG004")
    assert dict(notice.select("org_id", "severity").rows()) == {"A": "violation", "B": "warning"}


def test_set_overrides_apply_to_every_organisation_where_the_rule_is_in_force():
    store = make_store({"A": None, "B": "zhacun-town-2018"}, present=5)
    assert rule_rows(check(store, as_of="2025-06-01", save=False), "MTG002").height == 0  # 5 of 9 > half
    findings = check(store, as_of="2025-06-01", overrides=["MTG002.share=2/3", "MTG002.inclusive=false"], save=False)
    quorum = rule_rows(findings, "MTG002")
    assert sorted(quorum["org_id"]) == ["A", "B"]
    assert "未超过三分之二" in quorum["message_zh"][0]
    # an override of a rule not in force somewhere changes nothing there
    findings = check(store, as_of="2025-06-01", overrides=["MTG001.min_per_month=2"], save=False)
    assert set(rule_rows(findings, "MTG001")["org_id"]) == {"A"}
    findings = check(store, as_of="2025-06-01", overrides=["MTG003.categories=discipline"], save=False)
    assert sorted(rule_rows(findings, "MTG003")["subject_key"]) == ["A-M1-3", "B-M1-3"]


def test_set_severity_override():
    store = make_store()
    findings = check(store, as_of="2025-06-01", overrides=["MTG002.severity=warning"], save=False)
    assert set(rule_rows(findings, "MTG002")["severity"]) == {"warning"}


def test_enable_and_disable():
    store = make_store()
    store.execute("DELETE FROM attendance WHERE member_id = 'A9'")
    findings = check(store, as_of="2025-06-01", save=False)
    assert "DQ001" in set(findings["rule_id"]) and "MTG007" not in set(findings["rule_id"])
    store.execute("UPDATE agenda_items SET category = 'general' WHERE seq = 1")
    findings = check(store, as_of="2025-06-01", enable=["MTG007"], disable=["DQ001", "MTG001"], save=False)
    assert "MTG007" in set(findings["rule_id"])
    assert not {"DQ001", "MTG001"} & set(findings["rule_id"])
    with pytest.raises(RulebookError, match="MTG099"):
        check(store, as_of="2025-06-01", enable=["MTG099"], save=False)
    with pytest.raises(RulebookError, match="MTG007"):
        check(store, as_of="2025-06-01", enable=["MTG007"], disable=["MTG007"], save=False)


def test_bad_override_raises_before_anything_runs():
    store = make_store()
    with pytest.raises(RulebookError) as err:
        check(store, overrides=["MTG002.foo=1"])
    zh, en = str(err.value).split("\n")
    assert zh.startswith("未知的规则设置 MTG002.foo") and en.startswith("unknown setting MTG002.foo")
    assert query(store, "SELECT count(*) AS n FROM check_runs")["n"][0] == 0


def test_organisation_naming_an_unknown_rulebook_is_refused():
    store = make_store({"A": "no-such-book"})
    with pytest.raises(RulebookError, match="no-such-book"):
        check(store, as_of="2025-06-01", save=False)
    with pytest.raises(RulebookError, match="nope"):
        check(make_store(), as_of="2025-06-01", rulebook="nope", save=False)


def test_user_rulebook_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        textwrap.dedent(
            """
            id = "mine"
            regulations = ["004"]
            rules = ["MTG002", "DLM002"]

            [settings.MTG002]
            share = "2/3"
            severity = "warning"

            [citations]
            DLM002 = "《本单位民主生活会办法》第三条"
            """
        ),
        encoding="utf-8",
    )
    store = make_store({"A": None, "B": "mine"}, present=5)
    findings = check(store, as_of="2025-06-01", rulebook_file=path, save=False)
    quorum = rule_rows(findings, "MTG002")
    assert quorum.select("org_id", "severity").rows() == [("A", "warning"), ("B", "warning")]  # file = default
    assert quorum["citation_zh"][0] == "《中共西宁市城中区人力资源和社会保障局党组工作规则（试行）》第十三条（三）"
    findings = check(store, as_of="2025-06-01", rulebook_file=path, rulebook="standard", save=False)
    assert set(rule_rows(findings, "MTG002")["org_id"]) == {"B"}  # A is judged by standard: 5 of 9 is enough
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\nrules = ["MTG002"]\n[settings.MTG002]\nshare = "3/2"\n', encoding="utf-8")
    with pytest.raises(RulebookError, match=r"MTG002\.share"):
        check(store, rulebook_file=bad, save=False)


def test_counts_and_progress():
    store = make_store()
    seen: list[tuple[str, float]] = []
    run = run_check(store, as_of="2025-06-01", save=False, progress=lambda label, f: seen.append((label, f)))
    assert isinstance(run, CheckRun)
    assert run.counts["findings"] == run.findings.height
    assert run.counts["violation"] + run.counts["warning"] + run.counts["data_quality"] == run.findings.height
    assert run.counts["organizations"] == 1
    assert seen[0][0] == "views" and seen[-1] == ("done", 1.0)
    assert [f for _, f in seen] == sorted(f for _, f in seen)


# -- layering --------------------------------------------------------------------------------------------------------
def test_import_analytics_is_cheap_and_check_is_exported():
    code = (
        "import sys, analytics; assert 'analytics.engine' not in sys.modules; "
        "from analytics import check; assert 'analytics.engine' in sys.modules; "
        "assert 'streamlit' not in sys.modules; print(check.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "analytics.engine"


# -- the simulator as oracle -----------------------------------------------------------------------------------------
def test_findings_equal_the_simulators_truth(tmp_path):
    """A simulated world with injected violations: the engine reports exactly the simulator's truth."""
    simulations = pytest.importorskip("simulations")
    importer = pytest.importorskip("analytics.importer")
    result = simulations.simulate(tmp_path, orgs=14, years=2, seed=11, fmt="parquet", violation_rate=0.05)
    store = open_store(memory=True)
    importer.import_path(store, tmp_path)
    run = run_check(store, as_of=result.as_of, save=False)
    truth = pl.read_csv(tmp_path / "truth.csv", infer_schema_length=0).select("rule_id", "subject_key")
    found = run.findings.select("rule_id", "subject_key")
    missing = truth.join(found, on=["rule_id", "subject_key"], how="anti")
    extra = found.join(truth, on=["rule_id", "subject_key"], how="anti")
    assert missing.height == 0, f"not reported: {missing.head(10).rows()}"
    assert extra.height == 0, f"not in the truth: {extra.head(10).rows()}"
    assert truth.height > 50 and run.skipped == {}
