"""``simulate``: a county's (or a city's) Party-group records with known violations, and the truth about them.

The organisation plan is drawn once; then organisations are processed in fixed chunks of :data:`CHUNK_ORGS`, each
with its own seeded generator: build the compliant world (:mod:`simulations.generator`), inject violations
(:mod:`simulations.violations`), judge the final records (:mod:`simulations.truth`) and append the tables to the
output files (:mod:`simulations.writer`). Organisations never share records, so memory stays bounded by one chunk
however large the world, and the output depends only on the parameters and the seed, never on the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

import numpy as np
import polars as pl
import pyarrow as pa

from analytics.schema import TABLE_ORDER
from simulations.generator import generate
from simulations.ids import with_ids
from simulations.organisations import Period, name_pool, plan_organisations, rulebook_of
from simulations.truth import Rulebook, judge, load_rulebooks
from simulations.violations import inject
from simulations.writer import Tables, WorldWriter

if TYPE_CHECKING:
    from simulations.worker import Pool

SIMULATOR_VERSION = 4  # 2: names drawn from Faker's lists directly; Parquet without statistics. 3: chunks of 192.
# 4: Parquet compressed with snappy instead of zstd (the same rows).
CHUNK_ORGS = 192  # fixed: chunking decides the random streams, so it must not depend on the machine
PARALLEL_FROM_CHUNKS = 2  # a worker takes about a second to start; a chunk of 192 organisations takes two
#: Worker processes at most, besides the calling one: each holds a chunk (~230 MiB at peak) beside its libraries.
MAX_WORKERS = 1
TRUTH_FILE = "truth.csv"
META_FILE = "meta.json"


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate` wrote."""

    out_dir: Path
    fmt: str
    seed: int
    as_of: dt.date
    row_counts: dict[str, int]
    truth_rows: int
    paths: dict[str, Path] = field(repr=False)
    truth_path: Path = field(repr=False)
    meta_path: Path = field(repr=False)


def _date(day_number: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day_number))


def _check(orgs: int, years: int, seed: int, start_year: int, fmt: str, violation_rate: float) -> None:
    if not isinstance(orgs, int) or orgs < 1:
        raise ValueError(f"组织数量应为正整数，实为 {orgs!r} / orgs must be at least 1, got {orgs!r}")
    if not isinstance(years, int) or years < 1:
        raise ValueError(f"年数应为正整数，实为 {years!r} / years must be at least 1, got {years!r}")
    if not 0 <= violation_rate <= 1:
        raise ValueError(
            f"违规注入比例应在 0 到 1 之间，实为 {violation_rate!r} / violation_rate must be in [0, 1], got "
            f"{violation_rate!r}"
        )
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"格式应为 parquet 或 csv，实为 {fmt!r} / fmt must be parquet or csv, got {fmt!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"随机种子应为非负整数，实为 {seed!r} / seed must be a non-negative integer, got {seed!r}")
    if not 1971 <= start_year <= 9000 - years:
        raise ValueError(f"起始年份不合理：{start_year!r} / start_year out of range: {start_year!r}")


class TruthWriter:
    """``truth.csv`` sorted by (rule_id, subject_key) without holding the whole truth in memory.

    Every subject key starts with its organisation's id (fixed width), and chunks come in organisation order, so
    each rule's findings arrive already in key order, chunk after chunk: they are appended to one part file per
    rule, and the parts are joined in rule order at the end.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts_dir = path.parent / f".{path.name}.parts"
        shutil.rmtree(self.parts_dir, ignore_errors=True)
        self.parts_dir.mkdir()
        self.counts: dict[str, int] = {}
        self.parts: dict[str, BinaryIO] = {}

    def add(self, findings: pl.DataFrame) -> None:
        """Append a chunk's findings (sorted by rule, then key). Subject keys hold no comma, quote or line break,
        so a CSV line is the rule, a comma and the key."""
        grouped = findings.group_by("rule_id", maintain_order=True).agg("subject_key")
        for rule, keys in zip(grouped["rule_id"].to_list(), grouped["subject_key"].to_list(), strict=True):
            if rule not in self.parts:
                self.parts[rule] = (self.parts_dir / f"{rule}.csv").open("wb")
            prefix = f"{rule},"
            self.parts[rule].write((prefix + f"\n{prefix}".join(keys) + "\n").encode())
            self.counts[rule] = self.counts.get(rule, 0) + len(keys)

    def close(self) -> dict[str, int]:
        """Join the parts into the truth file; the number of findings by rule."""
        for part in self.parts.values():
            part.close()
        with self.path.open("wb") as out:
            out.write(b"rule_id,subject_key\n")
            for rule in sorted(self.counts):
                with (self.parts_dir / f"{rule}.csv").open("rb") as part:
                    shutil.copyfileobj(part, out)
        shutil.rmtree(self.parts_dir, ignore_errors=True)
        return dict(sorted(self.counts.items()))


def simulate_chunk(
    plan: pl.DataFrame,
    period: Period,
    seed: int,
    chunk: int,
    rate: float,
    names: np.ndarray,
    books: dict[str, Rulebook],
) -> tuple[dict[str, pa.Table], pl.DataFrame]:
    """One chunk of organisations, start to finish: its tables in the contract's shape and its truth."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, chunk)))
    world = generate(plan.slice(chunk * CHUNK_ORGS, CHUNK_ORGS), period, rng, len(names))
    world = inject(world, rng, rate, period)
    ids = with_ids(world)
    return Tables(world, names, ids).all(), judge(world, period.as_of, books, ids)


