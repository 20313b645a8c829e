"""The dashboard's meeting and member-year summaries against their definition read literally.

``analytics.summaries`` counts them from the record facts and one pass over attendance. The reference below is the
definition as records.md states it, and as the summaries were first written: every rostered member of every meeting
(a members x meetings range join), with that member's attendance row, if any, beside it. Both must give the same
rows on a simulated world with every kind of violation (members on leave, absent, unrecorded, partial study hours,
spells that start and end mid-year).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from analytics import facts
from analytics.importer import import_path
from analytics.store import Store, open_store
from analytics.summaries import ensure_summaries
from simulations import simulate

REFERENCE_MEETINGS = """
SELECT
    m.meeting_id, m.org_id, t.pos AS org_pos, m.kind, m.held_on, date_trunc('month', m.held_on)::DATE AS month,
    coalesce(m.is_emergency, false) AS is_emergency, m.title, m.minutes_no,
    count(r.member_id)::INTEGER AS entitled,
    count(*) FILTER (WHERE a.status = 'present')::INTEGER AS present,
    count(*) FILTER (WHERE a.status = 'leave')::INTEGER AS on_leave,
    count(*) FILTER (WHERE a.status = 'absent')::INTEGER AS absent,
    (count(r.member_id) - count(a.member_id))::INTEGER AS unrecorded
FROM meetings m
JOIN summary_org_tree t USING (org_id)
LEFT JOIN members r
    ON r.org_id = m.org_id AND r.joined_on <= m.held_on AND (r.left_on IS NULL OR r.left_on > m.held_on)
LEFT JOIN attendance a ON a.meeting_id = m.meeting_id AND a.member_id = r.member_id
GROUP BY ALL
"""

REFERENCE_MEMBER_YEARS = """
SELECT
    r.member_id, r.org_id, t.pos AS org_pos, year(m.held_on)::INTEGER AS year,
    count(*)::INTEGER AS entitled,
    count(*) FILTER (WHERE a.status = 'present')::INTEGER AS present,
    count(*) FILTER (WHERE a.status = 'leave')::INTEGER AS on_leave,
    count(*) FILTER (WHERE a.status = 'absent')::INTEGER AS absent,
    count(*) FILTER (WHERE m.kind = 'study')::INTEGER AS study_meetings,
    coalesce(sum(coalesce(m.duration_hours, 0)) FILTER (WHERE m.kind = 'study'), 0)::DOUBLE AS study_hours_total,
    coalesce(sum(CASE WHEN a.hours IS NOT NULL THEN a.hours
                      WHEN a.status = 'present' THEN coalesce(m.duration_hours, 0)
                      ELSE 0 END) FILTER (WHERE m.kind = 'study'), 0)::DOUBLE AS study_hours_attended
FROM meetings m
JOIN members r
    ON r.org_id = m.org_id AND r.joined_on <= m.held_on AND (r.left_on IS NULL OR r.left_on > m.held_on)
JOIN summary_org_tree t ON t.org_id = r.org_id
LEFT JOIN attendance a ON a.meeting_id = m.meeting_id AND a.member_id = r.member_id
WHERE m.kind <> 'emergency_decision'
GROUP BY ALL
"""


@pytest.fixture(scope="module")
def summarised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("summaries")
    world = simulate(folder / "world", orgs=12, years=2, seed=33, violation_rate=0.4).out_dir
    with open_store(folder / "q.duckdb") as store:
        import_path(store, world)
        ensure_summaries(store)
        yield store


def _frame(store: Store, sql: str, key: list[str]) -> pl.DataFrame:
    return store.sql(sql).sort(key)


def test_meetings_equal_the_roster_definition(summarised: Store) -> None:
    key = ["meeting_id"]
    got = _frame(summarised, "SELECT * FROM summary_meetings", key)
    want = _frame(summarised, REFERENCE_MEETINGS, key)
    assert got.height > 300
    # the world has every case the counts distinguish
    assert (got["unrecorded"] > 0).any() and (got["absent"] > 0).any() and (got["on_leave"] > 0).any()
    assert (got["kind"] == "emergency_decision").any()
    assert got.equals(want)


def test_member_years_equal_the_roster_definition(summarised: Store) -> None:
    key = ["member_id", "year"]
    got = _frame(summarised, "SELECT * FROM summary_member_year", key)
    want = _frame(summarised, REFERENCE_MEMBER_YEARS, key)
    assert got.height > 100
    assert (got["study_hours_attended"] < got["study_hours_total"]).any()
    assert got.equals(want)


def test_summaries_are_stored_in_their_reading_order(summarised: Store) -> None:
    """The readers rely on the tables' order for DuckDB's zone maps (a month, a subtree is one range)."""
    for table, order in (("summary_meetings", "month, org_pos"), ("summary_member_year", "org_pos, year, member_id")):
        (out_of_order,) = summarised.con.execute(
            f"SELECT count(*) FROM (SELECT rowid AS r, row_number() OVER (ORDER BY {order}, rowid) - 1 AS n "
            f"FROM {table}) WHERE r <> n"
        ).fetchall()[0]
        assert out_of_order == 0, table


def test_stale_facts_are_rebuilt_before_the_summaries(tmp_path: Path) -> None:
    """An import that deferred its facts still gets summaries counted from current facts."""
    world = simulate(tmp_path / "world", orgs=3, years=1, seed=4, violation_rate=0.3).out_dir
    with open_store(tmp_path / "q.duckdb") as store:
        import_path(store, world, facts=False)
        assert not facts.current(store)
        ensure_summaries(store)
        assert facts.current(store)
        got = _frame(store, "SELECT * FROM summary_meetings", ["meeting_id"])
        assert got.equals(_frame(store, REFERENCE_MEETINGS, ["meeting_id"]))
