"""The dashboard's queries (analytics.queries), summaries and marks on the hand-made test store: exact numbers."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import polars as pl
import pytest
from test_app_support import AS_OF, FINDINGS, RUN_ID, build_store

from analytics import marks, queries
from analytics.queries import FindingFilter, Period
from analytics.store import Store
from analytics.summaries import ensure_summaries


@pytest.fixture(scope="module")
def store() -> Store:
    return build_store()


@pytest.fixture
def fresh() -> Store:
    return build_store()


# -- periods -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2024"),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31), "2024-Q4"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-01"),
        ("2025-01", date(2025, 1, 1), date(2025, 1, 31), "2024-12"),
    ],
)
def test_period_parse_and_previous(text: str, start: date, end: date, previous: str) -> None:
    period = Period.parse(text)
    assert period is not None
    assert (period.start, period.end, period.key) == (start, end, text)
    assert period.previous().key == previous  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["", "25", "2025-13", "2025-Q5", "abc", None])
def test_period_parse_rejects(text: str | None) -> None:
    assert Period.parse(text) is None


def test_all_period_has_no_previous() -> None:
    assert Period.parse("all") == Period.all()
    assert Period.all().previous() is None
    assert queries.previous_span(Period.all(), AS_OF) is None


def test_previous_span_is_cut_like_the_current() -> None:
    prev, until = queries.previous_span(Period.year(2025), date(2025, 7, 1))  # type: ignore[misc]
    assert prev.key == "2024" and until == date(2024, 7, 1)
    prev, until = queries.previous_span(Period.year(2024), date(2025, 7, 1))  # type: ignore[misc]
    assert prev.key == "2023" and until == date(2023, 12, 31)


def test_trend_window() -> None:
    assert queries.trend_window(Period.year(2024), AS_OF) == Period.year(2024)
    month = queries.trend_window(Period.month(2025, 4), AS_OF)
    assert (month.start, month.end, month.months()) == (date(2024, 5, 1), date(2025, 4, 30), 12)
    everything = queries.trend_window(Period.all(), AS_OF, date(2024, 1, 10))
    assert (everything.start, everything.end) == (date(2024, 1, 1), date(2025, 7, 31))


# -- organisations -----------------------------------------------------------------------------------------------
def test_org_tree_in_tree_order(store: Store) -> None:
    tree = queries.org_tree(store)
    assert tree["org_id"].to_list() == ["CITY", "ORG-A", "ORG-A1", "ORG-B"]
    assert tree["depth"].to_list() == [0, 1, 2, 1]
    assert tree["has_children"].to_list() == [True, True, False, False]


def test_subtree(store: Store) -> None:
    assert queries.subtree_ids(store, "ORG-A") == ["ORG-A", "ORG-A1"]
    assert queries.subtree_ids(store, "ORG-B") == ["ORG-B"]
    assert len(queries.subtree_ids(store, None)) == 4
    assert queries.focus_org(store, None) == "CITY"


# -- overview ----------------------------------------------------------------------------------------------------
def test_overview_month_of_the_short_quorum(store: Store) -> None:
    m = queries.overview(store, org_id="ORG-A", period=Period.month(2025, 4), as_of=AS_OF, run_id=RUN_ID)
    # ORG-A (4 rostered after P5 left) and ORG-A1 (5): a party group meeting and a study session each.
    assert m.organisations == 2
    assert m.meetings == 4
    assert m.meetings_by_kind == {"party_group": 2, "study": 2}
    assert (m.entitled, m.present, m.absent, m.on_leave, m.unrecorded) == (18, 16, 2, 0, 0)
    assert m.attendance_rate == pytest.approx(16 / 18)
    assert m.findings == {"violation": 2, "warning": 0, "data_quality": 0}  # MTG002 + MTG003
    assert (m.open_rectifications, m.overdue_rectifications) == (2, 1)


def test_overview_clips_to_as_of(store: Store) -> None:
    # Records after as_of are ignored: as of 15 April 2025 the April meeting on the 10th counts, the 20th not.
    m = queries.overview(store, org_id="ORG-B", period=Period.month(2025, 4), as_of=date(2025, 4, 15), run_id=None)
    assert m.meetings_by_kind == {"party_group": 1}
    assert m.findings == {"violation": 0, "warning": 0, "data_quality": 0}


def test_overview_subtree_adds_up(store: Store) -> None:
    year = Period.year(2025)
    parts = [queries.overview(store, org_id=o, period=year, as_of=AS_OF, run_id=RUN_ID) for o in ("ORG-A", "ORG-B")]
    own = queries.overview(store, org_id="CITY", period=year, as_of=AS_OF, run_id=RUN_ID)
    city_only = own.meetings - sum(p.meetings for p in parts)
    assert city_only == 12  # CITY's own six party group meetings and six study sessions to June
    assert own.open_findings == sum(p.open_findings for p in parts)


def test_dismissed_findings_are_not_open(fresh: Store) -> None:
    before = queries.overview(fresh, org_id=None, period=Period.all(), as_of=AS_OF, run_id=RUN_ID)
    marks.set_mark(fresh, "MTG001", "ORG-B/2025-03", "dismissed", reason="会议改期至4月初，已报批")
    after = queries.overview(fresh, org_id=None, period=Period.all(), as_of=AS_OF, run_id=RUN_ID)
    assert after.open_findings == before.open_findings - 1
    assert after.dismissed == 1


# -- findings ----------------------------------------------------------------------------------------------------
def _keys(frame) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{r}|{k}" for r, k in frame.select("rule_id", "subject_key").iter_rows()]


def test_findings_in_engine_order_with_total(store: Store) -> None:
    rows = queries.findings(store, RUN_ID, FindingFilter(), as_of=AS_OF)
    assert rows.height == len(FINDINGS)
    assert rows["total"].unique().to_list() == [len(FINDINGS)]
    ordered = sorted(rows.select("org_id", "rule_id", "subject_key").iter_rows())
    assert list(rows.select("org_id", "rule_id", "subject_key").iter_rows()) == ordered


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (FindingFilter(org_id="ORG-B"), {"MTG001|ORG-B/2025-03", "REC002|R-003", "STU001|ORG-B-P3/2024"}),
        (
            FindingFilter(org_id="ORG-A", rules=("MTG002", "MTG003")),
            {"MTG002|ORG-A-M202504", "MTG003|ORG-A-M202504-I2"},
        ),
        (FindingFilter(severities=("warning", "data_quality")), {"REC002|R-003", "DQ001|ORG-A1-S202506/ORG-A1-P5"}),
        (FindingFilter(member_id="ORG-A-P4"), {"ATT001|ORG-A-M202505/ORG-A-P4"}),
        (FindingFilter(period=Period.year(2024)), {"STU001|ORG-B-P3/2024"}),
        (FindingFilter(period=Period.month(2025, 3)), {"MTG001|ORG-B/2025-03", "REC001|R-001"}),
        (FindingFilter(text="逾期"), {"REC001|R-001"}),
    ],
)
def test_finding_filters(store: Store, flt: FindingFilter, expected: set[str]) -> None:
    assert set(_keys(queries.findings(store, RUN_ID, flt, as_of=AS_OF))) == expected


def test_mark_filter_and_marks_survive_a_new_run(fresh: Store) -> None:
    marks.set_mark(fresh, "ATT001", "ORG-A-M202505/ORG-A-P4", "confirmed", marked_by="李检查")
    confirmed = queries.findings(fresh, RUN_ID, FindingFilter(marks=("confirmed",)), as_of=AS_OF)
    assert _keys(confirmed) == ["ATT001|ORG-A-M202505/ORG-A-P4"]
    unmarked = queries.findings(fresh, RUN_ID, FindingFilter(marks=("unmarked",)), as_of=AS_OF)
    assert unmarked.height == len(FINDINGS) - 1
    # A new run of the same check (another run id) carries the mark: it is keyed by rule and subject.
    fresh.con.execute(
        """INSERT INTO check_runs SELECT 'run-2', as_of, default_rulebook, rulebooks, overrides, started_at,
           finished_at + INTERVAL 1 HOUR, findings, violations, warnings, data_quality, skipped FROM check_runs"""
    )
    for table in ("finding_rows", "run_rule_texts"):
        fresh.con.execute(
            f"INSERT INTO {table} SELECT * REPLACE ('run-2' AS run_id) FROM {table} WHERE run_id = $r", {"r": RUN_ID}
        )
    ensure_summaries(fresh)
    assert queries.latest_run(fresh, AS_OF)["run_id"] == "run-2"  # type: ignore[index]
    again = queries.findings(fresh, "run-2", FindingFilter(marks=("confirmed",)), as_of=AS_OF)
    assert _keys(again) == ["ATT001|ORG-A-M202505/ORG-A-P4"]


def test_facets(store: Store) -> None:
    facets = queries.finding_facets(store, RUN_ID, FindingFilter(org_id="ORG-A"), as_of=AS_OF)
    assert facets["rules"]["rule_id"].to_list() == ["ATT001", "DQ001", "MTG002", "MTG003", "REC001"]
    assert facets["rules"]["n"].sum() == 5
    assert dict(facets["counts"].select("severity", "n").iter_rows()) == {"violation": 4, "data_quality": 1}


def test_export_has_engine_columns_and_mark(store: Store) -> None:
    export = queries.findings_export(store, RUN_ID, FindingFilter(org_id="ORG-B"), as_of=AS_OF)
    assert export.columns[:16] == list(FINDINGS[0])[1:]
    assert export.columns[16:] == ["mark", "mark_reason"]


# -- evidence ----------------------------------------------------------------------------------------------------
def test_meeting_evidence(store: Store) -> None:
    ev = queries.meeting_evidence(store, "ORG-A-M202504")
    assert ev is not None
    assert ev.meeting["chair_name"] == "张伟" and ev.meeting["minutes_no"] == 4
    statuses = dict(ev.roster.select("member_id", "status").iter_rows())
    assert statuses == {"ORG-A-P1": "present", "ORG-A-P2": "present", "ORG-A-P3": "absent", "ORG-A-P4": "absent"}
    assert ev.items["seq"].to_list() == [1, 2]
    assert ev.items.filter(ev.items["item_id"] == "ORG-A-M202504-I2")["votes_yes"].to_list() == [4]
    assert ev.recusals["member_id"].to_list() == ["ORG-A-P3"]
    assert ev.votes["cast_order"].to_list() == [1, 2, 3, 4]


def test_meeting_evidence_lists_the_unrecorded(store: Store) -> None:
    ev = queries.meeting_evidence(store, "ORG-A1-S202506")
    assert ev is not None
    assert dict(ev.roster.select("member_id", "status").iter_rows())["ORG-A1-P5"] == "unrecorded"


def test_member_year_evidence(store: Store) -> None:
    ev = queries.member_year_evidence(store, "ORG-B-P3", 2024)
    assert ev is not None
    assert ev.attendance["study_hours_total"] == 36.0
    assert ev.attendance["study_hours_attended"] == 12.0
    assert ev.study_meetings.height == 12
    assert ev.activities["kind"].to_list() == ["study_article"] * 4


def test_every_fixture_finding_has_evidence(store: Store) -> None:
    kinds = {}
    for f in queries.findings(store, RUN_ID, FindingFilter(), as_of=AS_OF).iter_rows(named=True):
        kinds[f["rule_id"]] = type(queries.finding_evidence(store, f)).__name__
    assert kinds == {
        "MTG002": "MeetingEvidence",
        "MTG003": "MeetingEvidence",
        "ATT001": "MeetingEvidence",
        "DQ001": "MeetingEvidence",
        "STU001": "MemberYearEvidence",
        "MTG001": "OrgPeriodEvidence",
        "REC001": "RectificationEvidence",
        "REC002": "RectificationEvidence",
    }
    org_month = queries.org_period_evidence(store, "ORG-B", date(2025, 3, 1), date(2025, 3, 31))
    assert org_month is not None and org_month.meetings["kind"].to_list() == ["study"]


def test_evidence_items() -> None:
    assert queries.evidence_items('{"present": 2, "share": "1/2"}') == [("present", "2"), ("share", "1/2")]
    assert queries.evidence_items("not json") == [("evidence", "not json")]
    assert queries.evidence_items(None) == []


# -- trends ------------------------------------------------------------------------------------------------------
def test_attendance_by_month_groups(store: Store) -> None:
    frame = queries.attendance_by_month(store, org_id="CITY", window=Period.year(2025), as_of=AS_OF)
    assert set(frame["group_id"].unique().to_list()) == {"CITY", "ORG-A", "ORG-B"}
    april_a = frame.filter((frame["group_id"] == "ORG-A") & (frame["month"] == date(2025, 4, 1)))
    assert (april_a["entitled"][0], april_a["present"][0]) == (18, 16)
    assert frame.filter(frame["group_id"] == "CITY")["is_self"].unique().to_list() == [True]


def test_findings_series(store: Store) -> None:
    window = queries.trend_window(Period.all(), AS_OF, date(2024, 1, 1))
    by_rule = queries.findings_by_rule_month(store, run_id=RUN_ID, org_id=None, window=window, as_of=AS_OF)
    assert int(by_rule["findings"].sum()) == len(FINDINGS)
    heat = queries.findings_heatmap(store, run_id=RUN_ID, org_id="ORG-A", window=window, as_of=AS_OF)
    assert dict(heat.group_by("group_id").agg(pl.col("findings").sum()).iter_rows()) == {"ORG-A": 4, "ORG-A1": 1}


def test_member_distribution_and_standing(store: Store) -> None:
    dist = queries.member_attendance_distribution(store, org_id=None, year=2024)
    assert dist["members"] == 20
    assert int(dist["bins"]["members"].sum()) == 20
    standing = queries.member_standing(store, member_id="ORG-A-P4", org_id=None, year=2024)
    assert standing is not None
    assert standing["rank"] == 0.0  # the lowest rate of the twenty
    assert standing["entitled"] == 25 and standing["on_leave"] == 9


def test_rectifications_over_time(store: Store) -> None:
    frame = queries.rectifications_over_time(store, org_id=None, window=Period.year(2025), as_of=AS_OF)
    by_month = {m.month: (o, d) for m, o, d in frame.select("month", "open", "overdue").iter_rows()}
    assert by_month[1] == (3, 1)  # R-001, R-003 (overdue since 31 Dec), R-004
    assert by_month[3] == (2, 0)  # R-003 closed 15 Feb; R-001 is due 31 March, still in time that day
    assert by_month[4] == (2, 1)
    assert 8 not in by_month  # after as_of


def test_rollup(store: Store) -> None:
    tree = queries.rollup(store, org_id=None, period=Period.year(2025), as_of=AS_OF, run_id=RUN_ID)
    rows = {r["org_id"]: r for r in tree.iter_rows(named=True)}
    assert rows["CITY"]["organisations"] == 4 and rows["CITY"]["parent_id"] is None
    assert rows["ORG-A"]["findings"] == 5 and rows["ORG-A"]["overdue"] == 1
    assert rows["CITY"]["meetings"] == sum(
        queries.overview(
            store, org_id="CITY", period=Period.year(2025), as_of=AS_OF, run_id=RUN_ID
        ).meetings_by_kind.values()
    )


# -- summaries and marks -----------------------------------------------------------------------------------------
def test_summaries_follow_the_records(fresh: Store) -> None:
    assert ensure_summaries(fresh) is False  # nothing changed since build
    fresh.con.execute(
        """INSERT INTO meetings VALUES ('ORG-B-M202503', 'ORG-B', 'party_group', DATE '2025-03-28', '补开党组会议',
           'ORG-B-P1', 2.0, DATE '2025-03-25', 3, false)"""
    )
    assert ensure_summaries(fresh) is True
    m = queries.overview(fresh, org_id="ORG-B", period=Period.month(2025, 3), as_of=AS_OF, run_id=None)
    assert m.meetings_by_kind == {"party_group": 1, "study": 1}
    assert m.unrecorded == 5  # the new meeting's five rostered members have no attendance rows yet


def test_marks_api(fresh: Store) -> None:
    with pytest.raises(marks.MarkError) as err:
        marks.set_mark(fresh, "REC001", "R-001", "dismissed", reason="  ")
    assert "理由" in err.value.zh and "reason" in err.value.en
    with pytest.raises(marks.MarkError):
        marks.set_mark(fresh, "REC001", "R-001", "resolved")  # type: ignore[arg-type]
    marks.set_mark(fresh, "REC001", "R-001", "dismissed", reason="已于4月办结，台账未更新", marked_by="王")
    got = marks.get_mark(fresh, "REC001", "R-001")
    assert got is not None and (got.mark, got.reason, got.marked_by) == ("dismissed", "已于4月办结，台账未更新", "王")
    marks.set_mark(fresh, "REC001", "R-001", "confirmed")
    assert marks.get_mark(fresh, "REC001", "R-001").mark == "confirmed"  # type: ignore[union-attr]
    assert marks.marks(fresh).height == 1
    assert marks.clear_mark(fresh, "REC001", "R-001") is True
    assert marks.get_mark(fresh, "REC001", "R-001") is None
    assert marks.clear_mark(fresh, "REC001", "R-001") is False


def test_analytics_does_not_import_streamlit() -> None:
    code = (
        "import sys, analytics.queries, analytics.summaries, analytics.marks; "
        "sys.exit(1 if 'streamlit' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(
    "flt",
    [
        FindingFilter(),
        FindingFilter(org_id="ORG-A", period=Period.year(2025)),
        FindingFilter(rules=("MTG002", "REC001"), marks=("unmarked",)),
        FindingFilter(severities=("violation",), marks=("confirmed", "dismissed")),
        FindingFilter(member_id="ORG-A-P4"),
    ],
)
def test_counts_from_rollups_match_a_scan(fresh: Store, flt: FindingFilter) -> None:
    marks.set_mark(fresh, "REC001", "R-001", "dismissed", reason="已办结")
    marks.set_mark(fresh, "MTG002", "ORG-A-M202504", "confirmed")
    scanned = queries.findings_export(fresh, RUN_ID, flt).height
    assert queries.findings_count(fresh, RUN_ID, flt) == scanned


# -- summaries read instead of the records: the same numbers ---------------------------------------------------------
def test_rectifications_on_any_day_match_a_count_of_the_records(store: Store) -> None:
    """Month ends come from the roll-up, days inside a month from the previous month's end plus the month's daily
    changes (summary_tree_rect_days): every day of the data's span agrees with counting the rectifications."""
    # Every day next to something happening (found, due, closed), and the month ends and month starts around them.
    events = queries.rows(
        store,
        "SELECT d FROM (SELECT unnest([found_on, due_on, closed_on]) AS d FROM rectifications) WHERE d IS NOT NULL",
    )
    days = {e[0] + timedelta(days=k) for e in events for k in (-1, 0, 1)}
    days |= {date(d.year, d.month, 1) - timedelta(days=k) for d in list(days) for k in (0, 1)}
    for day in sorted(days):
        for org in (None, "ORG-A", "ORG-B"):
            ids = queries.subtree_ids(store, org)
            want = queries.rows(
                store,
                """SELECT count(*), count(*) FILTER (WHERE due_on < $d) FROM rectifications
                   WHERE list_contains($ids, org_id) AND found_on <= $d AND (closed_on IS NULL OR closed_on > $d)""",
                {"d": day, "ids": ids},
            )[0]
            assert queries._rect_at(store, queries.scope(store, org), day) == want, (day, org)


