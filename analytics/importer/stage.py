"""Staging: each source becomes a temporary DuckDB relation with its values parsed, ready to check and load.

A staged relation ``__imp_<table>`` exposes, for every contract column, the parsed value ``"<col>"`` (NULL when the
column is absent from the file) and, for the columns present, the trimmed text ``"<col>__raw"`` as the user wrote it,
plus ``__row`` (the row number the user sees in Excel: header = 1) and ``__blank`` (a row with no contract value at
all: an Excel row once formatted, a pre-numbered 序号 with nothing else, which carries no data and is skipped).

All parsing is SQL: CSV and Excel are materialised once into a temp table (parse once, then every check and the
load read typed columns); Parquet stays a view over ``read_parquet`` (re-scanning Parquet is cheaper than copying it)
and already-typed Parquet columns are used as they are, without a round trip through text.

:func:`load_direct` is the fast path for clean CSV and Parquet files into empty tables: the same parsing SQL writes
straight into the store table, and a view over it takes the staged relation's place (see ``docs/import.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from analytics.importer.errors import Problem
from analytics.importer.readers import Source, header_lookup, normalize_name
from analytics.schema import ENUMS, TABLES, Column

PREFIX = "__imp_"
#: Dates outside these years are typing errors (0025-03-12, 20255-03-12), not records of Party groups.
MIN_YEAR, MAX_YEAR = 1900, 2100

_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """A SQL string literal, for constants that come from the schema (never for user input)."""
    return "'" + value.replace("'", "''") + "'"


@dataclass
class StagedColumn:
    name: str  # contract column
    header: str  # as written in the file
    can_fail: bool  # its text may fail to parse (False for already-typed Parquet columns)


@dataclass
class Staged:
    source: Source
    relation: str  # view with __row, __blank, parsed and raw columns
    columns: dict[str, StagedColumn]  # contract columns present in the file, in contract order
    ignored: list[str]  # headers as written that are not in the contract
    objects: list[tuple[str, str]] = field(default_factory=list)  # (kind, name) of temp objects to drop
    reliable_rows: bool = True  # False when the CSV had structural errors: row numbers would be shifted
    rows: int = 0  # non-blank rows

    @property
    def table(self) -> str:
        return self.source.table

    def header(self, column: str) -> str:
        """The user's header for a column, else its canonical Chinese name (for columns the file lacks)."""
        c = self.columns.get(column)
        return c.header if c else TABLES[self.table].column(column).zh


# -- parsing expressions -------------------------------------------------------------------------------------


def _text(src: str) -> str:
    return f"nullif(trim({src}), '')"


def _enum_sql(raw: str, enum: str) -> str:
    # Exact spellings first (codes, then labels and aliases as written): most cells match one and never pay for
    # lower(), which DuckDB would otherwise evaluate once per WHEN branch. Mixed case falls through to lower().
    e = ENUMS[enum]
    exact = [(c, c) for c in e.codes] + [(label, c) for c, label in e.labels.items()] + list(e.aliases.items())
    first = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in exact)
    folded = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in sorted(e.lookup().items()))
    return f"(CASE {raw} {first} ELSE (CASE lower({raw}) {folded} END) END)"


def _date_sql(raw: str) -> str:
    # ISO and 2025/3/12 cast directly; 2025.3.12 and 2025年3月12日 become 2025-3-12 first. Excel date cells read as
    # text are "2025-03-12 00:00:00", which the cast accepts too.
    d = f"coalesce(try_cast({raw} AS DATE), try_cast(translate({raw}, '.年月日', '---') AS DATE))"
    return f"(CASE WHEN year({d}) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN {d} END)"


def _int_sql(raw: str) -> str:
    # try_cast('3.5' AS BIGINT) rounds to 4: go through DOUBLE and accept only whole numbers (3, 3.0, Excel's 3).
    d = f"try_cast({raw} AS DOUBLE)"
    return f"(CASE WHEN {d} = trunc({d}) AND abs({d}) < 9e15 THEN CAST({d} AS BIGINT) END)"


def _number_sql(raw: str) -> str:
    d = f"try_cast({raw} AS DOUBLE)"
    return f"(CASE WHEN isfinite({d}) THEN {d} END)"


def _bool_sql(raw: str) -> str:
    return (
        f"(CASE lower({raw}) WHEN 'true' THEN true WHEN '1' THEN true WHEN '是' THEN true "
        f"WHEN 'false' THEN false WHEN '0' THEN false WHEN '否' THEN false END)"
    )


def parse_text(col: Column, raw: str) -> str:
    """SQL parsing the trimmed text ``raw`` into the column's type (NULL when it does not parse)."""
    if col.type == "enum":
        assert col.enum is not None
        return _enum_sql(raw, col.enum)
    return {"date": _date_sql, "int": _int_sql, "number": _number_sql, "bool": _bool_sql}.get(col.type, str)(raw)


