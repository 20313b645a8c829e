"""The demo store: a simulated county of a dozen Party groups over 2023–2025, imported and checked.

The world is fixed (seed, size, period), so every demo store holds the same records. It covers three whole years
and is checked as of 2026-01-01, the day after them: every month and year is then complete and judged, and the
dashboard (which opens on the latest check's as_of) shows a full picture instead of the empty months a check as
of today would find in 2026. Twelve organisations give every rulebook at least one organisation, one organisation
established during the period and one dissolved in it. The store is marked as a demo (``quorum_meta`` key
``demo``), and only a store so marked, or one without records, is ever replaced.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from simulations.simulator import simulate

DEMO_SEED = 20260101
DEMO_ORGS = 12
DEMO_YEARS = 3
DEMO_START_YEAR = 2023
DEMO_VIOLATION_RATE = 0.04


def _replaceable(db: Path) -> bool:
    """A store file may be replaced when it is a demo store or holds no records."""
    from analytics.store import open_store

    with open_store(db, read_only=True) as store:
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "quorum_meta" in tables:
            row = store.con.execute("SELECT value FROM quorum_meta WHERE key = 'demo'").fetchone()
            if row is not None:
                return True
        return "recorded_tables" not in tables or store.is_empty()


def build_demo(db: Path | None = None) -> Path:
    """Build the demo store at ``db`` (default: the configured store path), replacing an earlier demo store.

    Simulates the demo world into a temporary folder, imports it and runs a check as of the day after the period.
    Raises ``ValueError`` rather than overwrite a store that holds other (real) records.
    """
    # Imported here: the simulator itself needs neither DuckDB nor the engine (worker processes stay small).
    from analytics.engine import run_check
    from analytics.importer import import_path
    from analytics.store import default_db_path, open_store

    path = Path(db) if db is not None else default_db_path()
    if path.exists():
        if not _replaceable(path):
            raise ValueError(
                f"{path} 已有非演示数据，未覆盖；请用 --db 指定其他文件 / "
                f"{path} holds records that are not the demo's; not replaced (choose another file with --db)"
            )
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="quorum-demo-") as tmp:
        result = simulate(
            Path(tmp),
            orgs=DEMO_ORGS,
            years=DEMO_YEARS,
            seed=DEMO_SEED,
            start_year=DEMO_START_YEAR,
            fmt="parquet",
            violation_rate=DEMO_VIOLATION_RATE,
        )
        meta = json.loads(result.meta_path.read_text(encoding="utf-8"))
        with open_store(path) as store:
            import_path(store, tmp)
            store.execute(
                "INSERT INTO quorum_meta VALUES ('demo', $v) ON CONFLICT (key) DO UPDATE SET value = $v",
                {"v": json.dumps(meta, ensure_ascii=False, sort_keys=True)},
            )
            run_check(store, as_of=result.as_of)
    return path