def test_member_distribution_matches_duckdb_quantiles(store: Store) -> None:
    """The percentiles computed from (present, entitled) pairs equal quantile_cont over every member's year."""
    for org in (None, "ORG-A", "ORG-B"):
        for year in (2024, 2025):
            s = queries.scope(store, org)
            want = queries.rows(
                store,
                """SELECT count(*), quantile_cont(present / entitled, [0.1, 0.25, 0.5, 0.75, 0.9]),
                          avg(present / entitled)
                   FROM summary_member_year WHERE org_pos BETWEEN $lo AND $hi AND year = $y AND entitled > 0""",
                {**s.params(), "y": year},
            )[0]
            got = queries.member_attendance_distribution(store, org_id=org, year=year)
            assert got["members"] == want[0]
            if want[0]:
                assert list(got["percentiles"].values()) == pytest.approx(want[1], abs=1e-12)
                assert got["mean"] == pytest.approx(want[2], abs=1e-12)


@pytest.mark.parametrize("limit", [1, 3, 200])
@pytest.mark.parametrize("org", [None, "ORG-A", "CITY"])
def test_findings_pages_follow_the_full_order(store: Store, limit: int, org: str | None) -> None:
    """Pages are read from a bounded range of tree positions when the counts allow (falling back to the whole
    range): page after page, they are exactly the full list in tree order, whatever the page size."""
    for period in (Period.all(), Period.year(2025)):
        flt = FindingFilter(org_id=org, period=period)
        full = queries.findings_export(store, RUN_ID, flt)
        keys = list(zip(full["rule_id"], full["subject_key"], strict=True))
        paged: list[tuple[str, str]] = []
        for offset in range(0, len(keys) + limit, limit):
            page = queries.findings(store, RUN_ID, flt, limit=limit, offset=offset)
            paged += list(zip(page["rule_id"], page["subject_key"], strict=True))
            if page.height:
                assert page["total"][0] == len(keys)
        assert paged == keys


