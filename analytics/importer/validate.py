"""The checks an import must pass, as set-based SQL over the staged relations.

Checks are cheap when the input is clean, which is the common case: all row-level checks of a table are counted in
one scan, references and the roster in one join, key uniqueness in one GROUP BY ... HAVING count(*) > 1. Only a check
that found something runs again to fetch its rows (at most the cap, in row order) and its exact count.

References are checked against the rows being imported and the rows already in the store (a later import may bring a
single table): the "effective" version of a table is its staged rows plus the stored rows whose keys it does not
replace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from analytics.importer.errors import (
    CAP_PER_FILE,
    Problem,
    expected_after,
    expected_for_type,
    expected_on_roster,
    expected_reference,
    expected_required,
    expected_rulebook,
    expected_unique,
)
from analytics.importer.stage import PREFIX, Staged, lit, q
from analytics.rulebooks import installed_rulebook_ids
from analytics.schema import TABLE_ORDER, TABLES

Expected = Callable[[tuple], tuple[str, str]]

#: (table, later date, earlier date, zh name of the earlier, en name of the earlier): "later must be after earlier".
_ORDERED_DATES = (
    ("members", "left_on", "joined_on", "任职日期", "joined_on"),
    ("organizations", "dissolved_on", "established_on", "成立日期", "established_on"),
)


@dataclass
class Check:
    """One kind of problem in one staged table: a condition over ``FROM``, and how to tell the user."""

    staged: Staged
    kind: str
    column: str | None  # contract column the problem is reported under
    condition: str
    value_sql: str
    expected: Expected
    extras: tuple[str, ...] = ()  # more SQL values handed to ``expected``
    from_sql: str = ""  # default: the staged relation as ``s``


def _fixed(texts: tuple[str, str]) -> Expected:
    return lambda _extras: texts


def _fmt(value: object) -> str:
    return "" if value is None else str(value)


class Validator:
    """Runs every check over the staged tables and collects the problems (capped per file, counted in full)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, staged: list[Staged], store_counts: dict[str, int]) -> None:
        self.con = con
        self.staged = {s.table: s for s in staged}
        self.store_counts = store_counts
        self.problems: list[Problem] = []
        self.total = 0
        self._views: list[str] = []
        self._from = ""  # the staged relation being checked, as ``s``

    # -- effective tables -------------------------------------------------------------------------------------
    def _effective(self, table: str) -> str:
        """A relation with the table as it will be after the import (its contract columns)."""
        name = f"{PREFIX}eff_{table}"
        if name in self._views:
            return name
        t = TABLES[table]
        cols = ", ".join(q(c) for c in t.column_names)
        s = self.staged.get(table)
        if s is None:
            body = f"SELECT {cols} FROM {table}"
        else:
            body = f"SELECT {cols} FROM {s.relation} WHERE NOT __blank"
            if self.store_counts.get(table, 0):
                match = " AND ".join(f"n.{q(k)} = o.{q(k)}" for k in t.key)
                body += (
                    f" UNION ALL SELECT {cols} FROM {table} o "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {s.relation} n WHERE {match})"
                )
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {body}")
        self._views.append(name)
        return name

    def drop_views(self) -> None:
        for name in self._views:
            self.con.execute(f"DROP VIEW IF EXISTS {name}")
        self._views.clear()

    # -- building the checks ------------------------------------------------------------------------------
    def _row_checks(self, s: Staged) -> list[Check]:
        t = TABLES[s.table]
        checks: list[Check] = []
        for name, sc in s.columns.items():
            col = t.column(name)
            raw, val = q(name + "__raw"), q(name)
            if col.required:
                checks.append(
                    Check(s, "missing_value", name, f"NOT __blank AND {raw} IS NULL", raw, _fixed(expected_required()))
                )
            if sc.can_fail:
                kind = {"enum": "unknown_enum", "date": "bad_date"}.get(col.type, f"bad_{col.type}")
                checks.append(
                    Check(s, kind, name, f"{raw} IS NOT NULL AND {val} IS NULL", raw, _fixed(expected_for_type(col)))
                )
            if col.min_value is not None:
                checks.append(
                    Check(s, "out_of_range", name, f"{val} < {col.min_value}", raw, _fixed(expected_for_type(col)))
                )
        for table, later, earlier, earlier_zh, earlier_en in _ORDERED_DATES:
            if s.table == table and later in s.columns and earlier in s.columns:
                checks.append(
                    Check(
                        s,
                        "date_order",
                        later,
                        f"{q(later)} <= {q(earlier)}",
                        q(later + "__raw"),
                        lambda x, zh=earlier_zh, en=earlier_en: expected_after(zh, en, _fmt(x[0])),
                        extras=(f"CAST({q(earlier)} AS VARCHAR)",),
                    )
                )
        if s.table == "organizations" and "rulebook" in s.columns:
            installed = installed_rulebook_ids()
            listed = ", ".join(lit(r) for r in installed) or "NULL"
            checks.append(
                Check(
                    s,
                    "unknown_rulebook",
                    "rulebook",
                    f"rulebook IS NOT NULL AND rulebook NOT IN ({listed})",
                    q("rulebook__raw"),
                    _fixed(expected_rulebook(installed)),
                )
            )
        return checks

    def _join_checks(self, s: Staged) -> list[Check]:
        """References (dangling) and, for attendance, the roster — all over one FROM with a LEFT JOIN per reference."""
        t = TABLES[s.table]
        joins: list[str] = []
        aliases: dict[str, str] = {}
        checks: list[Check] = []
        for i, col in enumerate(c for c in t.columns if c.ref and c.name in s.columns):
            assert col.ref is not None
            parent, key = col.ref.split(".")
            alias = f"r{i}"
            aliases[col.name] = alias
            joins.append(f"LEFT JOIN {self._effective(parent)} {alias} ON {alias}.{q(key)} = s.{q(col.name)}")
            checks.append(
                Check(
                    s,
                    "dangling_reference",
                    col.name,
                    f"s.{q(col.name)} IS NOT NULL AND {alias}.{q(key)} IS NULL",
                    f"s.{q(col.name + '__raw')}",
                    _fixed(expected_reference(col)),
                )
            )
        if not joins:
            return []
        from_sql = f"{s.relation} s " + " ".join(joins)
        if s.table == "attendance" and {"meeting_id", "member_id"} <= aliases.keys():
            m, p = aliases["meeting_id"], aliases["member_id"]
            # On the roster: same organisation, joined on or before the meeting day, not yet left (records.md).
            # NULL dates (already reported as bad dates) make the condition NULL, so they are not reported twice.
            checks.append(
                Check(
                    s,
                    "not_on_roster",
                    "member_id",
                    f"{m}.meeting_id IS NOT NULL AND {p}.member_id IS NOT NULL AND NOT ("
                    f"{p}.org_id = {m}.org_id AND {p}.joined_on <= {m}.held_on "
                    f"AND ({p}.left_on IS NULL OR {p}.left_on > {m}.held_on))",
                    "s.member_id__raw",
                    lambda x: expected_on_roster(*(_fmt(v) for v in x[:4]), x[4] and str(x[4])),
                    extras=(
                        f"{m}.org_id",
                        f"CAST({m}.held_on AS VARCHAR)",
                        f"{p}.org_id",
                        f"CAST({p}.joined_on AS VARCHAR)",
                        f"CAST({p}.left_on AS VARCHAR)",
                    ),
                )
            )
        for c in checks:
            c.from_sql = from_sql
        return checks

    # -- running ------------------------------------------------------------------------------------------------
    def _run(self, checks: list[Check], extra: tuple[str, ...] = ()) -> tuple:
        """Count every check of one FROM in a single scan, then fetch the rows of those that found something.
        ``extra`` aggregates ride along in the same scan; their values are returned."""
        if not checks and not extra:
            return ()
        from_sql = checks[0].from_sql if checks and checks[0].from_sql else ""
        aggregates = [f"count_if({c.condition})" for c in checks] + list(extra)
        counts = self.con.execute(f"SELECT {', '.join(aggregates)} FROM {from_sql or self._from}").fetchall()[0]
        for check, count in zip(checks, counts, strict=False):
            if count:
                self._fetch(check, from_sql or self._from)
        return tuple(counts[len(checks) :])

    def _fetch(self, c: Check, from_sql: str) -> None:
        s = c.staged
        cols = ", ".join(["s.__row", f"CAST({c.value_sql} AS VARCHAR)", *c.extras])
        # DISTINCT: a parent repeated in its own file (a duplicate key, reported on its own) must not repeat a row.
        rows = self.con.execute(
            f"SELECT *, count(*) OVER () FROM (SELECT DISTINCT {cols} FROM {from_sql} WHERE {c.condition}) "
            f"ORDER BY 1 LIMIT {CAP_PER_FILE}"
        ).fetchall()
        if not rows:
            return
        self.total += rows[0][-1]
        header = s.header(c.column) if c.column else None
        for row in rows:
            zh, en = c.expected(tuple(row[2:-1]))
            self.problems.append(Problem(s.source.label, int(row[0]), header, row[1], zh, en, c.kind))

    @staticmethod
    def _key_filter(s: Staged) -> str | None:
        key = TABLES[s.table].key
        if not set(key) <= s.columns.keys():
            return None  # a missing key column is already reported
        return "NOT __blank AND " + " AND ".join(f"{q(k)} IS NOT NULL" for k in key)

    def _maybe_duplicates(self, s: Staged) -> str | None:
        """An aggregate that is 0 when every key is distinct, counted in the same scan as the row checks; a
        positive value sends the exact GROUP BY in :meth:`_duplicates`, which finds the rows. A single-column key
        is counted exactly (``count(DISTINCT key)``): DuckDB's string hash collides on ids like ``ORG-1180-A00079``
        (2,361 colliding pairs among 1.4M activity ids), which would send every clean import through the exact
        GROUP BY. A composite key is counted by its hash, cheaper than a DISTINCT over the columns (40M keys) and
        exact when it says 0."""
        where = self._key_filter(s)
        if where is None:
            return None
        key = TABLES[s.table].key
        keys = q(key[0]) if len(key) == 1 else f"hash({', '.join(q(k) for k in key)})"
        return f"count(*) FILTER (WHERE {where}) - count(DISTINCT {keys}) FILTER (WHERE {where})"

    def _duplicates(self, s: Staged) -> None:
        key = TABLES[s.table].key
        where = self._key_filter(s)
        assert where is not None
        keys = ", ".join(q(k) for k in key)
        value = " || ' / ' || ".join(f"CAST({q(k)} AS VARCHAR)" for k in key)
        rows = self.con.execute(
            f"""WITH d AS (SELECT {keys} FROM {s.relation} WHERE {where} GROUP BY ALL HAVING count(*) > 1),
                r AS (SELECT __row, {value} AS v, min(__row) OVER (PARTITION BY {keys}) AS first_row
                      FROM {s.relation} SEMI JOIN d USING ({keys}) WHERE {where})
                SELECT __row, v, first_row, count(*) OVER () FROM r WHERE __row > first_row
                ORDER BY __row LIMIT {CAP_PER_FILE}"""
        ).fetchall()
        if not rows:
            return  # distinct keys after all: two of them shared a hash
        self.total += rows[0][-1]
        header = " + ".join(s.header(k) for k in key)
        for row_no, v, first, _ in rows:
            zh, en = expected_unique(int(first))
            self.problems.append(Problem(s.source.label, int(row_no), header, v, zh, en, "duplicate_key"))

    def run(self, recorded: set[str]) -> None:
        """Every check over every staged table; ``recorded`` are the tables the store already holds."""
        for table in TABLE_ORDER:
            t = TABLES[table]
            # Required on the first import only: a later import may bring a single table.
            if t.required and table not in self.staged and table not in recorded and not self.store_counts.get(table):
                self.total += 1
                self.problems.append(
                    Problem(
                        f"{t.zh}（{table}）",
                        None,
                        None,
                        None,
                        f"首次导入必须包含「{t.zh}」表（文件 {t.zh}.csv / {table}.csv 或工作表“{t.zh}”）",
                        f"the {table} table (a file {table}.csv / {t.zh}.csv or a sheet {t.zh}): it is required "
                        "on the first import",
                        "missing_table",
                    )
                )
        for table in TABLE_ORDER:
            s = self.staged.get(table)
            if s is None or not s.reliable_rows:
                continue
            self._from = f"{s.relation} s"
            dup_probe = self._maybe_duplicates(s)
            (maybe_dups,) = self._run(self._row_checks(s), (dup_probe or "0",))
            if maybe_dups:
                self._duplicates(s)
            self._run(self._join_checks(s))
