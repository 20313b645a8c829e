"""The Quorum store: one DuckDB file holding the records, the check runs and their findings.

All SQL that touches the file goes through :class:`Store`; the CLI, the dashboard and the tests open stores with
:func:`open_store` and never call ``duckdb.connect`` themselves.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from analytics.schema import TABLE_ORDER, TABLES

DEFAULT_DB = Path("data") / "quorum.duckdb"
SCHEMA_VERSION = 2

#: DuckDB's buffer pool during a check and while the record facts are built (:meth:`Store.bulk_work`), by a check
#: or by the import: capped below DuckDB's default (80% of RAM) so that a 40M-row check stays under 2 GiB of RSS
#: and spills to the store's temp directory beyond that.
WORK_MEMORY_LIMIT_BYTES = 1536 * 1024**2


def default_db_path() -> Path:
    """``$QUORUM_DB`` when set, else ``data/quorum.duckdb`` under the working directory."""
    return Path(os.environ.get("QUORUM_DB") or DEFAULT_DB)


def _records_ddl() -> list[str]:
    # No PRIMARY KEY / UNIQUE constraints: on the big tables they made loading 9.5x slower for no query gain.
    # Key uniqueness is enforced by the importer's validation instead.
    statements = []
    for name in TABLE_ORDER:
        cols = ",\n  ".join(f"{c.name} {c.sql_type}" for c in TABLES[name].columns)
        statements.append(f"CREATE TABLE IF NOT EXISTS {name} (\n  {cols}\n)")
    return statements


_SYSTEM_DDL = [
    "CREATE TABLE IF NOT EXISTS quorum_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    # Which optional tables were ever imported: a rule needing one that never was is skipped, not passed.
    """CREATE TABLE IF NOT EXISTS recorded_tables (
        table_name VARCHAR PRIMARY KEY,
        first_imported_at TIMESTAMP,
        last_imported_at TIMESTAMP,
        source VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS check_runs (
        run_id VARCHAR PRIMARY KEY,
        as_of DATE,
        default_rulebook VARCHAR,
        rulebooks VARCHAR,        -- JSON: org rulebooks in use
        overrides VARCHAR,        -- JSON: --set / --enable / --disable
        started_at TIMESTAMP,
        finished_at TIMESTAMP,
        findings INTEGER,
        violations INTEGER,
        warnings INTEGER,
        data_quality INTEGER,
        skipped VARCHAR           -- JSON: rule_id -> reason
    )""",
    # A run's findings are stored without what all the findings of one rule under one rulebook share (the rule's
    # names and the citation: half of a finding's text at 2.7M findings), which run_rule_texts holds once per run,
    # rule and rulebook; the `findings` view (FINDINGS_SELECT) joins them back, so readers see whole findings.
    """CREATE TABLE IF NOT EXISTS finding_rows (
        run_id VARCHAR,
        rule_id VARCHAR,
        severity VARCHAR,
        org_id VARCHAR,
        subject_key VARCHAR,
        org_name VARCHAR,
        member_id VARCHAR,
        meeting_id VARCHAR,
        item_id VARCHAR,
        rect_id VARCHAR,
        period VARCHAR,
        text_no INTEGER,          -- the run_rule_texts row of the finding's rule and rulebook
        message_zh VARCHAR,       -- without the citation, which the view appends
        message_en VARCHAR,
        evidence VARCHAR          -- JSON: the numbers behind the finding
    )""",
    """CREATE TABLE IF NOT EXISTS run_rule_texts (
        run_id VARCHAR,
        rule_id VARCHAR,
        text_no INTEGER,
        rule_name_zh VARCHAR,
        rule_name_en VARCHAR,
        citation_zh VARCHAR
    )""",
    # Inspectors' marks outlive check runs: keyed by what the finding is about, not by run.
    """CREATE TABLE IF NOT EXISTS finding_marks (
        rule_id VARCHAR,
        subject_key VARCHAR,
        mark VARCHAR,             -- confirmed | dismissed
        reason VARCHAR,
        marked_by VARCHAR,
        marked_at TIMESTAMP,
        PRIMARY KEY (rule_id, subject_key)
    )""",
]

#: The findings as readers see them (the ``findings`` view): a row of ``{rows}`` with its rule's names and citation
#: from ``{texts}``, the citation appended to the Chinese message as an inspector reads it aloud. The engine uses the
#: same SELECT for a check that is not saved.
FINDINGS_SELECT = """
SELECT f.run_id, f.rule_id, f.severity, f.org_id, f.subject_key, f.org_name, f.member_id, f.meeting_id, f.item_id,
       f.rect_id, f.period, t.rule_name_zh, t.rule_name_en,
       f.message_zh || CASE WHEN t.citation_zh <> '' THEN '（' || t.citation_zh || '）' ELSE '' END AS message_zh,
       f.message_en, t.citation_zh, f.evidence
FROM {rows} f
JOIN {texts} t ON t.run_id = f.run_id AND t.rule_id = f.rule_id AND t.text_no = f.text_no
"""

#: Views over the tables, created after the migrations (a view may take the name of a table a migration drops).
_VIEWS_DDL = [
    f"CREATE VIEW IF NOT EXISTS findings AS {FINDINGS_SELECT.format(rows='finding_rows', texts='run_rule_texts')}",
]


def _split_findings(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: the ``findings`` table becomes ``finding_rows`` + ``run_rule_texts`` behind a ``findings`` view.

    Version 1 stored every finding whole, its citation twice (in ``citation_zh`` and at the end of ``message_zh``).
    Each run's distinct (rule, citation) pairs become its texts, and each message loses the ``（citation）`` the
    view appends again, so every finding reads back exactly as it was stored."""
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'findings' AND table_schema = 'main'"
    ).fetchall()
    if kind != [("BASE TABLE",)]:
        return
    con.execute(
        """INSERT INTO run_rule_texts
           SELECT run_id, rule_id,
                  CAST(row_number() OVER (PARTITION BY run_id, rule_id ORDER BY citation_zh) AS INTEGER),
                  rule_name_zh, rule_name_en, citation_zh
           FROM (
               SELECT run_id, rule_id, coalesce(citation_zh, '') AS citation_zh,
                      any_value(rule_name_zh) AS rule_name_zh, any_value(rule_name_en) AS rule_name_en
               FROM findings GROUP BY ALL
           )"""
    )
    con.execute(
        """INSERT INTO finding_rows
           SELECT f.run_id, f.rule_id, f.severity, f.org_id, f.subject_key, f.org_name, f.member_id, f.meeting_id,
                  f.item_id, f.rect_id, f.period, t.text_no,
                  CASE WHEN t.citation_zh <> '' AND suffix(f.message_zh, '（' || t.citation_zh || '）')
                       THEN left(f.message_zh, length(f.message_zh) - length(t.citation_zh) - 2)
                       ELSE f.message_zh END,
                  f.message_en, f.evidence
           FROM findings f
           JOIN run_rule_texts t
             ON t.run_id = f.run_id AND t.rule_id = f.rule_id AND t.citation_zh = coalesce(f.citation_zh, '')"""
    )
    con.execute("DROP TABLE findings")