def test_tree_held_in_memory_follows_a_refresh(fresh: Store) -> None:
    """The organisation tree is held in memory between queries and dropped whenever the summaries are rebuilt."""
    before = queries.org_tree(fresh).filter(pl.col("org_id") == "ORG-B")["name"][0]
    fresh.con.execute("UPDATE organizations SET name = 'renamed' WHERE org_id = 'ORG-B'")
    assert queries.org_tree(fresh).filter(pl.col("org_id") == "ORG-B")["name"][0] == before  # not yet refreshed
    ensure_summaries(fresh, force=True)
    assert queries.org_tree(fresh).filter(pl.col("org_id") == "ORG-B")["name"][0] == "renamed"


# -- the Trends page's statements: what they fold together is still what the records say ------------------------------
def test_month_starts_of_a_window() -> None:
    assert queries._month_starts(Period.year(2025), date(2025, 3, 15)) == [date(2025, m, 1) for m in (1, 2, 3)]
    assert queries._month_starts(Period.quarter(2024, 4), date(2025, 7, 1)) == [date(2024, m, 1) for m in (10, 11, 12)]
    assert queries._month_starts(Period.year(2026), date(2025, 7, 1)) == []
    assert queries._month_starts(Period.all(), date(2025, 7, 1)) == []


def test_rectifications_over_time_on_any_day_match_the_records(store: Store) -> None:
    """The as_of month's open, overdue and closed (one statement: month ends, the previous month's end and the
    month's daily changes up to the day from summary_tree_rect_days) equal counting the rectifications, on every day
    around every event."""
    events = queries.rows(
        store,
        "SELECT d FROM (SELECT unnest([found_on, due_on, closed_on]) AS d FROM rectifications) WHERE d IS NOT NULL",
    )
    days = sorted({e[0] + timedelta(days=k) for e in events for k in (-1, 0, 1)})
    for day in days:
        window = Period.month(day.year, day.month)
        for org in (None, "ORG-A", "ORG-B"):
            got = queries.rectifications_over_time(store, org_id=org, window=window, as_of=day)
            want = queries.rows(
                store,
                """SELECT count(*) FILTER (WHERE found_on <= $d AND (closed_on IS NULL OR closed_on > $d)),
                          count(*) FILTER (WHERE found_on <= $d AND (closed_on IS NULL OR closed_on > $d)
                                             AND due_on < $d),
                          count(*) FILTER (WHERE closed_on BETWEEN date_trunc('month', $d::DATE) AND $d)
                   FROM rectifications WHERE list_contains($ids, org_id)""",
                {"d": day, "ids": queries.subtree_ids(store, org)},
            )[0]
            assert got.select("open", "overdue", "closed").row(0) == want, (day, org)


