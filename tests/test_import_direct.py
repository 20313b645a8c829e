"""Import: the direct load (clean CSV / Parquet files straight into empty tables) must store exactly what the staged
path stores, and hand every file with a problem to the staged path, which reports it as before."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from csv_edits import append, edit
from test_import_formats import contents, read_tiny, write_chinese_csvs

from analytics.importer import ImportRejected, import_path, load
from analytics.schema import TABLE_ORDER
from analytics.store import Store, open_store


@pytest.fixture
def staged_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the sources the staged path read (none when the direct load took the import)."""
    calls: list[str] = []
    original = load.stage

    def spy(con, source):  # type: ignore[no-untyped-def]
        calls.append(source.label)
        return original(con, source)

    monkeypatch.setattr(load, "stage", spy)
    return calls


def _outcome(folder: Path, *, direct: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """(contents, summary rows) or the problems and total, importing ``folder`` into a new store."""
    with monkeypatch.context() as m:
        if not direct:
            m.setattr(load, "_direct_possible", lambda *_args: False)
        with open_store(memory=True) as store:
            try:
                summary = import_path(store, folder)
            except ImportRejected as error:
                assert store.row_counts() == dict.fromkeys(TABLE_ORDER, 0), "a refused import must write nothing"
                assert store.recorded_tables() == set()
                return "rejected", [p.format("en") for p in error.problems], error.total
            rows = {
                t: (s.rows, s.inserted, s.replaced, s.ignored_columns, s.encoding) for t, s in summary.tables.items()
            }
            return "imported", contents(store), rows, summary.ignored_files


def test_clean_csvs_load_directly_in_file_order(empty_store: Store, tiny_records: Path, staged_calls: list) -> None:
    summary = import_path(empty_store, tiny_records)
    assert staged_calls == [], "clean files into an empty store need no staging"
    assert summary.tables["attendance"].inserted == 11 and summary.tables["attendance"].replaced == 0
    with (tiny_records / "attendance.csv").open(encoding="utf-8") as f:
        in_file = [(r["meeting_id"], r["member_id"]) for r in csv.DictReader(f)]
    stored = empty_store.con.execute("SELECT meeting_id, member_id FROM attendance ORDER BY rowid").fetchall()
    assert stored == in_file
    assert not empty_store.con.execute("SELECT * FROM duckdb_views() WHERE view_name LIKE '__imp_%'").fetchall()


def test_direct_and_staged_store_the_same(
    tiny_records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, staged_calls: list
) -> None:
    # Chinese headers and labels, 是/否, dates as 2025年3月12日 / 2025/3/12 / 2025.3.12 / padded, a 序号 column, BOM.
    folder = tmp_path / "zh"
    write_chinese_csvs(read_tiny(tiny_records), folder, "utf-8-sig")
    direct = _outcome(folder, direct=True, monkeypatch=monkeypatch)
    assert staged_calls == []
    assert direct[0] == "imported"
    assert direct == _outcome(folder, direct=False, monkeypatch=monkeypatch)


def test_store_with_rows_takes_the_staged_path(empty_store: Store, tiny_records: Path, staged_calls: list) -> None:
    import_path(empty_store, tiny_records)
    assert staged_calls == []
    summary = import_path(empty_store, tiny_records)  # rows in every table now: replacing by key is staged work
    assert "attendance.csv" in staged_calls
    assert summary.tables["attendance"].replaced == 11


Change = Callable[[Path], None]

#: Problems the direct load meets in different places: its parsing guards, the blank-row guard, the CSV reader, the
#: header check, and the checks it shares with the staged path.
BAD_INPUTS: dict[str, Change] = {
    "unknown_enum": lambda d: edit(d, "meetings.csv", 3, "kind", "党委会"),
    "bad_date": lambda d: edit(d, "meetings.csv", 4, "held_on", "2025-13-01"),
    "date_out_of_years": lambda d: edit(d, "members.csv", 3, "joined_on", "0018-01-01"),
    "bad_int": lambda d: edit(d, "meetings.csv", 2, "minutes_no", "1.5"),
    "bad_number": lambda d: edit(d, "meetings.csv", 3, "duration_hours", "三小时"),
    "bad_bool": lambda d: edit(d, "meetings.csv", 3, "is_emergency", "也许"),
    "missing_value": lambda d: edit(d, "members.csv", 5, "name", "  "),
    "out_of_range": lambda d: edit(d, "agenda_items.csv", 3, "no_count", "-1"),
    "date_order": lambda d: edit(d, "members.csv", 4, "left_on", "2017-12-31"),
    "unknown_rulebook": lambda d: edit(d, "organizations.csv", 3, "rulebook", "beijing-2030"),
    "dangling_reference": lambda d: edit(d, "meetings.csv", 2, "org_id", "O9"),
    "duplicate_key": lambda d: append(d, "attendance.csv", "M1,P2,absent,,"),
    "duplicate_id": lambda d: append(d, "activities.csv", "A2,O1,P2,talk,P1,2025-05-21,1"),
    "not_on_roster": lambda d: append(d, "attendance.csv", "M3,P3,absent,,", "M1,P5,present,,"),
    "bad_line": lambda d: append(d, "votes.csv", "I2,P3,yes,3,extra", "I3,P1"),
    "missing_column": lambda d: (d / "recusals.csv").write_text("item_id,reason\nI3,本人亲属\n", encoding="utf-8"),
    "blank_rows_then_a_problem": lambda d: (
        append(d, "attendance.csv", ",,,,", " , ,,,"),
        edit(d, "attendance.csv", 5, "status", "迟到"),
    ),
    "blank_rows_only": lambda d: append(d, "attendance.csv", ",,,,", " , ,,,"),
    "problem_in_the_last_table": lambda d: edit(d, "activities.csv", 3, "quantity", "-2"),
}


@pytest.mark.parametrize("change", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_direct_hands_problems_to_the_staged_path(
    change: Change, tiny_records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    change(tiny_records)
    direct = _outcome(tiny_records, direct=True, monkeypatch=monkeypatch)
    assert direct == _outcome(tiny_records, direct=False, monkeypatch=monkeypatch)


def test_problems_through_direct_are_reported_exactly(empty_store: Store, tiny_records: Path) -> None:
    append(tiny_records, "attendance.csv", ",,,,")  # a blank row shifts nothing: row 13 stays row 13
    append(tiny_records, "attendance.csv", "M1,P5,present,,")
    edit(tiny_records, "meetings.csv", 3, "kind", "党委会")
    with pytest.raises(ImportRejected) as info:
        import_path(empty_store, tiny_records)
    got = sorted((p.file, p.row, p.column, p.value, p.kind) for p in info.value.problems)
    assert got == [
        ("attendance.csv", 14, "member_id", "P5", "not_on_roster"),
        ("meetings.csv", 3, "kind", "党委会", "unknown_enum"),
    ]
    assert empty_store.row_counts() == dict.fromkeys(TABLE_ORDER, 0)
    assert not empty_store.con.execute("SELECT * FROM duckdb_views() WHERE view_name LIKE '__imp_%'").fetchall()


def test_memory_limit_is_lowered_for_the_import_and_put_back(
    empty_store: Store, tiny_records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def setting() -> str:
        return empty_store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]

    default = setting()
    seen: list[str] = []
    original = load._direct_possible

    def spy(*args):  # type: ignore[no-untyped-def]
        seen.append(setting())
        return original(*args)

    monkeypatch.setattr(load, "_direct_possible", spy)
    import_path(empty_store, tiny_records)
    import_path(empty_store, tiny_records)
    assert seen == [f"{load.MEMORY_LIMIT_GIB:.1f} GiB"] * 2
    assert setting() == default, "repeated imports must not wear the limit down"
    empty_store.con.execute("SET memory_limit = '7.3GiB'")  # reads back as 7.2 GiB
    custom = setting()
    import_path(empty_store, tiny_records)
    import_path(empty_store, tiny_records)
    assert setting() == custom
    empty_store.con.execute("SET memory_limit = '1GiB'")
    import_path(empty_store, tiny_records)
    assert setting() == "1.0 GiB", "a lower limit set by the caller is left alone"