def _typed_parquet(col: Column, src: str, duck_type: str) -> tuple[str, str, bool] | None:
    """(raw, parsed, can_fail) for a Parquet column whose type already fits, or None to go through text."""
    base = duck_type.split("(")[0].upper()
    is_decimal = base == "DECIMAL"
    if col.type == "date" and base == "DATE":
        return f"CAST({src} AS VARCHAR)", src, False
    if col.type == "date" and base.startswith("TIMESTAMP"):
        return f"CAST({src} AS VARCHAR)", f"CAST({src} AS DATE)", False
    if col.type == "int" and base in _INTEGER_TYPES:
        return f"CAST({src} AS VARCHAR)", f"CAST({src} AS BIGINT)", False
    if col.type == "int" and (base in _FLOAT_TYPES or is_decimal):
        return f"CAST({src} AS VARCHAR)", _int_sql(src), True
    if col.type == "number" and (base in _INTEGER_TYPES or base in _FLOAT_TYPES or is_decimal):
        return f"CAST({src} AS VARCHAR)", _number_sql(src), True
    if col.type == "bool" and base == "BOOLEAN":
        return f"CAST({src} AS VARCHAR)", src, False
    return None


# -- staging -------------------------------------------------------------------------------------------------


def map_headers(source: Source) -> tuple[dict[str, int], list[str], list[Problem]]:
    """Contract column -> index of its header in the file; ignored headers; header problems."""
    lookup = header_lookup(source.table)
    table = TABLES[source.table]
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for i, header in enumerate(source.headers):
        column = lookup.get(normalize_name(header))
        if column is None:
            ignored.append(header if header.strip() else f"（第 {i + 1} 列，无列名）")
        elif column in positions:
            first = source.headers[positions[column]]
            problems.append(
                Problem(
                    source.label,
                    1,
                    header,
                    None,
                    f"每列只能出现一次（与「{first}」是同一列 {column}）",
                    f'each column once ("{first}" is the same column, {column})',
                    "duplicate_column",
                )
            )
        else:
            positions[column] = i
    for c in table.columns:
        if c.required and c.name not in positions:
            problems.append(
                Problem(
                    source.label,
                    1,
                    c.zh,
                    None,
                    f"缺少必填列「{c.zh}」（{c.name}）",
                    f'a required column "{c.zh}" ({c.name})',
                    "missing_column",
                )
            )
    return positions, ignored, problems


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> tuple[Staged | None, list[Problem]]:
    """Stage one source. Returns None (with the problems) when nothing can be read from it."""
    positions, ignored, problems = map_headers(source)
    table = TABLES[source.table]
    relation = f"{PREFIX}{source.table}"
    columns = {
        c.name: StagedColumn(c.name, source.headers[positions[c.name]], c.type != "text")
        for c in table.columns
        if c.name in positions
    }
    staged = Staged(source, relation, columns, ignored)
    if not positions:
        return None, problems
    if source.kind == "parquet":
        _stage_parquet(con, staged, positions)
    else:
        read, text_problems = _stage_text(con, staged, positions)
        problems += text_problems
        if not read:
            return None, problems
    staged.rows = con.execute(f"SELECT count(*) FROM {relation} WHERE NOT __blank").fetchall()[0][0]
    return staged, problems


def _view_sql(staged: Staged, body: str, row_sql: str, blank_sql: str) -> str:
    table = TABLES[staged.table]
    cols = [f"{row_sql} AS __row", f"{blank_sql} AS __blank"]
    for c in table.columns:
        if c.name in staged.columns:
            cols.append(f"{q(c.name)}")
            cols.append(f"{q(c.name + '__raw')}")
        else:
            cols.append(f"CAST(NULL AS {c.sql_type}) AS {q(c.name)}")
    return f"SELECT {', '.join(cols)} FROM {body}"


def _csv_reader(source: Source, rejects: tuple[str, str] | None) -> str:
    """``read_csv`` of a CSV source with every cell as text, in a fixed dialect (the contract says comma separated
    with a header): no sniffing, so a file never reads differently from how it was written. With ``rejects`` (the
    rejects and scans table names) structurally broken lines are collected, not fatal, so they can all be reported
    at once; without, the first one raises."""
    spec = ", ".join(f"{lit(f'c{i}')}: 'VARCHAR'" for i in range(len(source.headers)))
    stored = f", store_rejects=true, rejects_table={lit(rejects[0])}, rejects_scan={lit(rejects[1])}" if rejects else ""
    return (
        f"read_csv($path, header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
        f"columns={{{spec}}}{stored})"
    )