def test_attendance_by_month_cut_inside_a_month_matches_the_meetings(store: Store) -> None:
    """The as_of month's meetings (read in the same statement as the roll-ups) are those held up to as_of."""
    for day in (date(2025, 3, 1), date(2025, 3, 20), date(2025, 4, 15), date(2025, 6, 30)):
        got = queries.attendance_by_month(store, org_id="CITY", window=Period.year(2025), as_of=day)
        month = date(day.year, day.month, 1)
        want = queries.rows(
            store,
            """SELECT count(*), coalesce(sum(entitled), 0), coalesce(sum(present), 0) FROM summary_meetings
               WHERE kind <> 'emergency_decision' AND held_on BETWEEN $m AND $d""",
            {"m": month, "d": day},
        )[0]
        now = got.filter(pl.col("month") == month)
        assert (int(now["meetings"].sum()), int(now["entitled"].sum()), int(now["present"].sum())) == want, day
        assert got["month"].max() <= month


def test_rollup_overdue_inside_a_month_matches_the_records(store: Store) -> None:
    """The roll-up's overdue rectifications on a day inside a month (the previous month's end plus the month's
    daily changes up to the day, per node) equal counting the rectifications of each node's subtree."""
    events = queries.rows(store, "SELECT DISTINCT due_on + 1 FROM rectifications WHERE due_on IS NOT NULL")
    for (day,) in events:
        for k in (0, 1, 5):
            cut = day + timedelta(days=k)
            tree = queries.rollup(store, org_id=None, period=Period.all(), as_of=cut, run_id=RUN_ID)
            for node in tree.iter_rows(named=True):
                want = queries.scalar(
                    store,
                    """SELECT count(*) FROM rectifications WHERE list_contains($ids, org_id) AND found_on <= $d
                       AND (closed_on IS NULL OR closed_on > $d) AND due_on < $d""",
                    {"d": cut, "ids": queries.subtree_ids(store, node["org_id"])},
                )
                assert node["overdue"] == want, (cut, node["org_id"])


