"""The import template: every column explained, enum drop-downs, and a filled template imports without edits."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
from test_import_formats import chinese, contents, read_tiny

from analytics.importer import import_path
from analytics.schema import ENUMS, TABLE_ORDER, TABLES
from analytics.store import Store, open_store
from analytics.template import MEANINGS, write_template_csv, write_template_xlsx


def test_every_column_has_a_meaning() -> None:
    assert set(MEANINGS) == {(t, c.name) for t in TABLE_ORDER for c in TABLES[t].columns}


def test_workbook_layout(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_template_xlsx(tmp_path / "模板.xlsx"))
    assert book.sheetnames == ["说明", *(TABLES[t].zh for t in TABLE_ORDER)]
    guide = [row for row in book["说明"].iter_rows(min_row=4, values_only=True)]
    assert len(guide) == sum(len(TABLES[t].columns) for t in TABLE_ORDER)
    assert guide[[r[2] for r in guide].index("held_on")][:5] == (
        "会议（meetings）",
        "召开日期",
        "held_on",
        "日期",
        "必填",
    )
    meetings = book["会议"]
    assert [c.value for c in meetings[1]] == [c.zh for c in TABLES["meetings"].columns]
    lists = {next(iter(dv.sqref.ranges)).min_col: dv.formula1 for dv in meetings.data_validations.dataValidation}
    kind_col = TABLES["meetings"].column_names.index("kind") + 1
    assert lists[kind_col] == '"' + ",".join(ENUMS["meeting_kind"].labels.values()) + '"'
    emergency_col = TABLES["meetings"].column_names.index("is_emergency") + 1
    assert lists[emergency_col] == '"是,否"'


def test_filled_workbook_imports(empty_store: Store, tiny_records: Path, tmp_path: Path) -> None:
    import_path(empty_store, tiny_records)
    reference = contents(empty_store)
    path = write_template_xlsx(tmp_path / "模板.xlsx")
    book = openpyxl.load_workbook(path)
    for table, rows in read_tiny(tiny_records).items():
        t = TABLES[table]
        ws = book[t.zh]
        for i, row in enumerate(rows, start=2):
            for j, c in enumerate(t.columns, start=1):
                v = row[c.name]
                if v and c.type == "date":
                    ws.cell(i, j, dt.date.fromisoformat(v))
                elif v and c.type in ("int", "number"):
                    ws.cell(i, j, float(v))
                elif v:
                    ws.cell(i, j, chinese(v, table, c.name, i))
    book.save(path)
    with open_store(memory=True) as store:
        summary = import_path(store, path)
        assert contents(store) == reference
    assert summary.ignored_files == ("模板.xlsx:说明",)


def test_filled_csv_template_imports(empty_store: Store, tiny_records: Path, tmp_path: Path) -> None:
    import_path(empty_store, tiny_records)
    reference = contents(empty_store)
    folder = tmp_path / "模板"
    files = write_template_csv(folder)
    assert [f.name for f in files] == ["说明.csv", *(f"{TABLES[t].zh}.csv" for t in TABLE_ORDER)]
    assert all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in files)
    for table, rows in read_tiny(tiny_records).items():
        t = TABLES[table]
        with (folder / f"{t.zh}.csv").open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        assert header == [c.zh for c in t.columns]
        with (folder / f"{t.zh}.csv").open("a", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(
                [chinese(r[c.name], table, c.name, i) for c in t.columns] for i, r in enumerate(rows)
            )
    with open_store(memory=True) as store:
        summary = import_path(store, folder)
        assert contents(store) == reference
    assert summary.ignored_files == ("说明.csv",)


def test_empty_template_imports_as_recorded_none(tmp_path: Path) -> None:
    with open_store(memory=True) as store:
        summary = import_path(store, write_template_xlsx(tmp_path / "t.xlsx"))
        assert store.recorded_tables() == set(TABLE_ORDER)
        assert sum(store.row_counts().values()) == 0
    assert all(t.rows == 0 for t in summary.tables.values())