def _text_select(staged: Staged, positions: dict[str, int], reader: str) -> str:
    """Every contract column present, parsed and as trimmed text, and ``__blank``, from a reader of text cells
    named c0..cN, in file order."""
    table = TABLES[staged.table]
    inner = [f"{_text(q(f'c{positions[c]}'))} AS {q(c + '__raw')}" for c in staged.columns]
    outer = []
    for name in staged.columns:
        raw = q(name + "__raw")
        outer.append(f"{parse_text(table.column(name), raw)} AS {q(name)}")
        outer.append(raw)
    blank = " AND ".join(f"{q(c + '__raw')} IS NULL" for c in staged.columns)
    return f"SELECT {', '.join(outer)}, ({blank}) AS __blank FROM (SELECT {', '.join(inner)} FROM {reader})"


def _stage_text(
    con: duckdb.DuckDBPyConnection, staged: Staged, positions: dict[str, int]
) -> tuple[bool, list[Problem]]:
    """CSV and Excel: every cell is text; parse once into a temp table, in file order (rowid = record index)."""
    source = staged.source
    base = f"{PREFIX}t_{staged.table}"
    problems: list[Problem] = []
    if source.kind == "csv":
        rejects, scans = f"{PREFIX}rejects_{staged.table}", f"{PREFIX}scans_{staged.table}"
        reader = _csv_reader(source, (rejects, scans))
        params: dict[str, object] = {"path": str(source.path)}
        staged.objects += [("TABLE", rejects), ("TABLE", scans)]
    else:
        assert source.frame is not None
        frame_name = f"{PREFIX}frame_{staged.table}"
        # DuckDB refuses to register while a result of execute() is unread (a caller's fetchone(), say).
        con.complete()
        con.register(frame_name, source.frame)
        staged.objects.append(("VIEW", frame_name))
        reader, params = q(frame_name), {}
    staged.objects.append(("TABLE", base))
    try:
        con.execute(f"CREATE TEMP TABLE {base} AS {_text_select(staged, positions, reader)}", params)
    except duckdb.Error as exc:
        problems.append(
            Problem(
                source.label,
                None,
                None,
                None,
                f"应为逗号分隔、首行为表头的 CSV 文件（读取失败：{_first_line(exc)}）",
                f"a comma-separated CSV file with a header row (could not read it: {_first_line(exc)})",
                "unreadable_file",
            )
        )
        return False, problems
    if source.kind == "csv":
        problems += _csv_rejects(con, staged)
    con.execute(f"CREATE TEMP VIEW {staged.relation} AS " + _view_sql(staged, base, "rowid + 2", "__blank"))
    staged.objects.append(("VIEW", staged.relation))
    return True, problems


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def _csv_rejects(con: duckdb.DuckDBPyConnection, staged: Staged) -> list[Problem]:
    rejects = f"{PREFIX}rejects_{staged.table}"
    rows = con.execute(
        # One problem per line: a short line is reported once per missing cell.
        f"SELECT line, first(error_type), first(csv_line), first(error_message) FROM {rejects} "
        f"GROUP BY line ORDER BY line LIMIT 10000"
    ).fetchall()
    if not rows:
        return []
    staged.reliable_rows = False
    texts = {
        "TOO MANY COLUMNS": ("该行的列数多于表头", "no more cells than the header has"),
        "MISSING COLUMNS": ("该行的列数少于表头", "as many cells as the header has"),
        "UNQUOTED VALUE": ("引号未闭合或引号用法不对", "quotes that open and close"),
        "INVALID UNICODE": ("无效字符", "valid characters"),
        "LINE SIZE OVER MAXIMUM": ("该行过长", "a shorter line"),
    }
    out = []
    for line, error_type, csv_line, message in rows:
        zh, en = texts.get(error_type, ("无法解析", f"a well-formed CSV line ({message})"))
        value = (csv_line or "").strip()[:80]
        # DuckDB counts physical lines (header = line 1); without quoted line breaks that is the Excel row.
        out.append(Problem(staged.source.label, int(line), None, value, f"应为格式正确的一行：{zh}", en, "bad_line"))
    return out