def test_series_and_rollup_nodes_follow_a_refresh(fresh: Store) -> None:
    """The chart series and roll-up nodes are held with the tree and dropped with it at a refresh."""
    window = Period.year(2025)
    before = queries.attendance_by_month(fresh, org_id="CITY", window=window, as_of=AS_OF)
    assert "renamed" not in before["name"].to_list()
    queries.rollup(fresh, org_id=None, period=window, as_of=AS_OF, run_id=RUN_ID)
    fresh.con.execute("UPDATE organizations SET name = 'renamed' WHERE org_id = 'ORG-B'")
    ensure_summaries(fresh, force=True)
    after = queries.attendance_by_month(fresh, org_id="CITY", window=window, as_of=AS_OF)
    assert "renamed" in after["name"].to_list()
    tree = queries.rollup(fresh, org_id=None, period=window, as_of=AS_OF, run_id=RUN_ID)
    assert tree.filter(pl.col("org_id") == "ORG-B")["name"][0] == "renamed"


def test_trends_page_runs_the_charts_reads_concurrently_with_the_same_results(store: Store) -> None:
    """trends_page runs the six reads two at a time on cursors of their own: the same frames as one by one."""
    first = queries.data_range(store)[0]
    for org in (None, "CITY", "ORG-A", "ORG-A1"):
        for period in (Period.all(), Period.year(2025), Period.quarter(2025, 2), Period.month(2025, 3)):
            got = queries.trends_page(store, org_id=org, period=period, as_of=AS_OF, run_id=RUN_ID, first=first)
            window = queries.trend_window(period, AS_OF, first)
            focus = queries.focus_org(store, org)
            assert got.window == window
            assert got.attendance.equals(queries.attendance_by_month(store, org_id=focus, window=window, as_of=AS_OF))
            assert got.findings_by_rule.equals(
                queries.findings_by_rule_month(store, run_id=RUN_ID, org_id=org, window=window, as_of=AS_OF)
            )
            assert got.heatmap.equals(
                queries.findings_heatmap(store, run_id=RUN_ID, org_id=focus, window=window, as_of=AS_OF)
            )
            assert got.rectifications.equals(
                queries.rectifications_over_time(store, org_id=org, window=window, as_of=AS_OF)
            )
            assert got.rollup.equals(queries.rollup(store, org_id=org, period=period, as_of=AS_OF, run_id=RUN_ID))
            dist = queries.member_attendance_distribution(store, org_id=org, year=(window.end or AS_OF).year)
            assert got.distribution["percentiles"] == dist["percentiles"]
            assert got.distribution["bins"].equals(dist["bins"])


