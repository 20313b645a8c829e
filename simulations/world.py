"""The in-memory form of a simulated world: the ten tables as integer-coded Polars frames, plus array helpers.

Every table keeps the contract's columns under the contract's names, but references are integer indices (``org``,
``member``, ``meeting``, ``item``) and dates are day numbers, so building, breaking and judging a world of millions
of rows stays vectorised. Writing turns them into the contract's strings (:mod:`simulations.writer`). Text that is
not part of any rule (titles, reasons, descriptions) is kept as an index into a phrase pool.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl


@dataclass(frozen=True)
class World:
    """One chunk of organisations with all their records (organisations never share records across chunks).

    Column meanings beyond the contract: ``no`` is a stable per-organisation (or per-meeting) number the written
    id is made of, so deleting or reordering rows never renames another row; ``person`` ties membership spells
    (``person_key``); ``title``/``reason``/``description`` index phrase pools; ``kind_no`` is a meeting's ordinal
    among its organisation's meetings of that kind in that year (for titles).
    """

    orgs: pl.DataFrame  # org, org_id, name, parent_id, level, rulebook, established_on, dissolved_on, exists_*, body
    members: pl.DataFrame  # member, org, no, person, person_no, name, role, joined_on, left_on
    meetings: pl.DataFrame  # meeting, org, no, kind, kind_no, held_on, chair, duration_hours, notice_sent_on,
    # minutes_no, is_emergency
    attendance: pl.DataFrame  # meeting, member, status, hours, written_opinion
    items: pl.DataFrame  # item, meeting, no, seq, title, category, ad_hoc, decision, vote_method, yes/no/abstain_count,
    # refers_to
    votes: pl.DataFrame  # item, member, choice, cast_order
    recusals: pl.DataFrame  # item, member, reason
    rectifications: pl.DataFrame  # rect, org, no, source, source_meeting, found_on, description, owner, measures_on,
    # report_on, due_on, closed_on
    reports: pl.DataFrame  # report, org, no, kind, meeting, period_year, submitted_on
    activities: pl.DataFrame  # activity, org, no, member, kind, counterpart, on_date, quantity

    def with_tables(self, **tables: pl.DataFrame) -> World:
        return replace(self, **tables)


def expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [lo_i, hi_i): (i, position) for every position in every range, ranges in order."""
    counts = np.maximum(np.asarray(hi, dtype=np.int64) - lo, 0)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offsets = np.repeat(np.cumsum(counts) - counts - np.asarray(lo, dtype=np.int64), counts)
    return owner, np.arange(int(counts.sum()), dtype=np.int64) - offsets


