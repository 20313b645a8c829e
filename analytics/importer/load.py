"""``import_path``: find the tables, stage them, check them all, and only then write them in one transaction.

Writing is keyed: a row whose key is already in the store replaces the stored row (delete by key, then insert, in the
same transaction), so importing the same files twice changes nothing and a newer version of a table replaces the
rows it names. Rows are never deleted otherwise. Into an empty table the rows are inserted directly.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from analytics import facts as record_facts
from analytics.importer.errors import CAP_PER_FILE, ImportRejected, Problem
from analytics.importer.readers import Discovery, discover
from analytics.importer.stage import NeedsExactPath, Staged, drop_staged, load_direct, q, stage
from analytics.importer.validate import Validator
from analytics.schema import TABLE_ORDER, TABLES
from analytics.store import Store

Progress = Callable[[str, float], None]

#: What an import may hold in memory before DuckDB spills to disk (its own default is 80% of the machine's RAM). The
#: direct load of 40M attendance rows peaks near 2.5 GiB; the exact path's temporary tables at that scale would take
#: far more (13.7 GiB was measured) and now spill instead.
MEMORY_LIMIT_GIB = 4.0


@dataclass(frozen=True)
class TableImport:
    """What one table's file did to the store."""

    table: str
    source: str  # the file or sheet it came from
    rows: int  # rows read (blank rows skipped)
    inserted: int  # rows whose key was new
    replaced: int  # rows that replaced a stored row with the same key
    ignored_columns: tuple[str, ...]  # headers not in the contract, as written
    encoding: str | None  # csv: utf-8, utf-8-sig (with BOM) or gb18030


@dataclass(frozen=True)
class ImportSummary:
    """The outcome of a successful import."""

    path: str
    tables: dict[str, TableImport] = field(default_factory=dict)  # in load order
    ignored_files: tuple[str, ...] = ()  # files or sheets not named after a table (e.g. the template's 说明)
    recorded: tuple[str, ...] = ()  # tables marked recorded by this import
    seconds: float = 0.0  # the whole import, the record facts included
    facts_seconds: float | None = None  # building the record facts (analytics.facts); None when not built

    @property
    def ignored_columns(self) -> dict[str, tuple[str, ...]]:
        """File or sheet -> headers that were not read."""
        return {t.source: t.ignored_columns for t in self.tables.values() if t.ignored_columns}

    @property
    def encodings(self) -> dict[str, str]:
        return {t.source: t.encoding for t in self.tables.values() if t.encoding}

    def format(self, lang: Literal["zh", "en"] = "zh") -> str:
        """The summary as the user reads it."""
        zh = lang == "zh"
        lines = [
            f"导入完成（{self.seconds:.1f} 秒）：{self.path}" if zh else f"Imported {self.path} in {self.seconds:.1f} s"
        ]
        for t in self.tables.values():
            name = f"{TABLES[t.table].zh}（{t.table}）" if zh else t.table
            enc = f"，编码 {t.encoding}" if zh and t.encoding else (f", encoding {t.encoding}" if t.encoding else "")
            if zh:
                lines.append(f"  {name} ← {t.source}：{t.rows} 行（新增 {t.inserted}，替换 {t.replaced}）{enc}")
            else:
                lines.append(
                    f"  {name} <- {t.source}: {t.rows} row{'' if t.rows == 1 else 's'} "
                    f"({t.inserted} new, {t.replaced} replaced){enc}"
                )
            if t.ignored_columns:
                cols = "、".join(t.ignored_columns) if zh else ", ".join(t.ignored_columns)
                lines.append(f"    未读取的列（不在数据规范中）：{cols}" if zh else f"    columns not read: {cols}")
        if self.ignored_files:
            files = "、".join(self.ignored_files) if zh else ", ".join(self.ignored_files)
            lines.append(
                f"  未读取的文件/工作表（名称不是表名）：{files}" if zh else f"  files/sheets not read: {files}"
            )
        not_recorded = [t for t in TABLE_ORDER if t not in self.recorded and not TABLES[t].required]
        if not_recorded and zh:
            lines.append(f"  本次未导入的可选表：{'、'.join(not_recorded)}")
        elif not_recorded:
            lines.append(f"  optional tables not in this import: {', '.join(not_recorded)}")
        if self.facts_seconds is not None:
            lines.append(
                f"  检查用的记录事实已更新（{self.facts_seconds:.1f} 秒）"
                if zh
                else f"  the record facts the checks read were rebuilt in {self.facts_seconds:.1f} s"
            )
        return "\n".join(lines)


def _cap(problems: list[Problem]) -> list[Problem]:
    """At most CAP_PER_FILE problems per file, each file's in row order (file-level problems first)."""
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    out: list[Problem] = []
    for items in by_file.values():
        items.sort(key=lambda p: (p.row is not None, p.row or 0))
        out += items[:CAP_PER_FILE]
    return out


