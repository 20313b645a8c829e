"""Finding the tables in what the user brought, and making each one readable by DuckDB.

Accepted: a folder of CSV and/or Parquet files, a single such file, one Excel workbook with a sheet per table, or a
``.zip`` of any of these. Files and sheets are matched to tables by their English or Chinese name. CSV text is
checked as strict UTF-8 (with or without a BOM) and otherwise decoded as GB18030 — what Excel on Chinese Windows
writes — and transcoded to a temporary UTF-8 file in chunks, because DuckDB here has no GB18030 decoder.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa

from analytics.importer.errors import Problem
from analytics.schema import TABLES

SourceKind = Literal["csv", "parquet", "excel"]

CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_CHUNK = 1 << 24  # 16 MiB: large enough for throughput, small enough to keep memory flat on GB files


def normalize_name(name: str) -> str:
    """The form headers, file and sheet names are compared in: NFKC (full-width brackets and letters become
    half-width), no whitespace anywhere, lower case, no BOM."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name.replace("\ufeff", ""))).lower()


def _table_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for t in TABLES.values():
        out[normalize_name(t.name)] = t.name
        out[normalize_name(t.zh)] = t.name
    return out


TABLE_NAMES = _table_lookup()


def header_lookup(table: str) -> dict[str, str]:
    """Every accepted spelling of a header of ``table`` (normalised) mapped to its column name."""
    out: dict[str, str] = {}
    for c in TABLES[table].columns:
        out[normalize_name(c.name)] = c.name
        out[normalize_name(c.zh)] = c.name
    return out


@dataclass
class Source:
    """One table as found in the input: where it is, how to read it, and its header as the user wrote it."""

    table: str
    label: str  # how the user knows it: "会议.csv", "records.xlsx:会议"
    kind: SourceKind
    headers: list[str]  # as written, in file order
    path: Path | None = None  # csv (UTF-8, possibly a transcoded copy) or parquet
    encoding: str | None = None  # csv only: utf-8, utf-8-sig or gb18030
    frame: pa.Table | None = None  # excel: the sheet as all-text columns named c0..cN
    size: int = 0  # bytes (or cells), to weigh progress


@dataclass
class Discovery:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files or sheets not named after any table


# -- encodings -----------------------------------------------------------------------------------------------


class _Undecodable(Exception):
    pass


def _is_strict_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                if b"\x00" in chunk:
                    raise _Undecodable
                # ASCII chunks are valid UTF-8 unless a multi-byte sequence is pending from the last chunk.
                if chunk.isascii() and not decoder.getstate()[0]:
                    continue
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _transcode_gb18030(path: Path, out: Path) -> None:
    decoder = codecs.getincrementaldecoder("gb18030")("strict")
    try:
        with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    raise _Undecodable
                dst.write(text)
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise _Undecodable from exc


def _prepare_csv(path: Path, label: str, table: str, workdir: Path) -> Source | Problem:
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _encoding_problem(label, "UTF-16")
    try:
        if _is_strict_utf8(path):
            encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
            readable = path
        else:
            encoding = "gb18030"
            with tempfile.NamedTemporaryFile(dir=workdir, prefix="utf8-", suffix=".csv", delete=False) as tmp:
                readable = Path(tmp.name)
            _transcode_gb18030(path, readable)
    except _Undecodable:
        return _encoding_problem(label, None)
    with readable.open("r", encoding="utf-8-sig", newline="") as f:
        first = f.readline()
        # A header cell may hold a quoted line break; read on until the quotes balance.
        while first.count('"') % 2 and (more := f.readline()):
            first += more
    headers = next(csv.reader(io.StringIO(first)), []) if first.strip() else []
    return Source(table, label, "csv", headers, path=readable, encoding=encoding, size=path.stat().st_size)


def _encoding_problem(label: str, found: str | None) -> Problem:
    what = f"（检测到 {found}）" if found else ""
    return Problem(
        label,
        None,
        None,
        None,
        f"应为 UTF-8（可带 BOM）或 GB18030 编码的 CSV 文件{what}；请在 Excel 中另存为“CSV UTF-8”",
        f"a CSV file encoded as UTF-8 (with or without BOM) or GB18030{f' (found {found})' if found else ''};"
        ' save it from Excel as "CSV UTF-8"',
        "bad_encoding",
    )


# -- discovery ---------------------------------------------------------------------------------------------


def _parquet_source(path: Path, label: str, table: str) -> Source:
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    return Source(table, label, "parquet", list(names), path=path, size=path.stat().st_size)


def _excel_sources(path: Path, label: str, found: Discovery) -> None:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own error types for corrupt or encrypted workbooks
        found.problems.append(
            Problem(
                label,
                None,
                None,
                None,
                f"应为可读取的 Excel 工作簿（{exc}）",
                f"a readable Excel workbook ({exc})",
                "unreadable_file",
            )
        )
        return
    for sheet_name in reader.sheet_names:
        table = TABLE_NAMES.get(normalize_name(sheet_name))
        sheet_label = f"{label}:{sheet_name}"
        if table is None:
            found.ignored.append(sheet_label)
            continue
        try:
            # All cells as text: real date cells come out as "2025-03-12 00:00:00", whole numbers without ".0";
            # blank rows are kept, so a row's index is still its Excel row number.
            sheet = reader.load_sheet_by_name(sheet_name, dtypes="string")
            data = sheet.to_arrow()
        except Exception:  # an entirely empty sheet has no header row to read
            found.sources.append(Source(table, sheet_label, "excel", [], frame=None))
            continue
        headers = [_excel_header(n, i) for i, n in enumerate(data.column_names)]
        frame = data.rename_columns([f"c{i}" for i in range(data.num_columns)])
        found.sources.append(
            Source(table, sheet_label, "excel", headers, frame=frame, size=data.num_rows * data.num_columns)
        )


