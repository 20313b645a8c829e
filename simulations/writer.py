"""Writing a simulated world in the records format: one file per table, Parquet or CSV, byte-reproducible.

Chunks of organisations are appended to one writer per table. Columns are exactly those of
:data:`analytics.schema.TABLES`, in order. Parquet files use fixed compression and row groups, no Arrow schema in the
metadata (readers see plain strings and dates) and no timestamps, so the same seed writes the same bytes. Columns
that repeat a few values many times (the ids in ``attendance`` and ``votes``, every enumeration) are written from
dictionary arrays straight into Parquet's dictionary encoding, without building a Python string per row (only over
dictionaries of distinct values: one with repeats did not always encode to the same bytes).
CSV is UTF-8 with a header row, ISO dates, ``true``/``false`` and empty cells for nulls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.schema import ENUMS, TABLE_ORDER, TABLES
from simulations.codes import (
    DEMOCRATIC_LIFE,
    EMERGENCY_DECISION,
    OTHER_MEETING,
    PARTY_GROUP,
    SECRETARY_OFFICE,
    STUDY,
    month_index,
    year_of,
)
from simulations.ids import Ids, numbered_ids, with_ids
from simulations.phrases import EMERGENCY_TOPICS, ITEM_TITLES, RECTIFICATION_DESCRIPTIONS, RECUSAL_REASONS
from simulations.text import compose, lit, num, pick
from simulations.world import World

Format = Literal["parquet", "csv"]
ROW_GROUP = 1 << 20
#: Snappy: a third cheaper to write than zstd level 1 (the writer was a tenth of a chunk's time) and no slower for
#: DuckDB to read, for files about 1.6 times as large.
COMPRESSION = "snappy"

_ARROW: dict[str, pa.DataType] = {
    "text": pa.string(),
    "enum": pa.string(),
    "date": pa.date32(),
    "int": pa.int64(),
    "number": pa.float64(),
    "bool": pa.bool_(),
}


def _strings(values: list[str] | tuple[str, ...]) -> pa.StringArray:
    """A string array built from its buffers: ``pa.array`` imports pandas on first use (0.3 s a process)."""
    encoded = [v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.StringArray.from_buffers(len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)))


def _ints(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An int32 array (null where not ``valid``) from its buffers, without ``pa.array`` (see :func:`_strings`)."""
    data = np.ascontiguousarray(values, dtype=np.int32)
    if valid is None:
        return pa.Array.from_buffers(pa.int32(), len(data), [None, pa.py_buffer(data)])
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    nulls = len(data) - int(np.count_nonzero(valid))
    return pa.Array.from_buffers(pa.int32(), len(data), [bitmap, pa.py_buffer(data)], null_count=nulls)


_ENUM_VALUES: dict[str, pa.Array] = {name: _strings(e.codes) for name, e in ENUMS.items()}


def arrow_schema(table: str) -> pa.Schema:
    """The contract's columns of a table as an Arrow schema (every column nullable; required-ness is checked on
    import, not by the file)."""
    return pa.schema([pa.field(c.name, _ARROW[c.type]) for c in TABLES[table].columns])


def _compact(positions: np.ndarray, valid: np.ndarray | None, values: pa.Array) -> pa.DictionaryArray:
    """``values[positions]`` (null where not ``valid``) as a dictionary of the values actually used, in the
    dictionary's order: Parquet writes the whole dictionary into every row group, and a chunk's references use
    only a few of its meetings or items (recusals, a rectification's source meeting)."""
    positions = np.asarray(positions)  # any integer type indexes: no int64 copy of a whole column
    if valid is not None:
        positions = np.where(valid, positions, 0)
    used = np.zeros(len(values) + 1, dtype=bool)
    used[positions if valid is None else positions[valid]] = True
    if used[:-1].all():  # every value used (a meeting's or member's ids in attendance): positions index them as is
        return pa.DictionaryArray.from_arrays(_ints(positions, valid), values)
    remap = np.cumsum(used, dtype=np.int32) - 1
    idx = _ints(remap[positions], valid)
    kept = np.flatnonzero(used[:-1])
    return pa.DictionaryArray.from_arrays(idx, values.take(_ints(kept)))