def import_path(
    store: Store, path: str | Path, *, progress: Progress | None = None, facts: bool = True
) -> ImportSummary:
    """Import a folder of CSV or Parquet files, an Excel workbook, or a zip of either, into ``store``.

    Raises :class:`ImportRejected` with every problem found when anything breaks the records contract; the store is
    then exactly as before. Once the records are in, the record facts the checks read are brought up to date in a
    transaction of their own (:mod:`analytics.facts`: only when the import wrote a table they are built from);
    ``facts=False`` leaves that to the first check, for a batch of imports.
    """
    started = time.perf_counter()
    report = progress or (lambda _message, _fraction: None)
    with (
        tempfile.TemporaryDirectory(prefix="quorum-import-") as workdir,
        store.memory_capped(int(MEMORY_LIMIT_GIB * 1024**3)),
    ):
        report("读取文件 / reading files", 0.02)
        found = discover(path, Path(workdir))
        store_counts = store.row_counts()
        staged = None
        if _direct_possible(found, store_counts):
            staged = _import_direct(store, found, store_counts, str(path), report)
        if staged is not None:
            results = {s.table: 0 for s in staged}
        else:
            staged, results = _import_staged(store, found, store_counts, str(path), report)
    facts_seconds = None
    if facts:
        report("更新记录事实 / building the record facts", 0.9)
        facts_started = time.perf_counter()
        if record_facts.ensure(store):
            facts_seconds = round(time.perf_counter() - facts_started, 3)
    report("完成 / done", 1.0)
    by_table = {s.table: s for s in staged}
    tables = {
        name: TableImport(
            name,
            by_table[name].source.label,
            by_table[name].rows,
            by_table[name].rows - results[name],
            results[name],
            tuple(by_table[name].ignored),
            by_table[name].source.encoding,
        )
        for name in TABLE_ORDER
        if name in by_table
    }
    return ImportSummary(
        str(path),
        tables,
        tuple(found.ignored),
        tuple(tables),
        round(time.perf_counter() - started, 3),
        facts_seconds,
    )


def _direct_possible(found: Discovery, store_counts: dict[str, int]) -> bool:
    """The direct load applies to CSV and Parquet files whose tables are empty in the store: their rows are then
    exactly the table's rows, so the table itself can be checked. (Excel sheets are small and go the exact way.)"""
    return (
        not found.problems
        and bool(found.sources)
        and all(s.kind in ("csv", "parquet") and not store_counts.get(s.table, 0) for s in found.sources)
    )


def _import_direct(
    store: Store, found: Discovery, store_counts: dict[str, int], source: str, report: Progress
) -> list[Staged] | None:
    """The fast path for clean files into empty tables: parse each file straight into its table and check the
    tables there, all in one transaction. Returns None, the transaction rolled back, at the first sign of a
    problem; the exact path then reads the files again and reports every problem.

    Why: staging a file (its parsed values and its text, for the report) and copying it into the store costs more
    than the load itself; checking the loaded tables costs a few scans."""
    staged: list[Staged] = []
    validator: Validator | None = None
    weight = sum(max(s.size, 1) for s in found.sources) or 1
    done = 0
    try:
        with store.transaction() as con:
            for src in sorted(found.sources, key=lambda x: TABLE_ORDER.index(x.table)):
                report(f"读取 {src.label} / loading {src.label}", 0.05 + 0.6 * done / weight)
                staged.append(load_direct(con, src))
                done += max(src.size, 1)
            report("校验 / validating", 0.65)
            validator = Validator(con, staged, store_counts)
            validator.run(store.recorded_tables())
            if validator.total:
                raise NeedsExactPath("problems found")
            # An imported table counts as recorded even when its file held no rows: "recorded, none".
            store.mark_recorded({s.table for s in staged}, source)
    except (NeedsExactPath, duckdb.Error):
        return None
    finally:
        if validator is not None:
            validator.drop_views()
        drop_staged(store.con, staged)
    return staged


def _import_staged(
    store: Store, found: Discovery, store_counts: dict[str, int], source: str, report: Progress
) -> tuple[list[Staged], dict[str, int]]:
    """The exact path: stage every file (parsed values beside the text as written), check, then write in one
    transaction, or raise :class:`ImportRejected` with every problem."""
    con = store.con
    staged: list[Staged] = []
    validator: Validator | None = None
    try:
        problems = list(found.problems)
        weight = sum(max(s.size, 1) for s in found.sources) or 1
        done = 0
        for src in found.sources:
            report(f"解析 {src.label} / parsing {src.label}", 0.05 + 0.45 * done / weight)
            s, stage_problems = stage(con, src)
            problems += stage_problems
            if s is not None:
                staged.append(s)
            done += max(src.size, 1)
        report("校验 / validating", 0.5)
        validator = Validator(con, staged, store_counts)
        validator.run(store.recorded_tables())
        total = len(problems) + validator.total
        problems += validator.problems
        if problems:
            raise ImportRejected(_cap(problems), total)
        report("写入数据库 / writing to the store", 0.8)
        results = _load(store, staged, store_counts, source)
    finally:
        if validator is not None:
            validator.drop_views()
        drop_staged(con, staged)
    return staged, results


def _load(store: Store, staged: list[Staged], store_counts: dict[str, int], source: str) -> dict[str, int]:
    """Write every staged table in one transaction; returns rows replaced per table."""
    replaced: dict[str, int] = {}
    with store.transaction() as con:
        for s in sorted(staged, key=lambda x: TABLE_ORDER.index(x.table)):
            t = TABLES[s.table]
            cols = ", ".join(q(c) for c in t.column_names)
            replaced[s.table] = 0
            if store_counts.get(s.table, 0):
                match = " AND ".join(f"{s.table}.{q(k)} = n.{q(k)}" for k in t.key)
                keys = ", ".join(q(k) for k in t.key)
                row = con.execute(
                    f"DELETE FROM {s.table} USING (SELECT DISTINCT {keys} FROM {s.relation} WHERE NOT __blank) n "
                    f"WHERE {match}"
                ).fetchall()[0]
                replaced[s.table] = int(row[0]) if row else 0
            con.execute(f"INSERT INTO {s.table} ({cols}) SELECT {cols} FROM {s.relation} WHERE NOT __blank")
        # An imported table counts as recorded even when its file held no rows: "recorded, none".
        store.mark_recorded({s.table for s in staged}, source)
    return replaced
