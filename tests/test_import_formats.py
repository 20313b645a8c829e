"""Import: the forms records arrive in — Chinese names and labels, BOM, GB18030, Excel, zip, Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from analytics.importer import ImportRejected, import_path
from analytics.schema import ENUMS, TABLE_ORDER, TABLES
from analytics.store import Store


def read_tiny(folder: Path) -> dict[str, list[dict[str, str]]]:
    out = {}
    for table in TABLE_ORDER:
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            out[table] = list(csv.DictReader(f))
    return out


def chinese(value: str, table: str, column: str, i: int) -> str:
    """The value as a Chinese office would type it: labels, 是/否, dates in varied forms."""
    col = TABLES[table].column(column)
    if not value:
        return value
    if col.type == "enum":
        assert col.enum is not None
        return ENUMS[col.enum].labels[value]
    if col.type == "bool":
        return "是" if value == "true" else "否"
    if col.type == "date":
        y, m, d = (int(x) for x in value.split("-"))
        return [f"{y}年{m}月{d}日", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f" {value} "][i % 4]
    return value


def write_chinese_csvs(records: dict[str, list[dict[str, str]]], folder: Path, encoding: str) -> None:
    folder.mkdir()
    for table, rows in records.items():
        t = TABLES[table]
        headers = [
            c.zh.replace("（", "(").replace("）", ")") if i % 2 else f" {c.zh} " for i, c in enumerate(t.columns)
        ]
        with (folder / f"{t.zh}.csv").open("w", encoding=encoding, newline="") as f:
            w = csv.writer(f)
            w.writerow(["序号", *headers])
            for i, row in enumerate(rows):
                w.writerow([i + 1, *(chinese(row[c.name], table, c.name, i) for c in t.columns)])


def contents(store: Store) -> dict[str, list[tuple]]:
    return {t: sorted(store.con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLE_ORDER}


@pytest.fixture
def reference(empty_store: Store, tiny_records: Path) -> dict[str, list[tuple]]:
    """What the tiny records look like once imported from the plain English CSVs."""
    import_path(empty_store, tiny_records)
    return contents(empty_store)


def test_chinese_headers_labels_dates_and_bom(
    reference: dict[str, list[tuple]], tiny_records: Path, tmp_path: Path
) -> None:
    from analytics.store import open_store

    folder = tmp_path / "zh"
    write_chinese_csvs(read_tiny(tiny_records), folder, "utf-8-sig")
    assert (folder / "会议.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with open_store(memory=True) as store:
        summary = import_path(store, folder)
        assert contents(store) == reference
    assert summary.encodings["会议.csv"] == "utf-8-sig"
    assert summary.ignored_columns["会议.csv"] == ("序号",)


def test_gb18030_csv(reference: dict[str, list[tuple]], tiny_records: Path, tmp_path: Path) -> None:
    from analytics.store import open_store

    folder = tmp_path / "gb"
    write_chinese_csvs(read_tiny(tiny_records), folder, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        (folder / "成员.csv").read_bytes().decode("utf-8")
    with open_store(memory=True) as store:
        summary = import_path(store, folder)
        assert contents(store) == reference
    assert set(summary.encodings.values()) == {"gb18030"}


def test_undecodable_file_is_reported(empty_store: Store, tiny_records: Path) -> None:
    (tiny_records / "reports.csv").write_bytes("report_id,org_id\n".encode("utf-16"))
    with pytest.raises(ImportRejected) as info:
        import_path(empty_store, tiny_records)
    [p] = info.value.problems
    assert (p.file, p.kind) == ("reports.csv", "bad_encoding")
    assert "UTF-8" in p.expected_zh and "GB18030" in p.expected_en


def test_broken_csv_lines_are_reported(empty_store: Store, tiny_records: Path) -> None:
    with (tiny_records / "votes.csv").open("a", encoding="utf-8") as f:
        f.write("I2,P3,no,3,extra\nI1\n")
    with pytest.raises(ImportRejected) as info:
        import_path(empty_store, tiny_records)
    assert [(p.file, p.row, p.kind) for p in info.value.problems] == [
        ("votes.csv", 4, "bad_line"),
        ("votes.csv", 5, "bad_line"),
    ]
    assert empty_store.row_counts()["votes"] == 0


def write_workbook(records: dict[str, list[dict[str, str]]], path: Path, real_dates: bool) -> None:
    """A workbook as an office fills it: Chinese sheet names and headers, real date cells, numbers as numbers."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"  # type: ignore[union-attr]
    for table, rows in records.items():
        t = TABLES[table]
        ws = wb.create_sheet(t.zh)
        ws.append([c.zh for c in t.columns] + ["备注"])
        for i, row in enumerate(rows):
            cells: list[object] = []
            for c in t.columns:
                v = row[c.name]
                if not v:
                    cells.append(None)
                elif c.type == "date" and real_dates:
                    cells.append(dt.date.fromisoformat(v) if i % 2 else dt.datetime.fromisoformat(v))
                elif c.type == "date":
                    cells.append(v)  # text, as typed
                elif c.type in ("int", "number"):
                    cells.append(float(v) if "." in v else int(v))
                elif c.type == "bool":
                    cells.append(v == "true")
                else:
                    cells.append(chinese(v, table, c.name, i))
            ws.append([*cells, None])
        ws.append([None] * (len(t.columns) + 1))  # a trailing empty row, as Excel often keeps
    wb.save(path)