def rank_in_groups(keys: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal keys (keys must be grouped, e.g. sorted)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.empty(n, dtype=bool)
    new[0] = True
    new[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(new)
    return np.arange(n, dtype=np.int64) - np.repeat(starts, np.diff(np.append(starts, n)))


def stable_order(key: np.ndarray, top: int | None = None) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` of non-negative int64 keys (``top``: their maximum, if known).

    NumPy's stable sort of int64 is a merge sort, four to six times as slow as its quicksort on unordered keys. With
    each row's position packed below the key the keys are distinct, so the quicksort's order is the stable one; keys
    too wide for that, or already in order, take the stable sort (fast on sorted runs)."""
    n = len(key)
    if n < 2 or bool((key[1:] >= key[:-1]).all()):
        return np.arange(n, dtype=np.int64)
    shift = int(n - 1).bit_length()
    if int(key.max() if top is None else top).bit_length() + shift > 63:
        return np.argsort(key, kind="stable")
    return np.argsort((key << shift) | np.arange(n, dtype=np.int64))


def stable_ranks(draw: np.ndarray) -> np.ndarray:
    """Position of each value in a stable sort (equal values by position), for floats: a quicksort (NumPy's stable
    sort of floats is seven times as slow), then runs of equal values put in position order by a second quicksort
    of (run, position) packed into distinct integers."""
    n = len(draw)
    if n > 1 << 30 or bool(np.isnan(draw).any()):
        order = np.argsort(draw, kind="stable")
    else:
        order = np.argsort(draw)
        new = np.empty(n, dtype=bool)
        new[:1] = True
        np.not_equal(draw[order[1:]], draw[order[:-1]], out=new[1:])
        if not new.all():
            run = np.empty(n, dtype=np.int64)
            run[order] = np.cumsum(new) - 1
            order = np.argsort(run * n + np.arange(n, dtype=np.int64))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n, dtype=np.int64)
    return ranks


def lexsort(keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """``np.lexsort(keys)`` (the last key first, stable), as one sort of the keys packed into an int64.

    NumPy's ``lexsort`` makes a pass per key and is slow on floats; integer keys packed side by side (each shifted
    to start at 0) sort in one pass (:func:`stable_order`). A float key is allowed only as the last tie-breaker
    (``keys[0]``, a random draw): it is replaced by its stable rank, which orders equal draws by position as
    ``lexsort`` does. Keys that do not fit in 63 bits fall back to ``np.lexsort``."""
    n = len(keys[0]) if keys else 0
    if n == 0 or any(k.dtype.kind not in "iub" for k in keys[1:]) or keys[0].dtype.kind not in "iubf":
        return np.lexsort(keys)
    parts = []
    for k in keys:
        if k.dtype.kind == "f":
            parts.append((stable_ranks(k), n - 1))
            continue
        k = k.astype(np.int64, copy=False)
        low, high = int(k.min()), int(k.max())
        parts.append((k - low if low else k, high - low))
    bits = sum(int(top).bit_length() for _, top in parts)
    if bits > 63:
        return np.lexsort(keys)
    packed = np.zeros(n, dtype=np.int64)
    for k, top in reversed(parts):
        packed <<= int(top).bit_length()
        packed |= k
    return stable_order(packed, (1 << bits) - 1)


def among(values: np.ndarray, codes: list[int]) -> np.ndarray:
    """``np.isin(values, codes)`` for small integer codes (kinds, categories, decisions): one gather from a table of
    the codes, instead of a comparison pass per code."""
    values = np.asarray(values)
    if values.dtype.kind in "iu" and len(values) and min(codes) >= 0 and values.min() >= 0:
        table = np.zeros(max(int(values.max()), max(codes)) + 1, dtype=bool)
        table[codes] = True
        return table[values]
    return np.isin(values, codes)


def group_bounds(sorted_keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[lo, hi) of the run of each wanted key in sorted_keys."""
    keys, want = np.asarray(sorted_keys), np.asarray(wanted)
    if keys.dtype.kind in "iu" and want.dtype.kind in "iu" and len(keys) and keys[0] >= 0 and want.min(initial=0) >= 0:
        top = max(int(keys[-1]), int(want.max(initial=0))) + 1
        if top <= 4 * (len(keys) + len(want)):
            # Small non-negative keys (meetings, org-years): run ends from counts, instead of two binary searches
            # per wanted key.
            counts = np.bincount(keys, minlength=top)
            ends = np.cumsum(counts)
            return (ends - counts)[want], ends[want]
    return (
        np.searchsorted(sorted_keys, wanted, side="left").astype(np.int64),
        np.searchsorted(sorted_keys, wanted, side="right").astype(np.int64),
    )


def pick(rng: np.random.Generator, probabilities: dict[int, float], size: int) -> np.ndarray:
    """Random codes with the given probabilities (which must add up to 1)."""
    codes = np.array(list(probabilities), dtype=np.int64)
    p = np.array(list(probabilities.values()), dtype=np.float64)
    return codes[np.searchsorted(np.cumsum(p) / p.sum(), rng.random(size), side="right").clip(0, len(codes) - 1)]


def nullable(values: np.ndarray, valid: np.ndarray, dtype: pl.DataType = pl.Int64) -> pl.Series:
    """A Polars series that is null where ``valid`` is false."""
    mask = pl.Series(np.asarray(valid, dtype=bool))
    return pl.select(pl.when(mask).then(pl.Series(values).cast(dtype))).to_series()