#: Migrations from version N-1 to N, applied in order to stores made by older versions.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {2: _split_findings}


class Store:
    """An open Quorum store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path

    # -- reading -------------------------------------------------------------------------------------------
    def sql(self, query: str, params: Mapping[str, Any] | list[Any] | None = None) -> pl.DataFrame:
        """Run a query (named ``$param`` parameters) on a fresh cursor and return the result as Polars."""
        cur = self.con.cursor()
        try:
            # duckdb 2.0: .pl() lives on relations, not on the connection execute() returns
            return cur.sql(query, params=params).pl()
        finally:
            cur.close()

    def execute(self, query: str, params: Mapping[str, Any] | list[Any] | None = None) -> None:
        """Run a statement. One that writes a records table (a tool's or a test's fix-up) marks the records changed,
        so that the facts kept from them (:mod:`analytics.facts`) are rebuilt before the next check."""
        self.con.execute(query, params)
        if (target := _WRITE.match(query)) and target[1].lower() in TABLES:
            self.records_changed([target[1].lower()])

    def table(self, name: str) -> pl.DataFrame:
        """A whole records table as a Polars frame (small tables; query the big ones with :meth:`sql`)."""
        if name not in TABLES and name not in {"check_runs", "findings", "finding_marks", "recorded_tables"}:
            raise KeyError(name)
        return self.sql(f"SELECT * FROM {name}")  # name checked against the schema above

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (a Streamlit session, say): DuckDB connections are not shared across threads."""
        return self.con.cursor()

    def row_counts(self) -> dict[str, int]:
        # One query, fully fetched: duckdb 2.0 refuses con.register() while an earlier result is unread.
        union = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM {name}" for name in TABLE_ORDER)
        return dict(self.con.execute(union).fetchall())

    def recorded_tables(self) -> set[str]:
        """Tables that were imported at least once (required ones count as recorded once any import ran)."""
        rows = self.con.execute("SELECT table_name FROM recorded_tables").fetchall()
        return {r[0] for r in rows}

    def is_empty(self) -> bool:
        return not self.recorded_tables()

    # -- writing -------------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: the store is never left half-written."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    @contextmanager
    def bulk_work(self, memory_limit_bytes: int, con: duckdb.DuckDBPyConnection | None = None) -> Iterator[None]:
        """DuckDB's settings for a block that builds big tables (a check, the record facts), put back after.

        The buffer pool is capped (:meth:`memory_capped`) so that the block stays within a known RSS and spills to
        the store's temp directory beyond it. Insertion order is not kept: every reader of what such a block writes
        sorts, and without it DuckDB runs CREATE TABLE AS and big inserts on all threads and holds fewer rows back.
        """
        con = con or self.con
        (order,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0]
        with self.memory_capped(memory_limit_bytes):
            con.execute("SET preserve_insertion_order = false")
            try:
                yield
            finally:
                con.execute(f"SET preserve_insertion_order = {'true' if order else 'false'}")

    @contextmanager
    def memory_capped(self, limit_bytes: int) -> Iterator[None]:
        """Lower DuckDB's memory limit (its buffer pool: hash tables, sorts, temp tables; beyond it DuckDB spills to
        its temp directory) to ``limit_bytes`` for the block, and put it back after. DuckDB's default is 80 % of the
        machine's RAM, which a big import or check would otherwise take. The setting is the database's, not a
        cursor's; a limit already lower, set by the caller, is left alone."""
        (current,) = self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0]
        if _size_bytes(current) <= limit_bytes:
            yield
            return
        self.con.execute(f"SET memory_limit = '{int(limit_bytes)}B'")
        try:
            yield
        finally:
            # The setting reads back rounded down to one decimal ('18.8 GiB' for 18.84): reset to the default when
            # that is what it was; otherwise set back half a last digit more, which reads back as before, so that
            # repeated capping does not wear the limit down.
            self.con.execute("RESET memory_limit")
            if self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] != current:
                match = re.fullmatch(r"([\d.]+) (\w+)", current.strip())
                self.con.execute(
                    "SET memory_limit = $v", {"v": f"{float(match[1]) + 0.05}{match[2]}" if match else current}
                )

    def mark_recorded(self, tables: list[str] | set[str], source: str) -> None:
        """Record that these tables were imported (call inside the import's transaction)."""
        for name in sorted(tables):
            self.con.execute(
                """INSERT INTO recorded_tables VALUES ($t, now(), now(), $s)
                   ON CONFLICT (table_name) DO UPDATE SET last_imported_at = now(), source = $s""",
                {"t": name, "s": source},
            )
        self.records_changed(tables)

    def table_versions(self, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, int]:
        """Each records table's change counter (:meth:`records_changed`); 0 for a table not written since."""
        rows = (
            (con or self.con)
            .execute("SELECT key, value FROM quorum_meta WHERE key LIKE 'records_version.%'")
            .fetchall()
        )
        written = {key.partition(".")[2]: int(value) for key, value in rows}
        return {name: written.get(name, 0) for name in TABLE_ORDER}

    def records_changed(self, tables: Iterable[str]) -> None:
        """Say that these records tables were written: moves on their change counters. The import
        calls it (through :meth:`mark_recorded`), and so does :meth:`execute`; code that writes records through
        ``store.con`` directly must call it too. Derived tables (the record facts) compare the counters of the
        tables they are built from, so an import of reports leaves the meeting facts current."""
        for table in sorted(set(tables)):
            self.con.execute(
                """INSERT INTO quorum_meta VALUES ($k, '1')
                   ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)""",
                {"k": f"records_version.{table}"},
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema --------------------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        rows = self.con.execute("SELECT value FROM quorum_meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else 0

    def _ensure_schema(self) -> None:
        existing = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'quorum_meta'"
        ).fetchall()[0][0]
        with self.transaction() as con:
            for stmt in _SYSTEM_DDL:
                con.execute(stmt)
            version = self.schema_version if existing else SCHEMA_VERSION
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](con)
            for stmt in [*_records_ddl(), *_VIEWS_DDL]:
                con.execute(stmt)
            con.execute(
                """INSERT INTO quorum_meta VALUES ('schema_version', $v)
                   ON CONFLICT (key) DO UPDATE SET value = $v""",
                {"v": str(SCHEMA_VERSION)},
            )


#: The table a writing statement names (INSERT INTO t, UPDATE t, DELETE FROM t, COPY t FROM, TRUNCATE t).
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s+(\w+)", re.I
)


def _size_bytes(setting: str) -> float:
    """DuckDB's rendering of a size ('18.8 GiB', '512.0 MiB', '4.0 GB', '0 bytes') in bytes; unknown spellings
    count as no limit."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]i?B|bytes)\s*", setting)
    if not match:
        return float("inf")
    number, unit = float(match[1]), match[2]
    if unit == "bytes":
        return number
    return number * (1024 if "i" in unit else 1000) ** "_KMGT".index(unit[0])


def open_store(path: str | Path | None = None, *, read_only: bool = False, memory: bool = False) -> Store:
    """Open (creating and upgrading as needed) the store at ``path`` (default :func:`default_db_path`).

    ``memory=True`` gives a throw-away in-memory store, for tests and what-if runs.
    """
    if memory:
        store = Store(duckdb.connect(":memory:"), None)
    else:
        db = Path(path) if path is not None else default_db_path()
        if not read_only:
            db.parent.mkdir(parents=True, exist_ok=True)
        store = Store(duckdb.connect(str(db), read_only=read_only), db)
    if not read_only:
        store._ensure_schema()
    return store