def _workers(n_chunks: int) -> int:
    """Worker processes besides this one: none for small worlds (starting one costs more than a chunk)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cpus - 1, MAX_WORKERS) if n_chunks >= PARALLEL_FROM_CHUNKS else 0


def _start_pool(n_chunks: int) -> Pool | None:
    """Worker processes for a world of ``n_chunks`` chunks, or None when it is better made here alone."""
    workers = _workers(n_chunks)
    if not workers:
        return None
    from simulations.worker import Pool  # not at import time: ``python -m simulations.worker`` imports this module

    return Pool(workers)


def _chunks(
    plan: pl.DataFrame, period: Period, seed: int, rate: float, names: np.ndarray, pool: Pool | None
) -> Iterator[tuple[dict[str, pa.Table], pl.DataFrame]]:
    """Every chunk's tables and truth, in chunk order (shared with the pool's processes, if any)."""
    n_chunks = -(-plan.height // CHUNK_ORGS)
    books = load_rulebooks()

    def local(chunk: int) -> tuple[dict[str, pa.Table], pl.DataFrame]:
        return simulate_chunk(plan, period, seed, chunk, rate, names, books)

    if pool is None:
        yield from (local(chunk) for chunk in range(n_chunks))
        return
    pool.setup(plan, period, seed, rate, names)
    yield from pool.run(n_chunks, local)


def simulate(
    out_dir: Path,
    *,
    orgs: int,
    years: int,
    seed: int,
    start_year: int = 2023,
    fmt: Literal["parquet", "csv"] = "parquet",
    violation_rate: float = 0.05,
) -> SimulationResult:
    """Write a simulated world to ``out_dir``: one file per table, ``truth.csv`` and ``meta.json``.

    ``orgs`` organisations over ``years`` calendar years from ``start_year``; every rule's violations injected with
    probability ``violation_rate`` per candidate. The truth is what the rule engine must report when run at
    ``as_of``, the day after the last simulated year. Same arguments, same bytes.
    """
    _check(orgs, years, seed, start_year, fmt, violation_rate)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    other = "csv" if fmt == "parquet" else "parquet"
    for name in TABLE_ORDER:  # a stale table in the other format would be read beside the new one
        (out_dir / f"{name}.{other}").unlink(missing_ok=True)

    pool = _start_pool(-(-orgs // CHUNK_ORGS))
    try:
        period = Period(start_year, years)
        plan = plan_organisations(orgs, period, np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,))))
        names = name_pool(seed)
        writer = WorldWriter(out_dir, fmt)
        truth = TruthWriter(out_dir / TRUTH_FILE)
        try:
            for tables, findings in _chunks(plan, period, seed, violation_rate, names, pool):
                writer.write_tables(tables)
                truth.add(findings)
                del tables, findings  # not held while the next chunk is computed
        finally:
            counts = writer.close()
            by_rule = truth.close()
    finally:
        if pool is not None:
            pool.close()
    truth_rows = sum(by_rule.values())
    meta = {
        "simulator_version": SIMULATOR_VERSION,
        "seed": seed,
        "parameters": {
            "orgs": orgs,
            "years": years,
            "start_year": start_year,
            "format": fmt,
            "violation_rate": violation_rate,
        },
        "period": {"first_day": _date(period.first_day).isoformat(), "last_day": _date(period.as_of - 1).isoformat()},
        "as_of": _date(period.as_of).isoformat(),
        "rulebooks": {org_id: rulebook_of(book) for org_id, book in zip(plan["org_id"], plan["rulebook"], strict=True)},
        "row_counts": counts,
        "truth": {"rows": truth_rows, "by_rule": by_rule},
    }
    meta_path = out_dir / META_FILE
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return SimulationResult(
        out_dir=out_dir,
        fmt=fmt,
        seed=seed,
        as_of=_date(period.as_of),
        row_counts=counts,
        truth_rows=truth_rows,
        paths=writer.paths,
        truth_path=truth.path,
        meta_path=meta_path,
    )