def _dict(indices: pl.Series | np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    """A dictionary-encoded string column: ``values[indices]`` (null indices stay null)."""
    if isinstance(indices, pl.Series):
        valid = indices.is_not_null().to_numpy() if indices.null_count() else None
        return _compact(indices.fill_null(0).to_numpy(), valid, values)
    return _compact(np.asarray(indices), None, values)


def _flat_pool(pools: list[tuple[str, ...]]) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Several phrase pools as one dictionary: (values, offset of each pool, size of each pool)."""
    sizes = np.array([len(p) for p in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return _pool(tuple(t for p in pools for t in p)), offsets, sizes


def _date(series: pl.Series) -> pa.Array:
    return series.cast(pl.Int32).cast(pl.Date).to_arrow()


def _enum(series: pl.Series, enum: str) -> pa.DictionaryArray:
    return _dict(series.cast(pl.Int32), _ENUM_VALUES[enum])


def _pool(values: tuple[str, ...] | np.ndarray) -> pa.Array:
    return _strings(list(values))


def _sorted(frame: pl.DataFrame, *by: str) -> pl.DataFrame:
    """``frame`` sorted by its (unique) key columns: most tables come in key order already, and sorting a sorted
    frame still copies it."""
    if frame.height > 1 and all(frame[c].dtype.is_integer() and not frame[c].null_count() for c in by):
        key = frame[by[0]].to_numpy().astype(np.int64)
        for c in by[1:]:
            values = frame[c].to_numpy().astype(np.int64)
            if values.min() < 0 or values.max() >= 1 << 31 or key.min() < 0 or key.max() >= 1 << 31:
                return frame.sort(*by)
            key = (key << 32) | values
        if bool((key[1:] > key[:-1]).all()):
            return frame
    return frame.sort(*by)


def _ids_of(rows: pl.DataFrame, ids: pl.DataFrame, key: str) -> pl.DataFrame:
    """The id table's rows for ``rows`` (by ``key``), in the order of ``rows``: the id table itself when it is in
    that order already (it follows the table it names), a join otherwise."""
    if ids.height == rows.height and rows[key].equals(ids[key]):
        return ids
    return rows.select(key).join(ids, on=key, how="left", maintain_order="left")


class Tables:
    """Arrow tables of one chunk, in the contract's shape."""

    def __init__(self, world: World, names: np.ndarray, ids: Ids | None = None) -> None:
        self.w = world
        ids = ids or with_ids(world)
        self.names = _pool(names)
        orgs = world.orgs.select("org", "org_id")
        self.orgs = orgs
        # Local indices of orgs, members, meetings and items index these arrays (rows never renumber).
        self.org_pos = orgs["org"].to_numpy()
        self.org_ids = _strings(orgs["org_id"].to_list())
        self.member = _sorted(ids.members, "member")
        self.member_ids = self.member["member_id"].to_arrow()
        self.meeting = ids.meetings
        self.item = ids.items
        self.rect = ids.rectifications

    def _org(self, org: pl.Series) -> pa.DictionaryArray:
        return _dict(np.searchsorted(self.org_pos, org.to_numpy()), self.org_ids)

    @staticmethod
    def _ref(values: pl.Series, ids: pl.DataFrame, key: str, column: str) -> pa.DictionaryArray:
        """Ids of referenced rows (nullable), as a dictionary over the referenced table's ids: integer keys are
        looked up in a dense array, no string is built per row."""
        keys = ids[key].to_numpy()
        lookup = np.zeros(int(keys.max()) + 1 if len(keys) else 1, dtype=np.int32)
        lookup[keys] = np.arange(len(keys), dtype=np.int32)
        valid = values.is_not_null().to_numpy() if values.null_count() else None
        positions = lookup[values.fill_null(0).to_numpy()]
        dictionary = ids[column].to_arrow()
        if isinstance(dictionary, pa.ChunkedArray):
            dictionary = dictionary.combine_chunks()
        return _compact(positions, valid, dictionary)

    def organizations(self) -> pa.Table:
        o = self.w.orgs
        return self._table(
            "organizations",
            [
                o["org_id"].to_arrow(),
                o["name"].to_arrow(),
                o["parent_id"].to_arrow(),
                o["level"].to_arrow(),
                o["rulebook"].to_arrow(),
                _date(o["established_on"]),
                _date(o["dissolved_on"]),
            ],
        )

    def members(self) -> pa.Table:
        m = _sorted(self.w.members, "member")
        return self._table(
            "members",
            [
                self.member["member_id"].to_arrow(),
                self._org(m["org"]),
                # Plain strings: the name pool repeats common names, and a dictionary with repeated values did not
                # always come out of the Parquet writer byte for byte the same.
                self.names.take(m["name"].cast(pl.Int32).to_arrow()),
                _enum(m["role"], "role"),
                _date(m["joined_on"]),
                _date(m["left_on"]),
                self.member["person_key"].to_arrow(),
            ],
        )

    def meetings(self) -> pa.Table:
        m = _sorted(self.w.meetings, "meeting")
        ids = _ids_of(m, self.meeting, "meeting")
        org_row = np.searchsorted(self.org_pos, m["org"].to_numpy())
        held = m["held_on"].to_numpy()
        year, month = year_of(held), month_index(held) % 12 + 1
        kind = m["kind"].to_numpy()
        n = m["kind_no"].to_numpy()
        body = self.w.orgs["body"].to_list()
        topic = m["topic"].to_numpy() % len(EMERGENCY_TOPICS)
        templates = {  # the title of each kind of meeting, from its rows (``r``)
            PARTY_GROUP: lambda r: (
                num(year[r]),
                lit("年第"),
                num(n[r]),
                lit("次"),
                pick(body, org_row[r]),
                lit("会议"),
            ),
            STUDY: lambda r: (
                num(year[r]),
                lit("年"),
                num(month[r]),
                lit("月"),
                pick(body, org_row[r]),
                lit("理论学习中心组集体学习"),
            ),
            DEMOCRATIC_LIFE: lambda r: (num(year[r]), lit("年度"), pick(body, org_row[r]), lit("领导班子民主生活会")),
            SECRETARY_OFFICE: lambda r: (lit("书记办公会（"), num(year[r]), lit("年第"), num(n[r]), lit("次）")),
            EMERGENCY_DECISION: lambda r: (lit("临机处置："), pick(EMERGENCY_TOPICS, topic[r])),
            OTHER_MEETING: lambda r: (lit("专题会议（"), num(year[r]), lit("年第"), num(n[r]), lit("次）")),
        }
        rows = [np.flatnonzero(kind == k) for k in templates]
        pieces = [compose(len(r), *make(r)) for r, make in zip(rows, templates.values(), strict=True)]
        # Back in meeting order: position i of the joined pieces is meeting order[i].
        order = np.concatenate(rows)
        back = np.empty(len(order), dtype=np.int64)
        back[order] = np.arange(len(order))
        titles = pa.concat_arrays(pieces).take(_ints(back))
        return self._table(
            "meetings",
            [
                ids["meeting_id"].to_arrow(),
                self._org(m["org"]),
                _enum(m["kind"], "meeting_kind"),
                _date(m["held_on"]),
                titles,
                _dict(m["chair"], self.member_ids),
                m["duration_hours"].to_arrow(),
                _date(m["notice_sent_on"]),
                m["minutes_no"].to_arrow(),
                m["is_emergency"].to_arrow(),
            ],
        )

    def attendance(self) -> pa.Table:
        a = _sorted(self.w.attendance, "meeting", "member")
        return self._table(
            "attendance",
            [
                self._ref(a["meeting"], self.meeting, "meeting", "meeting_id"),
                _dict(a["member"], self.member_ids),
                _enum(a["status"], "status"),
                a["hours"].to_arrow(),
                a["written_opinion"].to_arrow(),
            ],
        )

    def agenda_items(self) -> pa.Table:
        it = _sorted(self.w.items, "item")
        ids = _ids_of(it, self.item, "item")
        titles, offsets, sizes = _flat_pool([ITEM_TITLES[c] for c in range(len(ITEM_TITLES))])
        category = it["category"].to_numpy().astype(np.int64)
        title = offsets[category] + it["title"].to_numpy() % sizes[category]
        return self._table(
            "agenda_items",
            [
                ids["item_id"].to_arrow(),
                self._ref(it["meeting"], self.meeting, "meeting", "meeting_id"),
                it["seq"].to_arrow(),
                _dict(title, titles),
                _enum(it["category"], "category"),
                it["ad_hoc"].to_arrow(),
                _enum(it["decision"], "decision"),
                _enum(it["vote_method"], "vote_method"),
                it["yes_count"].to_arrow(),
                it["no_count"].to_arrow(),
                it["abstain_count"].to_arrow(),
                self._ref(it["refers_to"], self.meeting, "meeting", "meeting_id"),
            ],
        )

    def votes(self) -> pa.Table:
        v = _sorted(self.w.votes, "item", "member")
        return self._table(
            "votes",
            [
                self._ref(v["item"], self.item, "item", "item_id"),
                _dict(v["member"], self.member_ids),
                _enum(v["choice"], "choice"),
                v["cast_order"].to_arrow(),
            ],
        )

    def recusals(self) -> pa.Table:
        r = _sorted(self.w.recusals, "item", "member")
        return self._table(
            "recusals",
            [
                self._ref(r["item"], self.item, "item", "item_id"),
                _dict(r["member"], self.member_ids),
                _dict(r["reason"].cast(pl.Int32), _pool(RECUSAL_REASONS)),
            ],
        )

    def rectifications(self) -> pa.Table:
        r = _sorted(self.w.rectifications, "rect")
        ids = _ids_of(r, self.rect, "rect")
        sources = ("democratic_life", "inspection", "audit", "other")
        pool, offsets, _ = _flat_pool([RECTIFICATION_DESCRIPTIONS[s] for s in sources])
        desc = offsets[r["source"].to_numpy().astype(np.int64)] + r["description"].to_numpy()
        return self._table(
            "rectifications",
            [
                ids["rect_id"].to_arrow(),
                self._org(r["org"]),
                _enum(r["source"], "source"),
                self._ref(r["source_meeting"], self.meeting, "meeting", "meeting_id"),
                _date(r["found_on"]),
                _dict(desc, pool),
                _dict(r["owner"], self.member_ids),
                _date(r["measures_on"]),
                _date(r["report_on"]),
                _date(r["due_on"]),
                _date(r["closed_on"]),
            ],
        )

    def reports(self) -> pa.Table:
        r = _sorted(self.w.reports, "report")
        ids = numbered_ids(r, "report", self.orgs, "RP", 3)  # in the order of ``r``
        return self._table(
            "reports",
            [
                ids["report_id"].to_arrow(),
                self._org(r["org"]),
                _enum(r["kind"], "report_kind"),
                self._ref(r["meeting"], self.meeting, "meeting", "meeting_id"),
                r["period_year"].to_arrow(),
                _date(r["submitted_on"]),
            ],
        )

    def activities(self) -> pa.Table:
        a = _sorted(self.w.activities, "activity")
        ids = numbered_ids(a, "activity", self.orgs, "A", 5)  # in the order of ``a``
        return self._table(
            "activities",
            [
                ids["activity_id"].to_arrow(),
                self._org(a["org"]),
                _dict(a["member"], self.member_ids),
                _enum(a["kind"], "activity_kind"),
                _dict(a["counterpart"], self.member_ids),
                _date(a["on_date"]),
                a["quantity"].to_arrow(),
            ],
        )

    def all(self) -> dict[str, pa.Table]:
        """Every table of the contract, by name."""
        return {name: getattr(self, name)() for name in TABLE_ORDER}

    @staticmethod
    def _table(name: str, arrays: list[pa.Array]) -> pa.Table:
        schema = arrow_schema(name)
        fields = [
            pa.field(f.name, pa.dictionary(pa.int32(), pa.string())) if pa.types.is_dictionary(a.type) else f
            for f, a in zip(schema, arrays, strict=True)
        ]
        arrays = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays]
        arrays = [a.cast(f.type) if a.type != f.type else a for a, f in zip(arrays, fields, strict=True)]
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