def test_concurrent_reads_raise_after_all_have_finished(store: Store) -> None:
    def boom(_: Store) -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        queries.concurrently(store, [lambda s: queries.scalar(s, "SELECT 1"), boom])
    assert queries.concurrently(store, [lambda s: queries.scalar(s, "SELECT 41 + 1")]) == [42]


@pytest.mark.parametrize("period", [Period.all(), Period.year(2025), Period.quarter(2025, 2), Period.month(2025, 3)])
def test_overview_page_is_the_three_reads(store: Store, period: Period) -> None:
    for org in (None, "ORG-A", "ORG-B"):
        cur, prev, top = queries.overview_page(store, org_id=org, period=period, as_of=AS_OF, run_id=RUN_ID)
        assert cur == queries.overview(store, org_id=org, period=period, as_of=AS_OF, run_id=RUN_ID)
        span = queries.previous_span(period, AS_OF)
        if span is None:
            assert prev is None
        else:
            assert prev == queries.overview(
                store, org_id=org, period=span[0], as_of=AS_OF, run_id=RUN_ID, until=span[1]
            )
        assert top.equals(queries.top_rules(store, org_id=org, period=period, as_of=AS_OF, run_id=RUN_ID))


# -- running totals and chart series against the records' summaries ------------------------------------------------
def _second_run(store: Store) -> None:
    """A second saved run (another id) with the same findings, so the summaries hold more than one run."""
    store.con.execute(
        """INSERT INTO check_runs SELECT 'run-2', as_of, default_rulebook, rulebooks, overrides, started_at,
           finished_at + INTERVAL 1 HOUR, findings, violations, warnings, data_quality, skipped FROM check_runs"""
    )
    for table in ("finding_rows", "run_rule_texts"):
        store.con.execute(
            f"INSERT INTO {table} SELECT * REPLACE ('run-2' AS run_id) FROM {table} WHERE run_id = $r", {"r": RUN_ID}
        )
    ensure_summaries(store)


