"""Import: one test per kind of bad input (the problem names file, row, column and value; the store is unchanged),
keyed re-imports, recording of tables, and the report's shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from csv_edits import append, edit

from analytics.importer import ImportRejected, Problem, import_path
from analytics.schema import OPTIONAL_TABLES, TABLE_ORDER
from analytics.store import Store


def snapshot(store: Store) -> dict[str, object]:
    """Row counts and an order-independent hash of every records table, plus what is recorded."""
    out: dict[str, object] = dict(store.row_counts())
    for table in TABLE_ORDER:
        out[f"{table}#hash"] = store.con.execute(
            f"SELECT coalesce(sum(hash(t)), 0) FROM (SELECT * FROM {table}) t"
        ).fetchone()[0]
    out["recorded"] = sorted(store.recorded_tables())
    return out


def rejected(store: Store, folder: Path) -> ImportRejected:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as info:
        import_path(store, folder)
    assert snapshot(store) == before, "a refused import must leave the store exactly as it was"
    return info.value


def only(problems: list[Problem], kind: str) -> Problem:
    found = [p for p in problems if p.kind == kind]
    assert len(found) == 1, [p.format("en") for p in problems]
    return found[0]


@pytest.fixture
def loaded(empty_store: Store, tiny_records: Path) -> Store:
    """A store holding the tiny record set, so a refused import has something to leave unchanged."""
    import_path(empty_store, tiny_records)
    return empty_store


def test_tiny_records_import(empty_store: Store, tiny_records: Path) -> None:
    summary = import_path(empty_store, tiny_records)
    assert empty_store.row_counts()["attendance"] == 11
    assert summary.tables["attendance"].inserted == 11
    assert set(summary.recorded) == set(TABLE_ORDER)
    assert empty_store.recorded_tables() == set(TABLE_ORDER)
    assert summary.encodings["members.csv"] == "utf-8"
    held, hours, emergency = empty_store.con.execute(
        "SELECT held_on, duration_hours, is_emergency FROM meetings WHERE meeting_id = 'M2'"
    ).fetchone()  # type: ignore[misc]
    assert (str(held), hours, emergency) == ("2025-04-08", 3.0, False)


# -- one test per kind of bad input ----------------------------------------------------------------------------


def test_unknown_enum(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "meetings.csv", 3, "kind", "党委会")
    p = only(rejected(loaded, tiny_records).problems, "unknown_enum")
    assert (p.file, p.row, p.column, p.value) == ("meetings.csv", 3, "kind", "党委会")
    assert "集体学习" in p.expected_zh and "study" in p.expected_en


def test_bad_date(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "meetings.csv", 4, "held_on", "2025-13-01")
    p = only(rejected(loaded, tiny_records).problems, "bad_date")
    assert (p.file, p.row, p.column, p.value) == ("meetings.csv", 4, "held_on", "2025-13-01")
    assert p.expected_zh.startswith("应为日期，如 2025-03-12") and p.expected_en == "a date such as 2025-03-12"


def test_dangling_reference(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "meetings.csv", 2, "org_id", "O9")
    problems = rejected(loaded, tiny_records).problems
    p = only(problems, "dangling_reference")
    assert (p.file, p.row, p.column, p.value) == ("meetings.csv", 2, "org_id", "O9")
    assert "organizations" in p.expected_en


def test_duplicate_key(loaded: Store, tiny_records: Path) -> None:
    append(tiny_records, "attendance.csv", "M1,P2,absent,,")
    p = only(rejected(loaded, tiny_records).problems, "duplicate_key")
    assert (p.file, p.row, p.column, p.value) == ("attendance.csv", 13, "meeting_id + member_id", "M1 / P2")
    assert "第 3 行" in p.expected_zh and "row 3" in p.expected_en


def test_duplicate_id(empty_store: Store, tiny_records: Path) -> None:
    append(tiny_records, "organizations.csv", "O2,重复的组织,,,,,")
    p = only(rejected(empty_store, tiny_records).problems, "duplicate_key")
    assert (p.file, p.row, p.column, p.value) == ("organizations.csv", 4, "org_id", "O2")


def test_attendance_of_member_of_another_org(loaded: Store, tiny_records: Path) -> None:
    append(tiny_records, "attendance.csv", "M1,P5,present,,")  # P5 belongs to O2, M1 is O1's
    p = only(rejected(loaded, tiny_records).problems, "not_on_roster")
    assert (p.file, p.row, p.column, p.value) == ("attendance.csv", 13, "member_id", "P5")
    assert "O1" in p.expected_zh and "2025-03-12" in p.expected_en and "org O2" in p.expected_en


def test_attendance_after_member_left(loaded: Store, tiny_records: Path) -> None:
    # P3 left on 2025-06-01 (first day no longer a member); M3 is on 2025-07-02. P4 joined 2025-06-01, so not at M1.
    append(tiny_records, "attendance.csv", "M3,P3,absent,,", "M1,P4,present,,")
    problems = [p for p in rejected(loaded, tiny_records).problems if p.kind == "not_on_roster"]
    assert [(p.row, p.value) for p in problems] == [(13, "P3"), (14, "P4")]


def test_vote_for_nonexistent_item(loaded: Store, tiny_records: Path) -> None:
    append(tiny_records, "votes.csv", "I99,P1,no,3")
    p = only(rejected(loaded, tiny_records).problems, "dangling_reference")
    assert (p.file, p.row, p.column, p.value) == ("votes.csv", 4, "item_id", "I99")
    assert "agenda_items" in p.expected_en


def test_recusal_for_nonexistent_item(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "recusals.csv", 2, "item_id", "I0")
    p = only(rejected(loaded, tiny_records).problems, "dangling_reference")
    assert (p.file, p.row, p.column, p.value) == ("recusals.csv", 2, "item_id", "I0")


def test_missing_required_column(loaded: Store, tiny_records: Path) -> None:
    path = tiny_records / "members.csv"
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(",".join(r[:3] + r[4:]) for r in rows) + "\n", encoding="utf-8")  # drop "role"
    p = only(rejected(loaded, tiny_records).problems, "missing_column")
    assert (p.file, p.row, p.column) == ("members.csv", 1, "职务")
    assert "role" in p.expected_zh and "role" in p.expected_en


def test_missing_required_value(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "members.csv", 5, "name", "  ")
    p = only(rejected(loaded, tiny_records).problems, "missing_value")
    assert (p.file, p.row, p.column, p.value) == ("members.csv", 5, "name", None)


def test_bad_number(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "meetings.csv", 3, "duration_hours", "三小时")
    p = only(rejected(loaded, tiny_records).problems, "bad_number")
    assert (p.file, p.row, p.column, p.value) == ("meetings.csv", 3, "duration_hours", "三小时")
    assert p.expected_en == "a number from 0"


def test_integer_required(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "meetings.csv", 2, "minutes_no", "1.5")
    edit(tiny_records, "meetings.csv", 4, "minutes_no", "2.0")  # a whole number written as Excel does: accepted
    p = only(rejected(loaded, tiny_records).problems, "bad_int")
    assert (p.file, p.row, p.column, p.value) == ("meetings.csv", 2, "minutes_no", "1.5")
    assert p.expected_en == "a whole number from 1"


def test_negative_count(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "agenda_items.csv", 3, "no_count", "-1")
    p = only(rejected(loaded, tiny_records).problems, "out_of_range")
    assert (p.file, p.row, p.column, p.value) == ("agenda_items.csv", 3, "no_count", "-1")
    assert p.expected_zh == "应为不小于 0 的整数"


def test_zero_sequence(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "agenda_items.csv", 2, "seq", "0")
    p = only(rejected(loaded, tiny_records).problems, "out_of_range")
    assert (p.row, p.column, p.value) == (2, "seq", "0")


def test_negative_hours(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "attendance.csv", 6, "hours", "-1.5")
    p = only(rejected(loaded, tiny_records).problems, "out_of_range")
    assert (p.file, p.row, p.column, p.value) == ("attendance.csv", 6, "hours", "-1.5")


def test_left_on_not_after_joined_on(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "members.csv", 4, "left_on", "2017-12-31")
    edit(tiny_records, "members.csv", 3, "left_on", "2018-01-01")  # equal: an empty spell, refused too
    problems = [p for p in rejected(loaded, tiny_records).problems if p.kind == "date_order"]
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("members.csv", 3, "left_on", "2018-01-01"),
        ("members.csv", 4, "left_on", "2017-12-31"),
    ]
    assert "2018-01-01" in problems[0].expected_zh and "joined_on" in problems[0].expected_en


def test_dissolved_on_not_after_established_on(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "organizations.csv", 3, "dissolved_on", "2017-05-01")
    p = only(rejected(loaded, tiny_records).problems, "date_order")
    assert (p.row, p.column, p.value) == (3, "dissolved_on", "2017-05-01")


def test_unknown_rulebook(loaded: Store, tiny_records: Path) -> None:
    edit(tiny_records, "organizations.csv", 3, "rulebook", "beijing-2030")
    p = only(rejected(loaded, tiny_records).problems, "unknown_rulebook")
    assert (p.file, p.row, p.column, p.value) == ("organizations.csv", 3, "rulebook", "beijing-2030")
    assert "standard" in p.expected_en


def test_missing_required_table_on_first_import(empty_store: Store, tiny_records: Path) -> None:
    (tiny_records / "attendance.csv").unlink()
    p = only(rejected(empty_store, tiny_records).problems, "missing_table")
    assert "attendance" in p.file and "出席" in p.expected_zh


# -- all at once, capped -----------------------------------------------------------------------------------------


def test_every_problem_reported_at_once(empty_store: Store, tiny_records: Path) -> None:
    edit(tiny_records, "meetings.csv", 2, "kind", "例会")
    edit(tiny_records, "meetings.csv", 3, "held_on", "2025/2/30")
    edit(tiny_records, "members.csv", 2, "joined_on", "去年")
    append(tiny_records, "votes.csv", "I2,P2,yes,")
    edit(tiny_records, "activities.csv", 3, "quantity", "-2")
    error = rejected(empty_store, tiny_records)
    kinds = sorted((p.file, p.kind) for p in error.problems)
    assert kinds == [
        ("activities.csv", "out_of_range"),
        ("meetings.csv", "bad_date"),
        ("meetings.csv", "unknown_enum"),
        ("members.csv", "bad_date"),
        ("votes.csv", "duplicate_key"),
    ]
    assert error.total == 5
    assert empty_store.row_counts() == dict.fromkeys(TABLE_ORDER, 0)
    zh, en = error.format("zh"), error.format("en")
    assert "共发现 5 个问题" in zh and "meetings.csv 第 2 行「kind」：值“例会”" in zh
    assert "5 problems" in en and 'meetings.csv, row 3, column "held_on": value "2025/2/30"' in en


def test_problems_are_capped_per_file_but_counted(empty_store: Store, tiny_records: Path) -> None:
    append(tiny_records, "attendance.csv", *(["M1,P1,present,,"] * 300))
    error = rejected(empty_store, tiny_records)
    assert len(error.problems) == 200 and error.total == 300
    assert {p.kind for p in error.problems} == {"duplicate_key"}
    assert (error.problems[0].row, error.problems[-1].row) == (13, 212)
    assert "共发现 300 个问题（以下列出 200 个）" in error.format("zh")


def test_blank_rows_are_skipped(empty_store: Store, tiny_records: Path) -> None:
    append(tiny_records, "attendance.csv", ",,,,", " , ,,,")
    summary = import_path(empty_store, tiny_records)
    assert summary.tables["attendance"].rows == 11


# -- keyed writes and recording ------------------------------------------------------------------------------------


def test_reimport_changes_nothing(loaded: Store, tiny_records: Path) -> None:
    before = snapshot(loaded)
    summary = import_path(loaded, tiny_records)
    after = snapshot(loaded)
    before.pop("recorded"), after.pop("recorded")
    assert after == before
    assert summary.tables["attendance"].replaced == 11 and summary.tables["attendance"].inserted == 0


def test_newer_version_replaces_rows_by_key(loaded: Store, tiny_records: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "members.csv").write_text(
        "member_id,org_id,name,role,joined_on,left_on\n"
        "P3,O1,李强,member,2018-01-01,2025-09-01\n"  # left later than first recorded
        "P7,O2,孙悦,member,2025-01-01,\n",  # new
        encoding="utf-8",
    )
    summary = import_path(loaded, newer)
    assert (summary.tables["members"].replaced, summary.tables["members"].inserted) == (1, 1)
    assert loaded.row_counts()["members"] == 7
    left = loaded.con.execute("SELECT left_on FROM members WHERE member_id = 'P3'").fetchall()
    assert [str(r[0]) for r in left] == ["2025-09-01"]
    assert loaded.row_counts()["attendance"] == 11  # other tables untouched


def test_later_import_references_rows_in_store(loaded: Store, tmp_path: Path) -> None:
    later = tmp_path / "later"
    later.mkdir()
    (later / "attendance.csv").write_text("meeting_id,member_id,status\nM4,P6,leave\n", encoding="utf-8")
    summary = import_path(loaded, later)
    assert summary.tables["attendance"].replaced == 1
    status = loaded.con.execute("SELECT status FROM attendance WHERE meeting_id = 'M4' AND member_id = 'P6'")
    assert status.fetchall() == [("leave",)]


def test_empty_optional_table_counts_as_recorded(empty_store: Store, tiny_records: Path) -> None:
    (tiny_records / "votes.csv").write_text("item_id,member_id,choice,cast_order\n", encoding="utf-8")
    for table in ("recusals", "rectifications", "reports", "activities"):
        (tiny_records / f"{table}.csv").unlink()
    summary = import_path(empty_store, tiny_records)
    assert summary.tables["votes"].rows == 0
    recorded = empty_store.recorded_tables()
    assert "votes" in recorded and "agenda_items" in recorded
    assert not recorded & {"recusals", "rectifications", "reports", "activities"}
    assert set(OPTIONAL_TABLES) - recorded == {"recusals", "rectifications", "reports", "activities"}


def test_ignored_columns_are_named(empty_store: Store, tiny_records: Path) -> None:
    path = tiny_records / "meetings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(["序号," + lines[0] + ",备注"] + [f"{i},{line},附件见档案" for i, line in enumerate(lines[1:], 1)])
        + "\n",
        encoding="utf-8",
    )
    (tiny_records / "说明.txt").write_text("readme", encoding="utf-8")
    summary = import_path(empty_store, tiny_records)
    assert summary.ignored_columns == {"meetings.csv": ("序号", "备注")}
    assert summary.ignored_files == ("说明.txt",)
    assert "序号、备注" in summary.format("zh") and "序号, 备注" in summary.format("en")
    assert empty_store.row_counts()["meetings"] == 4
