"""Optional tables: a rule needing a table that was never imported is skipped with its reason (in
``run_check(...).skipped``), never run and never passed; an imported but empty table is "recorded, none": it runs."""

import pytest
from builders import World, rule_findings

from analytics.schema import OPTIONAL_TABLES, TABLES

#: rules.md, "Rules and the optional tables they need".
NEEDS = {
    "agenda_items": ["MTG003", "MTG005", "MTG007", "MTG008", "VOT001", "VOT003", "VOT006", "VOT007", "DQ004"],
    "votes": ["VOT002", "VOT004", "VOT005", "DQ002"],
    "recusals": ["VOT004"],
    "reports": ["DLM003", "DLM004", "RPT001"],
    "rectifications": ["REC001", "REC002", "REC003", "REC004", "REC005"],
    "activities": ["STU003", "TLK001", "RES001", "RES002"],
}
PAIRS = [(table, rule) for table, rules in NEEDS.items() for rule in rules]


def world_with_something_to_flag() -> World:
    """Records that would give the table-less rules findings if they ran: a party_group meeting without agenda
    items (DQ004), an organisation that existed all 2024 without an annual report (RPT001) and whole-year members
    without any activity (STU003, TLK001, RES001, RES002), a democratic life meeting without plan or report."""
    w = World(as_of="2025-06-01")
    org = w.org("A")
    org.members(3, joined_on="2024-01-01")
    org.meeting("2025-03-12", first_topic=False)
    org.meeting("2025-03-20", "democratic_life")
    org.emergency_decision("2025-03-01")
    org.meeting("2025-03-25", first_topic=False)
    return w


@pytest.mark.parametrize(("table", "rule"), PAIRS, ids=[f"{r}-without-{t}" for t, r in PAIRS])
def test_skipped_without_table(table, rule):
    w = world_with_something_to_flag()
    w.leave_unrecorded(table)
    run = w.run(enable=[rule])
    assert rule in run.skipped, f"{rule} ran although {table} was never imported"
    reason = run.skipped[rule]
    assert isinstance(reason, str)
    assert table in reason or TABLES[table].zh in reason, f"reason does not name the table: {reason!r}"
    assert rule_findings(run.findings, rule).is_empty()


@pytest.mark.parametrize("rule", sorted({r for rs in NEEDS.values() for r in rs}), ids=lambda r: f"{r}-recorded-none")
def test_runs_when_recorded_but_empty(rule):
    w = world_with_something_to_flag()
    run = w.run(enable=[rule])
    assert rule not in run.skipped


def test_dq004_rpt001_stu003_skipped_not_passed_but_flag_once_recorded():
    # The same records give findings once the tables count as imported: skipping is what hides them.
    w = world_with_something_to_flag()
    run = w.run(enable=["DQ004", "RPT001", "STU003"])
    for rule in ("DQ004", "RPT001", "STU003"):
        assert not rule_findings(run.findings, rule).is_empty(), rule


@pytest.mark.parametrize("rule", ["MTG001", "MTG002", "MTG004", "MTG006", "ATT001", "STU001", "DQ001", "DQ003"])
def test_rules_on_required_tables_never_skipped(rule):
    w = world_with_something_to_flag()
    w.leave_unrecorded(*OPTIONAL_TABLES)
    run = w.run(enable=[rule])
    assert rule not in run.skipped