_OPEN_FINDINGS = """FROM summary_findings f
    WHERE run_id = $run AND list_contains($ids, org_id)
      AND (rule_id, subject_key) NOT IN (SELECT rule_id, subject_key FROM finding_marks WHERE mark = 'dismissed')"""


@pytest.mark.parametrize(
    "period",
    [Period.all(), Period.year(2024), Period.year(2025), Period.quarter(2025, 1), Period.month(2025, 3),
     Period.month(2024, 12)],
)  # fmt: skip
def test_rollup_totals_from_running_totals_match_the_records(fresh: Store, period: Period) -> None:
    """The roll-up's meetings, attendance and open findings (two rows of running totals per node) equal summing the
    meetings and counting the findings of each node's subtree: whole months of the period up to the cut, findings
    of the months up to the period's end (all of them for everything), dismissed ones left out; for two runs, as_of
    on a month's end, inside a month, before the data and past it."""
    marks.set_mark(fresh, "REC001", "R-001", "dismissed", reason="已办结")
    marks.set_mark(fresh, "MTG001", "ORG-B/2025-03", "dismissed", reason="补开")
    _second_run(fresh)
    for run in (RUN_ID, "run-2"):
        for as_of in (AS_OF, date(2025, 3, 15), date(2025, 3, 31), date(2024, 12, 31), date(2023, 6, 1),
                      date(2026, 2, 1)):  # fmt: skip
            win = queries._window(period, as_of)
            start, cut = win["start"], win["cut"]
            fcut = period.end or cut
            for org in (None, "CITY", "ORG-A", "ORG-A1"):
                tree = queries.rollup(fresh, org_id=org, period=period, as_of=as_of, run_id=run)
                assert tree.height > 0
                for node in tree.iter_rows(named=True):
                    ids = queries.subtree_ids(fresh, node["org_id"])
                    att = queries.rows(
                        fresh,
                        """SELECT count(*), coalesce(sum(entitled), 0), coalesce(sum(present), 0)
                           FROM summary_meetings
                           WHERE kind <> 'emergency_decision' AND list_contains($ids, org_id)
                             AND ($start IS NULL OR month >= $start) AND last_day(month) <= $cut""",
                        {"ids": ids, "start": start, "cut": cut},
                    )[0]
                    found = queries.scalar(
                        fresh,
                        f"""SELECT count(*) {_OPEN_FINDINGS}
                            AND ($start IS NULL OR month IS NULL
                                 OR month BETWEEN date_trunc('month', $start::DATE) AND $fcut)""",
                        {"run": run, "ids": ids, "start": start, "fcut": fcut},
                    )
                    got = (node["meetings"], node["entitled"], node["present"], node["findings"])
                    assert got == (*att, found), (run, as_of, org, node["org_id"])