def _parquet_select(con: duckdb.DuckDBPyConnection, staged: Staged, positions: dict[str, int]) -> str:
    """Every contract column present, parsed and as text, and ``file_row_number``, in file order. Columns already
    typed as the contract wants are used as they are (``can_fail`` False), without a round trip through text."""
    source, table = staged.source, TABLES[staged.table]
    path_lit = lit(str(source.path))  # a view cannot hold a parameter; the path is quoted as a literal
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({path_lit})").fetchall()
    types = {row[0]: row[1] for row in described}
    inner = ["file_row_number"]
    outer = []
    for name, sc in staged.columns.items():
        col = table.column(name)
        src_name = source.headers[positions[name]]
        src = q(src_name)
        typed = _typed_parquet(col, q(name + "__src"), types[src_name])
        if typed is not None:
            raw, parsed, sc.can_fail = typed
            inner.append(f"{src} AS {q(name + '__src')}")
            outer += [f"{parsed} AS {q(name)}", f"{raw} AS {q(name + '__raw')}"]
            continue
        is_text = types[src_name].upper() == "VARCHAR"
        inner.append(f"{_text(src if is_text else f'CAST({src} AS VARCHAR)')} AS {q(name + '__raw')}")
        raw = q(name + "__raw")
        outer.append(f"{parse_text(col, raw)} AS {q(name)}")
        outer.append(raw)
    return (
        f"SELECT file_row_number, {', '.join(outer)} FROM "
        f"(SELECT {', '.join(inner)} FROM read_parquet({path_lit}, file_row_number=true))"
    )


def _stage_parquet(con: duckdb.DuckDBPyConnection, staged: Staged, positions: dict[str, int]) -> None:
    body = f"({_parquet_select(con, staged, positions)})"
    con.execute(f"CREATE TEMP VIEW {staged.relation} AS " + _view_sql(staged, body, "file_row_number + 2", "false"))
    staged.objects.append(("VIEW", staged.relation))


# -- loading directly ----------------------------------------------------------------------------------------


class NeedsExactPath(Exception):
    """The direct load cannot take this source as it is; the exact (staged) path must read it."""


def load_direct(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    """Parse a CSV or Parquet source straight into its (empty) store table, inside the caller's transaction.

    The values are those the staged path would load: the same parsing SQL over the same reader. What the staged
    path would report instead of load stops the statement — a cell that does not parse (``error()`` in a guard), a
    blank row (it would shift the row numbers), a structurally broken line (the reader raises without
    ``store_rejects``) — and raises ``duckdb.Error``; a header problem raises :class:`NeedsExactPath`. The caller
    then rolls back and takes the staged path, which reports every problem exactly. The returned :class:`Staged`
    is a view over the loaded rows with the staged relation's shape, so the same :class:`Validator` checks them;
    parse failures being excluded, its ``__raw`` columns are the parsed values (only ever tested for NULL here).
    """
    positions, ignored, problems = map_headers(source)
    if problems or not positions or source.kind not in ("csv", "parquet"):
        raise NeedsExactPath(source.label)
    table = TABLES[source.table]
    staged = Staged(
        source,
        f"{PREFIX}{source.table}",
        {
            c.name: StagedColumn(c.name, source.headers[positions[c.name]], c.type != "text")
            for c in table.columns
            if c.name in positions
        },
        ignored,
    )
    if source.kind == "csv":
        select, params = _text_select(staged, positions, _csv_reader(source, None)), {"path": str(source.path)}
        # A filter, not a projected column: DuckDB prunes projections nobody reads, and with them the error().
        keep = "CASE WHEN __blank THEN error('blank row') ELSE true END"
    else:
        select, params, keep = _parquet_select(con, staged, positions), {}, "true"
    values = []
    for name, sc in staged.columns.items():
        parsed, raw = q(name), q(name + "__raw")
        if sc.can_fail:
            values.append(f"CASE WHEN {raw} IS NOT NULL AND {parsed} IS NULL THEN error('bad cell') ELSE {parsed} END")
        else:
            values.append(parsed)
    cols = ", ".join(q(c) for c in staged.columns)
    inserted = con.execute(
        f"INSERT INTO {source.table} ({cols}) SELECT {', '.join(values)} FROM ({select}) WHERE {keep}", params
    ).fetchall()[0][0]
    staged.rows = int(inserted)
    for sc in staged.columns.values():
        sc.can_fail = False
    # All rows of the table are this file's (it was empty), in file order: rowid - first rowid = record index.
    (first,) = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {source.table}").fetchall()[0]
    view = [f"rowid - {int(first)} + 2 AS __row", "false AS __blank"]
    for c in table.columns:
        if c.name in staged.columns:
            view += [q(c.name), f"{q(c.name)} AS {q(c.name + '__raw')}"]
        else:
            view.append(q(c.name))
    con.execute(f"CREATE TEMP VIEW {staged.relation} AS SELECT {', '.join(view)} FROM main.{source.table}")
    staged.objects.append(("VIEW", staged.relation))
    return staged


def drop_staged(con: duckdb.DuckDBPyConnection, staged: list[Staged]) -> None:
    """Remove every temp object the import made (views first: they depend on the tables)."""
    for s in staged:
        for kind, name in sorted(s.objects, key=lambda o: o[0] != "VIEW"):
            if name.startswith(f"{PREFIX}frame_"):
                con.unregister(name)
            else:
                con.execute(f"DROP {kind} IF EXISTS {name}")