class TableWriter:
    """Appends chunks of one table to ``<table>.parquet`` or ``<table>.csv``."""

    def __init__(self, out_dir: Path, table: str, fmt: Format) -> None:
        self.path = out_dir / f"{table}.{fmt}"
        self.table = table
        self.fmt = fmt
        self.rows = 0
        self._parquet: pq.ParquetWriter | None = None
        self._csv = None

    def write(self, data: pa.Table) -> None:
        self.rows += data.num_rows
        if self.fmt == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(
                    self.path,
                    data.schema,
                    compression=COMPRESSION,
                    store_schema=False,  # readers see plain strings, not dictionaries
                    # The importer reads every row: statistics would only cost time (a fifth of the writing).
                    write_statistics=False,
                    # Dictionary pages only for the columns that come as dictionaries: ids, dates and numbers that
                    # are mostly distinct cost more to try than they save.
                    use_dictionary=[f.name for f in data.schema if pa.types.is_dictionary(f.type)],
                    dictionary_pagesize_limit=1 << 22,
                )
            self._parquet.write_table(data, row_group_size=ROW_GROUP)
        else:
            plain = pa.Table.from_arrays(
                [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in data.columns],
                names=data.column_names,
            )
            frame = pl.from_arrow(plain)
            assert isinstance(frame, pl.DataFrame)
            if self._csv is None:
                self._csv = self.path.open("wb")
                frame.write_csv(self._csv, include_header=True)
            else:
                frame.write_csv(self._csv, include_header=False)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        elif self._csv is not None:
            self._csv.close()
        else:  # no chunk at all: still a file with the header, so the table reads as "recorded, none"
            empty = arrow_schema(self.table).empty_table()
            if self.fmt == "parquet":
                pq.write_table(empty, self.path, compression=COMPRESSION, store_schema=False)
            else:
                pl.from_arrow(empty).write_csv(self.path)  # type: ignore[union-attr]


class WorldWriter:
    """One :class:`TableWriter` per table of the contract."""

    def __init__(self, out_dir: Path, fmt: Format) -> None:
        self.writers = {name: TableWriter(out_dir, name, fmt) for name in TABLE_ORDER}

    def write_tables(self, tables: dict[str, pa.Table]) -> None:
        for name, writer in self.writers.items():
            writer.write(tables[name])

    def close(self) -> dict[str, int]:
        for writer in self.writers.values():
            writer.close()
        return {name: w.rows for name, w in self.writers.items()}

    @property
    def paths(self) -> dict[str, Path]:
        return {name: w.path for name, w in self.writers.items()}