def _series_of(store: Store, org_id: str | None) -> dict[str, tuple[str, bool, list[str]]]:
    """The series of a per-organisation chart by hand: the organisation's own records and each child's subtree."""
    tree = queries.org_tree(store)
    kids = tree.filter(pl.col("parent_id") == org_id) if org_id else tree.filter(pl.col("depth") == 0)
    out = {k: (n, False, queries.subtree_ids(store, k)) for k, n in kids.select("org_id", "name").iter_rows()}
    if org_id is not None:
        out[org_id] = (tree.filter(pl.col("org_id") == org_id)["name"][0], True, [org_id])
    return out


def test_chart_series_match_the_meetings_and_findings(fresh: Store) -> None:
    """The attendance lines and the heatmap (children's rows of the roll-ups, the chosen organisation's own records
    as its subtree minus its children's, the as_of month's meetings and the dismissed findings added in NumPy) equal
    summing the meetings and counting the open findings of each series' organisations, month by month."""
    marks.set_mark(fresh, "MTG001", "ORG-B/2025-03", "dismissed", reason="补开")
    marks.set_mark(fresh, "ATT001", "ORG-A-M202505/ORG-A-P4", "dismissed", reason="病假")
    first = queries.data_range(fresh)[0]
    for as_of in (AS_OF, date(2025, 3, 15), date(2025, 4, 30), date(2024, 6, 10)):
        for period in (Period.all(), Period.year(2025), Period.month(2025, 3)):
            window = queries.trend_window(period, as_of, first)
            for org in (None, "CITY", "ORG-A", "ORG-A1", "ORG-B"):
                series = _series_of(fresh, org)
                att_rows, heat_rows = [], []
                for group_id, (name, is_self, ids) in series.items():
                    p = {"ids": ids, "start": window.start, "end": window.end, "as_of": as_of}
                    for row in queries.rows(
                        fresh,
                        """SELECT month, count(*), sum(entitled), sum(present), sum(on_leave), sum(absent)
                           FROM summary_meetings
                           WHERE kind <> 'emergency_decision' AND list_contains($ids, org_id)
                             AND month BETWEEN $start AND $end AND held_on <= $as_of
                           GROUP BY month""",
                        p,
                    ):
                        att_rows.append((row[0], group_id, name, is_self, *(int(v) for v in row[1:])))
                    for month, n in queries.rows(
                        fresh,
                        f"SELECT month, count(*) {_OPEN_FINDINGS} AND month BETWEEN $start AND $end GROUP BY month",
                        {"run": RUN_ID, "ids": ids, "start": window.start, "end": window.end},
                    ):
                        heat_rows.append((group_id, name, is_self, month, n))
                measures = ["meetings", "entitled", "present", "on_leave", "absent"]
                want_att = (
                    pl.DataFrame(att_rows, schema=["month", "group_id", "name", "is_self", *measures], orient="row")
                    .with_columns(pl.col("month").cast(pl.Date), pl.col(measures).cast(pl.Int64))
                    .with_columns(rate=pl.col("present") / pl.col("entitled"))
                    .sort("group_id", "month")
                )
                got_att = queries.attendance_by_month(fresh, org_id=org, window=window, as_of=as_of)
                assert got_att.equals(want_att), (as_of, period, org)
                want_heat = (
                    pl.DataFrame(heat_rows, schema=["group_id", "name", "is_self", "month", "findings"], orient="row")
                    .with_columns(pl.col("month").cast(pl.Date), pl.col("findings").cast(pl.Int64))
                    .sort("group_id", "month")
                )
                got_heat = queries.findings_heatmap(fresh, run_id=RUN_ID, org_id=org, window=window, as_of=as_of)
                assert got_heat.equals(want_heat), (as_of, period, org)


def test_running_totals_follow_a_new_run_and_new_records(fresh: Store) -> None:
    """A run added later gets its running totals of findings (the findings refresh), and new meetings theirs (the
    records refresh): the roll-up reads them."""
    before = queries.rollup(fresh, org_id=None, period=Period.all(), as_of=AS_OF, run_id=RUN_ID)
    _second_run(fresh)
    again = queries.rollup(fresh, org_id=None, period=Period.all(), as_of=AS_OF, run_id="run-2")
    assert again.equals(before)
    fresh.con.execute(
        """INSERT INTO meetings VALUES ('ORG-B-M202503', 'ORG-B', 'party_group', DATE '2025-03-28', '补开党组会议',
           'ORG-B-P1', 2.0, DATE '2025-03-25', 3, false)"""
    )
    assert ensure_summaries(fresh) is True
    after = queries.rollup(fresh, org_id=None, period=Period.all(), as_of=AS_OF, run_id=RUN_ID)
    city = after.filter(pl.col("org_id") == "CITY")
    assert city["meetings"][0] == before.filter(pl.col("org_id") == "CITY")["meetings"][0] + 1