def _excel_header(name: str, index: int) -> str:
    # fastexcel names a header cell that is empty "__UNNAMED__<i>"; show the user which column that is.
    if name.startswith("__UNNAMED__"):
        return f"（第 {index + 1} 列，无列名）"
    return name


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    # Windows' built-in zip stores GBK names without the UTF-8 flag; Python then decodes them as cp437.
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _extract_zip(path: Path, workdir: Path) -> Path:
    target = workdir / "zip"
    target.mkdir()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = _zip_member_name(info)
            parts = Path(name).parts
            if info.is_dir() or "__MACOSX" in parts or Path(name).name.startswith("."):
                continue
            # Flatten: only the base name counts (tables are matched by name), and no path can escape target.
            out = target / Path(name).name
            with zf.open(info) as src, out.open("wb") as dst:
                while chunk := src.read(_CHUNK):
                    dst.write(chunk)
    return target


def discover(path: str | Path, workdir: Path) -> Discovery:
    """Find the tables in ``path``; ``workdir`` (a temporary folder) receives transcoded and extracted files."""
    path = Path(path)
    found = Discovery()
    if not path.exists():
        found.problems.append(
            Problem(str(path), None, None, None, "文件或文件夹不存在", "an existing file or folder", "not_found")
        )
        return found
    if path.is_file() and path.suffix.lower() == ".zip":
        try:
            root = _extract_zip(path, workdir)
        except zipfile.BadZipFile:
            found.problems.append(
                Problem(path.name, None, None, None, "应为有效的 zip 压缩包", "a valid zip archive", "unreadable_file")
            )
            return found
        files = sorted(p for p in root.iterdir() if p.is_file())
        workbooks = [p for p in files if p.suffix.lower() in EXCEL_SUFFIXES]
        tabular = [p for p in files if p.suffix.lower() in CSV_SUFFIXES | PARQUET_SUFFIXES]
        if len(workbooks) == 1 and not tabular:
            _excel_sources(workbooks[0], workbooks[0].name, found)
        else:
            _files_sources(files, found, workdir)
    elif path.is_file() and path.suffix.lower() in EXCEL_SUFFIXES:
        _excel_sources(path, path.name, found)
    elif path.is_file():
        _files_sources([path], found, workdir)
    else:
        _files_sources(sorted(p for p in path.iterdir() if p.is_file()), found, workdir)
    _refuse_double_sources(found)
    if not found.sources and not found.problems:
        found.problems.append(
            Problem(
                path.name,
                None,
                None,
                None,
                "未找到任何数据表：文件或工作表应以表名命名，如 组织.csv、会议.csv 或工作表“会议”",
                "files or sheets named after the tables, e.g. organizations.csv, 会议.csv or a sheet 会议",
                "no_tables",
            )
        )
    return found


def _files_sources(files: list[Path], found: Discovery, workdir: Path) -> None:
    for f in files:
        suffix = f.suffix.lower()
        table = TABLE_NAMES.get(normalize_name(f.stem))
        if table is None or suffix not in CSV_SUFFIXES | PARQUET_SUFFIXES:
            if not f.name.startswith((".", "~$")):  # editor lock files and hidden files are not the user's data
                found.ignored.append(f.name)
            continue
        if suffix in PARQUET_SUFFIXES:
            try:
                found.sources.append(_parquet_source(f, f.name, table))
            except Exception as exc:  # pyarrow raises ArrowInvalid and friends for a file that is not Parquet
                found.problems.append(
                    Problem(
                        f.name,
                        None,
                        None,
                        None,
                        f"应为有效的 Parquet 文件（{exc}）",
                        f"a valid Parquet file ({exc})",
                        "unreadable_file",
                    )
                )
            continue
        prepared = _prepare_csv(f, f.name, table, workdir)
        if isinstance(prepared, Problem):
            found.problems.append(prepared)
        else:
            found.sources.append(prepared)


def _refuse_double_sources(found: Discovery) -> None:
    by_table: dict[str, list[Source]] = {}
    for s in found.sources:
        by_table.setdefault(s.table, []).append(s)
    for table, sources in by_table.items():
        if len(sources) > 1:
            labels = "、".join(s.label for s in sources)
            for s in sources[1:]:
                found.problems.append(
                    Problem(
                        s.label,
                        None,
                        None,
                        None,
                        f"每张表只能有一个文件或工作表（{TABLES[table].zh} 表出现在：{labels}）",
                        f"one file or sheet per table ({table} is given by: {', '.join(x.label for x in sources)})",
                        "duplicate_table",
                    )
                )
            found.sources = [s for s in found.sources if s.table != table or s is sources[0]]
