"""The record facts: per meeting, item, vote and member-year, what the rules need, kept in the store.

``analytics/rules/facts.sql`` computes them from the records alone (nothing in them depends on a check's as_of,
rulebooks or settings), so they are built once per change of the records instead of once per check, and every
check (another as_of, another rulebook, a what-if threshold) reads a few million fact rows instead of re-joining 40
million attendance rows.

The import builds them, in a transaction of its own right after the records' one, when it wrote a table they are
built from. Why there: a check is what people wait for (the dashboard's what-if slider, an inspector's `quorum
check`) and an import is a batch job, and at 40 million attendance rows the facts take ~50 s, three times the check
itself. The import then stays within its own target (3x a bare load). A batch of imports can leave them to the end
(``facts=False``, ``quorum import --defer-facts``); a check that finds them stale (deferred, records written through
:meth:`Store.execute`, a store from an older version) builds them first. Stale or not is decided by a signature:
the facts' version, and the change counter (:meth:`Store.records_changed`) and row count of each table they are
built from.
"""

from __future__ import annotations

import json
import time

import duckdb

from analytics.rules import FACTS_SQL, sql_statements, statement_label
from analytics.store import WORK_MEMORY_LIMIT_BYTES, Store

#: Bump when facts.sql changes what it computes: stores built by an older version rebuild their facts.
FACTS_VERSION = 4

#: The persisted tables facts.sql creates.
FACT_TABLES = (
    "fact_meeting",
    "fact_emergency",
    "fact_absence",
    "fact_study_hours",
    "fact_unrecorded",
    "fact_vote",
    "fact_item",
)

#: The records they are computed from.
SOURCES = ("members", "meetings", "attendance", "agenda_items", "votes", "recusals")


def signature(store: Store, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """What the facts were built from: their version, and the change counter and row count of each source table."""
    con = con or store.con
    counts = con.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in SOURCES)).fetchall()[0]
    versions = store.table_versions(con)
    return json.dumps([FACTS_VERSION, [versions[t] for t in SOURCES], list(counts)])


def _stored_signature(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT value FROM quorum_meta WHERE key = 'facts_signature'").fetchall()
    return rows[0][0] if rows else None


def _tables_present(con: duckdb.DuckDBPyConnection) -> bool:
    (n,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name IN $names",
        {"names": list(FACT_TABLES)},
    ).fetchall()[0]
    return n == len(FACT_TABLES)


def current(store: Store, con: duckdb.DuckDBPyConnection | None = None) -> bool:
    """Whether the store's facts were built from its records as they are now."""
    con = con or store.con
    return _tables_present(con) and _stored_signature(con) == signature(store, con)


def build(store: Store, con: duckdb.DuckDBPyConnection | None = None, *, temporary: bool = False) -> dict[str, float]:
    """Build the facts on ``con`` (default: the store's connection) and return the seconds each statement took.

    Persisted (the default) they replace the store's fact tables and record their signature; call it inside a
    transaction (see :func:`ensure`). ``temporary`` builds them as temp tables private to ``con``, which shadow
    any stale persisted ones: the way a read-only store is checked.
    """
    con = con or store.con
    timings: dict[str, float] = {}
    kind = "TEMP TABLE" if temporary else "TABLE"
    for statement in sql_statements(FACTS_SQL):
        started = time.perf_counter()
        con.execute(statement.replace("{table}", kind))
        timings[statement_label(statement)] = time.perf_counter() - started
    if not temporary:
        con.execute(
            """INSERT INTO quorum_meta VALUES ('facts_signature', $s)
               ON CONFLICT (key) DO UPDATE SET value = $s""",
            {"s": signature(store, con)},
        )
    return timings


def ensure(store: Store, con: duckdb.DuckDBPyConnection | None = None) -> bool:
    """Make the facts current for work on ``con`` (default: the store's connection); returns whether they had to be
    built.

    A writable store rebuilds its persisted facts in a transaction of their own; a read-only one builds temporary
    facts for this cursor. Built under the check's memory cap, so that an import that builds them stays within the
    same RSS as a check.
    """
    con = con or store.con
    if current(store, con):
        return False
    (read_only,) = con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()[0]
    with store.bulk_work(WORK_MEMORY_LIMIT_BYTES, con):
        if read_only:
            build(store, con, temporary=True)
            return True
        con.execute("BEGIN TRANSACTION")
        try:
            build(store, con)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    return True