def test_excel_workbook_with_real_date_cells(
    reference: dict[str, list[tuple]], tiny_records: Path, tmp_path: Path
) -> None:
    from analytics.store import open_store

    book = tmp_path / "党组会议记录.xlsx"
    write_workbook(read_tiny(tiny_records), book, real_dates=True)
    with open_store(memory=True) as store:
        summary = import_path(store, book)
        assert contents(store) == reference
    assert summary.ignored_files == ("党组会议记录.xlsx:说明",)
    assert summary.tables["meetings"].source == "党组会议记录.xlsx:会议"


def test_excel_problem_names_sheet_row_and_header(empty_store: Store, tiny_records: Path, tmp_path: Path) -> None:
    records = read_tiny(tiny_records)
    records["meetings"][2]["held_on"] = "2025年13月1日"
    book = tmp_path / "book.xlsx"
    write_workbook(records, book, real_dates=False)
    with pytest.raises(ImportRejected) as info:
        import_path(empty_store, book)
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("book.xlsx:会议", 4, "召开日期", "2025年13月1日")


class GbkName(zipfile.ZipInfo):
    """A member name as Windows' "send to compressed folder" stores it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def test_zip_of_csvs_with_windows_names(reference: dict[str, list[tuple]], tiny_records: Path, tmp_path: Path) -> None:
    from analytics.store import open_store

    folder = tmp_path / "zh"
    write_chinese_csvs(read_tiny(tiny_records), folder, "gb18030")
    archive = tmp_path / "records.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            zf.writestr(GbkName(f"导出/{f.name}"), f.read_bytes())
    with open_store(memory=True) as store:
        import_path(store, archive)
        assert contents(store) == reference


def test_zip_of_workbook(reference: dict[str, list[tuple]], tiny_records: Path, tmp_path: Path) -> None:
    from analytics.store import open_store

    book = tmp_path / "book.xlsx"
    write_workbook(read_tiny(tiny_records), book, real_dates=True)
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(book, "book.xlsx")
    with open_store(memory=True) as store:
        import_path(store, archive)
        assert contents(store) == reference


def test_parquet_typed_and_text(reference: dict[str, list[tuple]], tiny_records: Path, tmp_path: Path) -> None:
    from analytics.store import open_store

    folder = tmp_path / "pq"
    folder.mkdir()
    for table, rows in read_tiny(tiny_records).items():
        t = TABLES[table]
        frame = pl.DataFrame(
            {c.name: [r[c.name] or None for r in rows] for c in t.columns},
            schema=dict.fromkeys(t.column_names, pl.String),
        )
        casts = {"date": pl.Date, "int": pl.Int32, "number": pl.Float64, "bool": pl.Boolean}
        # Typed columns where Polars would type them; meetings keeps text, as a hand-made file might.
        if table != "meetings":
            frame = frame.with_columns(
                (pl.col(c.name) == "true")
                if c.type == "bool"
                else pl.col(c.name).str.to_date()
                if c.type == "date"
                else pl.col(c.name).cast(casts[c.type])
                for c in t.columns
                if c.type in casts
            )
        frame.write_parquet(folder / f"{table}.parquet")
    with open_store(memory=True) as store:
        import_path(store, folder)
        assert contents(store) == reference


def test_parquet_problems(empty_store: Store, tiny_records: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pq"
    folder.mkdir()
    for table, rows in read_tiny(tiny_records).items():
        frame = pl.DataFrame(rows, schema=dict.fromkeys(TABLES[table].column_names, pl.String)).with_columns(
            pl.all().replace("", None)
        )
        if table == "agenda_items":
            frame = frame.with_columns(pl.col("yes_count").cast(pl.Float64).fill_null(2.5))
        frame.write_parquet(folder / f"{table}.parquet")
    with pytest.raises(ImportRejected) as info:
        import_path(empty_store, folder)
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value, p.kind) == ("agenda_items.parquet", 2, "yes_count", "2.5", "bad_int")
