"""Injecting violations of every rule into a compliant world.

Each rule has an injection: a set of candidates (the rule's subjects that can be broken: org-months with a
party-group meeting for MTG001, decided items for VOT003, whole-year member-years for STU003, …) and a change that
breaks it the way offices actually get it wrong (a month without a meeting, a notice sent on the Saturday before a
Monday meeting, a tally that disagrees with the named votes, a report filed a week late). Every candidate is chosen
independently with probability ``rate`` from the chunk's seeded generator.

Injections do not label anything: the truth is computed afterwards from the final records by
:mod:`simulations.truth`, so knock-on effects (a member marked absent who had voted, a deleted meeting that held an
emergency report or a minutes number) are labelled exactly, and injections may overlap. Some variants only break a
rule under some rulebooks' settings (two talks a year, a notice without a working day, personnel items of a
quorum), which exercises the engine's per-organisation settings. Every change keeps the records importable: no
dangling reference, no duplicate key, attendance and votes only of members on the roster.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from simulations.codes import (
    ABSENT,
    ABSTAIN,
    ANNUAL_WORK,
    DEMOCRATIC_LIFE,
    DISCIPLINE,
    DL_PLAN,
    DL_REPORT,
    EMERGENCY_DECISION,
    EMERGENCY_REPORT,
    FIRST_TOPIC,
    GENERAL,
    GRASSROOTS_DAYS,
    LEAVE,
    MAJOR_DECISION,
    NO,
    PARTY_GROUP,
    PASSED,
    PERSONNEL,
    PRESENT,
    REJECTED,
    RESEARCH_REPORT,
    SECRETARY,
    SECRETARY_OFFICE,
    SHOW_OF_HANDS,
    SRC_DEMOCRATIC_LIFE,
    SRC_INSPECTION,
    STUDY,
    STUDY_ARTICLE,
    TALK,
    YES,
    add_months_clamped,
    day,
    month_index,
    weekday,
    year_of,
)
from simulations.organisations import Period
from simulations.phrases import RECUSAL_REASONS
from simulations.world import World, expand, group_bounds, lexsort, nullable, rank_in_groups, stable_ranks

Injection = Callable[[World, np.random.Generator, float, Period], World]


def _choose(frame: pl.DataFrame, rng: np.random.Generator, rate: float, by: list[str]) -> pl.DataFrame:
    """Each candidate with probability ``rate``; candidates are ordered first, so the draw is reproducible."""
    if not _strictly_sorted(frame, by):  # most candidate sets come in key order already: a sort is a copy
        frame = frame.sort(by)
    # The chosen rows by position (a gather of a few rows costs half a filter through a boolean mask).
    return frame[np.flatnonzero(rng.random(frame.height) < rate)]


def _strictly_sorted(frame: pl.DataFrame, by: list[str]) -> bool:
    """Whether the rows are in strictly increasing order of ``by`` (one or two integer columns, no nulls)."""
    if frame.height < 2 or len(by) > 2:
        return frame.height < 2
    columns = [frame[c] for c in by]
    if any(c.null_count() or not c.dtype.is_integer() for c in columns):
        return False
    first = columns[0].to_numpy().astype(np.int64, copy=False)
    if len(by) == 1:
        return bool((first[1:] > first[:-1]).all())
    second = columns[1].to_numpy().astype(np.int64, copy=False)
    if second.min() < 0 or second.max() >= 1 << 32 or first.min() < 0 or first.max() >= 1 << 31:
        return False
    key = (first << 32) | second
    return bool((key[1:] > key[:-1]).all())


def _mask(ids: pl.Series | np.ndarray, values: pl.Series) -> pl.Series:
    """``values`` is in ``ids`` (both non-negative integer indices), through a dense lookup array."""
    ids_np = ids.to_numpy() if isinstance(ids, pl.Series) else ids
    v = values.fill_null(-1).to_numpy() if values.null_count() else values.to_numpy()  # no copy without nulls
    size = int(max(ids_np.max(initial=-1), v.max(initial=-1))) + 1
    hit = np.zeros(size + 1, dtype=bool)
    hit[ids_np] = True
    return pl.Series(hit[v])  # -1 (null) reads the last slot, which is never set


def drop_meetings(w: World, gone: pl.DataFrame) -> World:
    """Delete meetings with everything recorded on them (attendance, items, votes, recusals, their reports and the
    rectifications they found), as if they had never been held."""
    ids = gone["meeting"]
    item_gone = _mask(ids, w.items["meeting"])
    items_gone = w.items["item"].filter(item_gone)
    items = w.items.filter(~item_gone)  # filtered once: each filter copies every column
    return w.with_tables(
        meetings=w.meetings.filter(~_mask(ids, w.meetings["meeting"])),
        attendance=w.attendance.filter(~_mask(ids, w.attendance["meeting"])),
        items=items.with_columns(refers_to=pl.when(_mask(ids, items["refers_to"])).then(None).otherwise("refers_to")),
        votes=w.votes.filter(~_mask(items_gone, w.votes["item"])),
        recusals=w.recusals.filter(~_mask(items_gone, w.recusals["item"])),
        reports=w.reports.filter(~_mask(ids, w.reports["meeting"])),
        rectifications=w.rectifications.filter(~_mask(ids, w.rectifications["source_meeting"])),
    )


def _drop_items(w: World, gone: pl.DataFrame) -> World:
    ids = gone["item"]
    return w.with_tables(
        items=w.items.filter(~_mask(ids, w.items["item"])),
        votes=w.votes.filter(~_mask(ids, w.votes["item"])),
        recusals=w.recusals.filter(~_mask(ids, w.recusals["item"])),
    )


def _key(frame: pl.DataFrame, key: list[str]) -> np.ndarray:
    """One sortable int64 per row of a (one or two integer column) key."""
    if len(key) == 1:
        return frame[key[0]].to_numpy().astype(np.int64, copy=False)  # the column itself, not a copy
    packed = frame[key[0]].to_numpy().astype(np.int64)
    packed *= 1 << 32  # in place: two temporaries of the whole table fewer
    packed += frame[key[1]].to_numpy()
    return packed


def _update(frame: pl.DataFrame, changes: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Write the changed columns into the rows whose key is in ``changes`` (nulls in ``changes`` are written).

    Every table stays sorted by its key, so rows are found by binary search and written in place: no join.
    """
    if not changes.height:
        return frame
    fk, ck = _key(frame, key), _key(changes, key)
    pos = np.minimum(np.searchsorted(fk, ck), max(len(fk) - 1, 0))
    found = fk[pos] == ck if len(fk) else np.zeros(len(ck), dtype=bool)
    if not found.all():  # every change's row exists as a rule: no filter then
        pos, changes = pos[found], changes.filter(pl.Series(found))
    columns = []
    for c in changes.columns:
        if c in key:
            continue
        column = frame[c].clone()
        column.scatter(pos, changes[c].cast(column.dtype))
        columns.append(column)
    return frame.with_columns(columns)


def _delete(frame: pl.DataFrame, rows: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The table without the rows whose key is in ``rows``."""
    if not rows.height:
        return frame
    fk, rk = _key(frame, key), _key(rows, key)
    pos = np.minimum(np.searchsorted(fk, rk), max(len(fk) - 1, 0))
    keep = np.ones(len(fk), dtype=bool)
    keep[pos[fk[pos] == rk]] = False
    return frame.filter(pl.Series(keep))


def _insert(frame: pl.DataFrame, rows: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The table with new ``rows`` (keys not in it) added in key order: one stable argsort of the packed keys, which
    finds the table's long sorted run, instead of a two-column sort of everything."""
    both = pl.concat([frame, rows], how="vertical_relaxed")
    return both[np.argsort(_key(both, key), kind="stable")]


def _counts(w: World) -> pl.DataFrame:
    """Attendance rows per meeting, for every meeting."""
    size = int(w.meetings["meeting"].max() or 0) + 1
    n = np.bincount(w.attendance["meeting"].to_numpy(), minlength=size).astype(np.int64)
    return pl.DataFrame({"meeting": np.arange(size, dtype=np.int64), "n": n})


def _rows_of(
    w: World, meetings: pl.DataFrame, columns: tuple[str, ...] = ("meeting", "member", "status")
) -> pl.DataFrame:
    """Some columns of the attendance rows of some meetings (a filter through a look-up, not a join over the whole
    table; only the columns read, since a filter copies every column it keeps)."""
    attendance = w.attendance.select(columns)
    return attendance.filter(_mask(meetings["meeting"], attendance["meeting"]))


def _chair_at(meetings: pl.DataFrame, meeting: np.ndarray) -> np.ndarray:
    """The chair (-1 for none) of each row's meeting, one of ``meetings``: a gather through a dense look-up by
    meeting instead of a join."""
    slot = np.zeros(int(max(meeting.max(initial=-1), meetings["meeting"].max() or 0)) + 1, dtype=np.int64)
    slot[meetings["meeting"].to_numpy()] = np.arange(meetings.height, dtype=np.int64)
    return meetings["chair"].fill_null(-1).to_numpy()[slot[meeting]]


def _ordered(frame: pl.DataFrame, group: str) -> pl.DataFrame:
    """The rows sorted by ``group``, then by every other column in order (so a random draw over them is
    reproducible)."""
    others = [c for c in frame.columns if c != group]
    # Rows strictly in (group, first other column) order are in the order of the full sort already (no ties to
    # break): most candidate sets come that way from the key-ordered tables, and the sort copied every column.
    if others and _strictly_sorted(frame, [group, others[0]]):
        return frame
    return frame.sort(group, *others)


def _runs(keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal keys (keys grouped, at least one)."""
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    return np.flatnonzero(new)


def _rank(frame: pl.DataFrame, rng: np.random.Generator, group: str) -> pl.DataFrame:
    """A random 0-based rank of each row within its group (rows ordered first, so it is reproducible).

    Rows rank by their draw within the group, equal draws by position (what a stable sort by group, then draw,
    gives). The draws are replaced by their stable global ranks and packed behind the group's number into one
    distinct int64 per row: one integer sort instead of NumPy's ``lexsort`` with a float key (twice as slow)."""
    frame = _ordered(frame, group)
    draw = rng.random(frame.height)
    n = frame.height
    if not n:
        return frame.with_columns(rank=pl.Series([], dtype=pl.Int64))
    return frame.with_columns(rank=pl.Series(_draw_ranks(frame[group].to_numpy(), draw)))


def _draw_ranks(keys: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """0-based rank of each row's draw within its run of equal (grouped) keys, equal draws by position."""
    n = len(keys)
    by_draw = stable_ranks(draw)
    run = np.zeros(n, dtype=np.int64)
    run[_runs(keys)[1:]] = 1
    order = np.argsort(np.cumsum(run) * n + by_draw)  # distinct keys: any sort gives the stable order
    rank = np.empty(n, dtype=np.int64)
    rank[order] = rank_in_groups(keys[order])
    return rank


def _one_per_group(frame: pl.DataFrame, rng: np.random.Generator, group: str) -> pl.DataFrame:
    """The row of rank 0 of each group (as ``_rank(...)`` then ``rank == 0``, drawing the same numbers): the row with
    the smallest draw of its run, the first of equal draws, found by ``minimum.reduceat`` instead of a sort."""
    frame = _ordered(frame, group)
    draw = rng.random(frame.height)
    if not frame.height:
        return frame
    starts = _runs(frame[group].to_numpy())
    low = np.minimum.reduceat(draw, starts)
    run = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, frame.height)))
    hit = np.flatnonzero(draw == low[run])
    first = hit[np.append(True, run[hit[1:]] != run[hit[:-1]])]
    return frame[first]


def _at_meetings(w: World, meeting: pl.Series) -> np.ndarray:
    """Row in ``w.meetings`` of each referenced meeting: a gather through a dense look-up by meeting (a binary search
    per item cost four times as much)."""
    known = w.meetings["meeting"].to_numpy()
    wanted = meeting.to_numpy()
    slot = np.zeros(int(max(known.max(initial=-1), wanted.max(initial=-1))) + 1, dtype=np.int64)
    slot[known] = np.arange(len(known), dtype=np.int64)
    return slot[wanted]


# -- meetings: whole months, years and meetings ----------------------------------------------------------------------


def _empty_months(w: World, rng: np.random.Generator, rate: float, kind: int) -> pl.DataFrame:
    """The meetings of a kind in the chosen org-months of that kind (to delete).

    Org-months are cells of a dense (org, month) table, so the cells holding a meeting are the distinct org-months
    in key order (the order they are drawn in), and a meeting's month is chosen when its cell is: no distinct, no
    semi-join."""
    rows = w.meetings["kind"].to_numpy() == kind
    meeting = w.meetings["meeting"].to_numpy()[rows]
    if not len(meeting):
        return pl.DataFrame({"meeting": meeting})
    org, month = w.meetings["org"].to_numpy()[rows], month_index(w.meetings["held_on"].to_numpy()[rows])
    o0, m0 = int(org.min()), int(month.min())
    span = int(month.max()) - m0 + 1
    cell = (org - o0) * span + (month - m0)
    used = np.zeros(int(cell.max()) + 1, dtype=bool)
    used[cell] = True
    chosen = np.zeros(len(used), dtype=bool)
    distinct = np.flatnonzero(used)
    chosen[distinct[rng.random(len(distinct)) < rate]] = True
    return pl.DataFrame({"meeting": meeting[chosen[cell]]})


def mtg001_stu002_dlm001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """MTG001: a month without a party-group meeting (its meetings deleted, minutes numbers and all); STU002: a
    month without a study session; DLM001: a year without a democratic life meeting (with its plan, report and
    rectifications).

    Drawn in that order and deleted in one pass: a deletion copies every table recorded on meetings, and no rule's
    candidates here are touched by another's deletions (they are meetings of different kinds), so the result is that
    of three deletions one after the other."""
    dl = w.meetings.filter(pl.col("kind") == DEMOCRATIC_LIFE).select("meeting")
    gone = [
        _empty_months(w, rng, rate, PARTY_GROUP),
        _empty_months(w, rng, rate, STUDY),
        _choose(dl, rng, rate, ["meeting"]),
    ]
    return drop_meetings(w, pl.concat(gone))


def _thin_out(w: World, rng: np.random.Generator, meetings: pl.DataFrame, status: int) -> World:
    """Set present non-chair members of each meeting to ``status`` until ``target`` are present."""
    # Each row's meeting facts are gathered through a dense look-up by meeting, not joined.
    rows = _rows_of(w, meetings)
    meeting, member = rows["meeting"].to_numpy(), rows["member"].to_numpy()
    slot = np.zeros(int(max(meeting.max(initial=-1), meetings["meeting"].max() or 0)) + 1, dtype=np.int64)
    slot[meetings["meeting"].to_numpy()] = np.arange(meetings.height, dtype=np.int64)
    at = slot[meeting]
    chair = meetings["chair"].fill_null(-1).to_numpy()[at]
    is_present = rows["status"].to_numpy() == PRESENT
    keep = is_present & (member != chair)
    # Present rows per meeting, counted over the chosen meetings' rows only (the others' counts are not read).
    present = np.bincount(meeting[is_present], minlength=len(slot))
    rows = pl.DataFrame(
        {
            "meeting": meeting[keep],
            "member": member[keep],
            "target": meetings["target"].to_numpy()[at[keep]],
            "present": present[meeting[keep]],
        }
    )
    rows = _rank(rows, rng, "meeting")
    flip = rows.filter(pl.col("rank") < pl.col("present") - pl.col("target")).select(
        "meeting", "member", status=pl.lit(status, dtype=pl.Int8), hours=pl.lit(None, dtype=pl.Float64)
    )
    return w.with_tables(attendance=_update(w.attendance, flip, ["meeting", "member"]))


def _sized(w: World) -> pl.DataFrame:
    n = _counts(w)["n"].to_numpy()
    # The columns the quorum injections read, not the whole table (each filter and sort copies every column).
    return w.meetings.select("meeting", "kind", "chair").with_columns(n=pl.Series(n[w.meetings["meeting"].to_numpy()]))


def mtg002(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A party-group meeting held with fewer than half of its members present (the rest on leave)."""
    m = _sized(w).filter((pl.col("kind") == PARTY_GROUP) & (pl.col("n") >= 4))
    m = _choose(m, rng, rate, ["meeting"]).with_columns(target=(pl.col("n") - 1) // 2)
    return _thin_out(w, rng, m, LEAVE)


def mtg003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A meeting deciding personnel, discipline or major matters with half, but not two thirds, present."""
    with_items = w.items["meeting"].filter(w.items["category"].is_in([PERSONNEL, DISCIPLINE, MAJOR_DECISION]))
    m = _sized(w).filter(pl.col("kind").is_in([PARTY_GROUP, SECRETARY_OFFICE]) & (pl.col("n") >= 4))
    m = m.filter(_mask(with_items, m["meeting"]))
    m = _choose(m, rng, rate, ["meeting"]).with_columns(target=(pl.col("n") + 1) // 2)
    return _thin_out(w, rng, m, LEAVE)


def dlm002(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A democratic life meeting with fewer than two thirds present."""
    m = _sized(w).filter((pl.col("kind") == DEMOCRATIC_LIFE) & (pl.col("n") >= 4))
    m = _choose(m, rng, rate, ["meeting"]).with_columns(target=(2 * pl.col("n") - 1) // 3)
    return _thin_out(w, rng, m, LEAVE)


def mtg004(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """No written notice, a notice on the day itself, or (Monday meetings) a notice sent on the Saturday: one day
    short only where notice must span a working day."""
    m = w.meetings.filter((pl.col("kind") == PARTY_GROUP) & ~pl.col("is_emergency"))
    m = _choose(m.select("meeting", "held_on"), rng, rate, ["meeting"])
    held = m["held_on"].to_numpy()
    variant = rng.integers(0, 3, size=m.height)
    monday = weekday(held) == 0
    notice = np.where(variant == 1, held, np.where((variant == 2) & monday, held - 2, -1))
    changes = m.select("meeting", notice_sent_on=pl.Series(notice)).with_columns(
        pl.when(pl.col("notice_sent_on") >= 0).then("notice_sent_on").alias("notice_sent_on")
    )
    return w.with_tables(meetings=_update(w.meetings, changes, ["meeting"]))


def mtg006(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A party-group meeting whose minutes were never filed (also a gap in the year's minutes numbers)."""
    m = _choose(w.meetings.filter(pl.col("kind") == PARTY_GROUP).select("meeting"), rng, rate, ["meeting"])
    changes = m.with_columns(minutes_no=pl.lit(None, dtype=pl.Int64))
    return w.with_tables(meetings=_update(w.meetings, changes, ["meeting"]))


def mtg009(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A gap in a year's minutes numbers (numbering skips one) or one number given to two meetings."""
    # Org-years as cells of a dense (org, year) table: the highest number per cell by ``maximum.at``, the cells in
    # key order (the order they are drawn in), a meeting's year chosen when its cell is: no group-by, no join.
    m = w.meetings.filter(pl.col("minutes_no").is_not_null()).select("meeting", "org", "held_on", "minutes_no")
    if not m.height:
        return w
    org, year, no = m["org"].to_numpy(), year_of(m["held_on"].to_numpy()), m["minutes_no"].to_numpy()
    o0, y0 = int(org.min()), int(year.min())
    span = int(year.max()) - y0 + 1
    cell = (org - o0) * span + (year - y0)
    top = np.zeros(int(cell.max()) + 1, dtype=np.int64)
    np.maximum.at(top, cell, no)
    has = np.zeros(len(top), dtype=bool)
    has[cell] = True
    cand = np.flatnonzero(has & (top >= 3))
    chosen = cand[rng.random(len(cand)) < rate]
    at = (2 + rng.random(len(chosen)) * (top[chosen] - 2)).astype(np.int64)
    dup = rng.random(len(chosen)) < 0.5
    slot = np.full(len(top), -1, dtype=np.int64)
    slot[chosen] = np.arange(len(chosen), dtype=np.int64)
    k = slot[cell]
    hit = k >= 0
    hit[hit] = no[hit] >= at[k[hit]]
    at_hit, dup_hit, no_hit = at[k[hit]], dup[k[hit]], no[hit]
    renumbered = np.where(dup_hit, np.where(no_hit == at_hit, at_hit - 1, no_hit), no_hit + 1)
    changes = pl.DataFrame({"meeting": m["meeting"].to_numpy()[hit], "minutes_no": renumbered})
    return w.with_tables(meetings=_update(w.meetings, changes, ["meeting"]))


# -- agenda ------------------------------------------------------------------------------------------------------------


def mtg005(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """An item added at a meeting that was not convened as an emergency (临时动议)."""
    m = w.meetings.filter(pl.col("kind").is_in([PARTY_GROUP, SECRETARY_OFFICE]) & ~pl.col("is_emergency"))
    # The last item of each such meeting (a per-meeting maximum through a dense array, not a window function).
    meeting, seq = w.items["meeting"].to_numpy(), w.items["seq"].to_numpy()
    top = np.full(int(meeting.max(initial=-1)) + 1, -1, dtype=np.int64)
    np.maximum.at(top, meeting, seq)
    last = w.items.filter(_mask(m["meeting"], w.items["meeting"]) & pl.Series((seq == top[meeting]) & (seq > 1)))
    chosen = _choose(last.select("item"), rng, rate, ["item"]).with_columns(ad_hoc=pl.lit(True))
    return w.with_tables(items=_update(w.items, chosen, ["item"]))


def mtg007(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """The first topic not studied first: moved behind the second item, or recorded as an ordinary item."""
    # Only the item columns read are filtered, and the second item of each meeting and its own category are found
    # through dense look-ups (by meeting, by item) instead of joins with the whole item table.
    items = w.items.select("item", "meeting", "seq", "category")
    pg = w.meetings.filter(pl.col("kind") == PARTY_GROUP)["meeting"]
    firsts = items.filter((pl.col("seq") == 1) & (pl.col("category") == FIRST_TOPIC))
    firsts = firsts.filter(_mask(pg, firsts["meeting"])).select("item", "meeting")
    seconds = items.filter(pl.col("seq") == 2)
    second_of = np.full(int(items["meeting"].max() or 0) + 1, -1, dtype=np.int64)
    second_of[seconds["meeting"].to_numpy()] = seconds["item"].to_numpy()
    second = second_of[firsts["meeting"].to_numpy()]
    chosen = _choose(firsts.with_columns(second=nullable(second, second >= 0)), rng, rate, ["item"])
    swap = chosen.filter(pl.col("second").is_not_null() & pl.Series(rng.random(chosen.height) < 0.6))
    relabel = chosen.filter(~_mask(swap["item"], chosen["item"]))
    # The second item keeps its own category when swapped.
    category_of = np.zeros(int(items["item"].max() or 0) + 1, dtype=np.int8)
    category_of[items["item"].to_numpy()] = items["category"].to_numpy()
    own = category_of[swap["second"].to_numpy()]
    changes = pl.concat(
        [
            swap.select("item", seq=pl.lit(2, dtype=pl.Int64), category=pl.lit(FIRST_TOPIC, dtype=pl.Int8)),
            swap.select(item="second", seq=pl.lit(1, dtype=pl.Int64), category=pl.Series(own, dtype=pl.Int8)),
            relabel.select("item", seq=pl.lit(1, dtype=pl.Int64), category=pl.lit(GENERAL, dtype=pl.Int8)),
        ]
    )
    return w.with_tables(items=_update(w.items, changes, ["item"]))


def mtg008(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """An emergency decision never reported back: the report item dropped, or recorded without its reference."""
    reports = w.items.filter(pl.col("category") == EMERGENCY_REPORT).select("item")
    chosen = _choose(reports, rng, rate, ["item"])
    unlink = chosen.filter(pl.Series(rng.random(chosen.height) < 0.3))
    w = _drop_items(w, chosen.join(unlink, on="item", how="anti"))
    return w.with_tables(items=_update(w.items, unlink.with_columns(refers_to=pl.lit(None, dtype=pl.Int64)), ["item"]))


def dq004(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A party-group meeting whose agenda was not recorded."""
    pg = _choose(w.meetings.filter(pl.col("kind") == PARTY_GROUP).select("meeting"), rng, rate, ["meeting"])
    return _drop_items(w, w.items.filter(_mask(pg["meeting"], w.items["meeting"])))


# -- attendance ------------------------------------------------------------------------------------------------------


def att001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A member absent without asking for leave (sometimes with a written opinion, which does not excuse it)."""
    m = w.meetings.filter(pl.col("kind").is_in([PARTY_GROUP, STUDY, DEMOCRATIC_LIFE]))
    m = _choose(m.select("meeting", "chair"), rng, rate, ["meeting"])
    rows = _rows_of(w, m)
    chair = _chair_at(m, rows["meeting"].to_numpy())
    rows = rows.filter(pl.Series((rows["status"].to_numpy() == PRESENT) & (rows["member"].to_numpy() != chair))).select(
        "meeting", "member"
    )
    one = _one_per_group(rows, rng, "meeting")
    changes = one.select(
        "meeting",
        "member",
        status=pl.lit(ABSENT, dtype=pl.Int8),
        hours=pl.lit(None, dtype=pl.Float64),
        written_opinion=pl.when(pl.Series(rng.random(one.height) < 0.3)).then(pl.lit(True)),
    )
    return w.with_tables(attendance=_update(w.attendance, changes, ["meeting", "member"]))


def dq001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A rostered member missing from a meeting's attendance sheet (counts as not present)."""
    m = w.meetings.filter(pl.col("kind") != EMERGENCY_DECISION)
    m = _choose(m.select("meeting", "chair"), rng, rate, ["meeting"])
    rows = _rows_of(w, m, ("meeting", "member"))
    rows = rows.filter(pl.Series(rows["member"].to_numpy() != _chair_at(m, rows["meeting"].to_numpy())))
    one = _one_per_group(rows, rng, "meeting")
    return w.with_tables(attendance=_delete(w.attendance, one, ["meeting", "member"]))


def stu001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A member who attended too little of a year's study: on leave throughout, or only half an hour each time."""
    # Member-years as cells of a dense (member, year) table: the cells holding a row are the distinct member-years
    # in key order (the order they are drawn in), and a row's year is chosen when its cell is (no sort, no join).
    study = w.meetings.filter(pl.col("kind") == STUDY)
    year_at = np.zeros(int(w.meetings["meeting"].max() or 0) + 1, dtype=np.int64)
    year_at[study["meeting"].to_numpy()] = year_of(study["held_on"].to_numpy())
    rows = _rows_of(w, study)
    if not rows.height:
        return w
    year = year_at[rows["meeting"].to_numpy()]
    y0 = int(year.min())
    cell = rows["member"].to_numpy().astype(np.int64) * (int(year.max()) - y0 + 1) + (year - y0)
    used = np.zeros(int(cell.max()) + 1, dtype=bool)
    used[cell] = True
    distinct = np.flatnonzero(used)
    chosen = distinct[rng.random(len(distinct)) < rate]
    token = rng.random(len(chosen)) < 0.5
    slot = np.full(len(used), -1, dtype=np.int64)
    slot[chosen] = np.arange(len(chosen), dtype=np.int64)
    at = slot[cell]
    hit = at >= 0
    keep = pl.Series(token[at[hit]], dtype=pl.Boolean)
    changes = rows.filter(pl.Series(hit)).select(
        "meeting",
        "member",
        status=pl.when(keep).then(pl.col("status")).otherwise(pl.lit(LEAVE, dtype=pl.Int8)),
        hours=pl.when(keep).then(pl.lit(0.5)).otherwise(pl.lit(None, dtype=pl.Float64)),
    )
    return w.with_tables(attendance=_update(w.attendance, changes, ["meeting", "member"]))


def dq003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A study session recorded without its length (its hours then count as 0 for STU001)."""
    m = _choose(w.meetings.filter(pl.col("kind") == STUDY).select("meeting"), rng, rate, ["meeting"])
    changes = m.with_columns(duration_hours=pl.lit(None, dtype=pl.Float64))
    return w.with_tables(meetings=_update(w.meetings, changes, ["meeting"]))


# -- votes -----------------------------------------------------------------------------------------------------------


def _decided(w: World) -> pl.DataFrame:
    """Items passed or rejected outside emergency decisions (item, meeting, decision, category), with their
    meeting's chair and emergency flag: one filter of the four columns the vote injections read (each filter copies
    every column it keeps)."""
    m = w.meetings
    at = _at_meetings(w, w.items["meeting"])
    decision = w.items["decision"].fill_null(-1).to_numpy()
    keep = ((decision == PASSED) | (decision == REJECTED)) & (m["kind"].to_numpy()[at] != EMERGENCY_DECISION)
    at = pl.Series(at[keep])
    return (
        w.items.select("item", "meeting", "decision", "category")
        .filter(pl.Series(keep))
        .with_columns(chair=m["chair"].gather(at), is_emergency=m["is_emergency"].gather(at))
    )


def _voted(w: World, items: pl.DataFrame) -> pl.Series:
    """Whether each of ``items`` has per-member votes (a look-up, not a join with the distinct voted items)."""
    return _mask(w.votes["item"], items["item"])


def _pairs_in(frame: pl.DataFrame, other: pl.DataFrame) -> pl.Series:
    """Whether each (item, member) of ``frame`` is one of ``other``'s, by binary search on packed keys."""
    keys = np.sort(_key(other, ["item", "member"]))
    wanted = _key(frame, ["item", "member"])
    if not len(keys):
        return pl.Series(np.zeros(len(wanted), dtype=bool))
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return pl.Series(keys[pos] == wanted)


def vot001(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """Declared passed although the yes votes are no more than half of those entitled."""
    decided = _decided(w) if decided is None else decided
    passed = decided.filter(pl.col("decision") == PASSED)
    chosen = _choose(passed.select("item", "meeting", "chair"), rng, rate, ["item"])
    # Those entitled (attendance rows less recusals) and the yes votes per item are counted over dense arrays and
    # gathered, instead of group-bys and joins.
    item, entitled = chosen["item"].to_numpy(), _entitled(w, chosen)
    half = entitled // 2
    voted = _voted(w, chosen)
    tallied = ~voted.to_numpy()
    t_changes = pl.DataFrame(
        {
            "item": item[tallied],
            "yes_count": half[tallied],
            "no_count": np.zeros(int(tallied.sum()), dtype=np.int64),
            "abstain_count": (entitled - half)[tallied],
        }
    )
    items = _update(w.items, t_changes, ["item"])
    # Named votes: enough yes votes (never the chair's; none at all where the meeting has no chair) turn into
    # abstentions.
    v_item, v_member = w.votes["item"].to_numpy(), w.votes["member"].to_numpy()
    yes_vote = w.votes["choice"].to_numpy() == YES
    size = int(max(v_item.max(initial=-1), item.max(initial=-1))) + 1
    half_of = np.full(size, -1, dtype=np.int64)
    chair_of = np.full(size, -1, dtype=np.int64)
    named = voted.to_numpy() & chosen["chair"].is_not_null().to_numpy()
    half_of[item[named]] = half[named]
    chair_of[item[named]] = chosen["chair"].fill_null(-1).to_numpy()[named]
    rows = yes_vote & (half_of[v_item] >= 0) & (v_member != chair_of[v_item])
    yes = np.bincount(v_item[yes_vote], minlength=size)
    v = pl.DataFrame(
        {"item": v_item[rows], "member": v_member[rows], "yes": yes[v_item[rows]], "half": half_of[v_item[rows]]}
    )
    v = _rank(v, rng, "item")
    flip = v.filter(pl.col("rank") < pl.col("yes") - pl.col("half")).select(
        "item", "member", choice=pl.lit(ABSTAIN, dtype=pl.Int8)
    )
    return w.with_tables(items=items, votes=_update(w.votes, flip, ["item", "member"]))


def _entitled(w: World, items: pl.DataFrame) -> np.ndarray:
    """Attendance rows of each item's meeting less the item's recusals (``bincount`` by meeting and by item)."""
    meeting, item = items["meeting"].to_numpy(), items["item"].to_numpy()
    rows = np.bincount(w.attendance["meeting"].to_numpy(), minlength=int(meeting.max(initial=-1)) + 1)
    recused = np.bincount(w.recusals["item"].to_numpy(), minlength=int(item.max(initial=-1)) + 1)
    return (rows[meeting] - recused[item]).astype(np.int64)


def vot002(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """A vote recorded for a member who was on leave or absent (a written opinion counted as a vote)."""
    decided = _decided(w) if decided is None else decided
    named = decided.filter(_voted(w, decided)).select("item", "meeting")
    # Each named item with every member away from its meeting: the away rows are runs by meeting (attendance is in
    # (meeting, member) order), expanded per item, instead of a join of the items with the attendance.
    away = np.flatnonzero(w.attendance["status"].fill_null(PRESENT).to_numpy() != PRESENT)
    a_meeting, a_member = w.attendance["meeting"].to_numpy()[away], w.attendance["member"].to_numpy()[away]
    if len(a_meeting) > 1 and not (a_meeting[1:] >= a_meeting[:-1]).all():
        by_meeting = np.argsort(a_meeting, kind="stable")
        a_meeting, a_member = a_meeting[by_meeting], a_member[by_meeting]
    qi, pos = expand(*group_bounds(a_meeting, named["meeting"].to_numpy()))
    cand = pl.DataFrame({"item": named["item"].to_numpy()[qi], "member": a_member[pos]})
    cand = cand.filter(~_pairs_in(cand, w.votes))
    one = _one_per_group(cand.select("item", "member"), rng, "item")
    chosen = _choose(one, rng, rate, ["item", "member"])
    added = chosen.select("item", "member", choice=pl.lit(YES, dtype=pl.Int8), cast_order=pl.lit(None, dtype=pl.Int64))
    return w.with_tables(votes=_insert(w.votes, added, ["item", "member"]))


def vot003(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """A decision recorded with neither a tally nor the members' votes."""
    decided = _decided(w) if decided is None else decided
    chosen = _choose(decided.select("item"), rng, rate, ["item"])
    changes = chosen.with_columns(
        yes_count=pl.lit(None, dtype=pl.Int64),
        no_count=pl.lit(None, dtype=pl.Int64),
        abstain_count=pl.lit(None, dtype=pl.Int64),
    )
    return w.with_tables(
        items=_update(w.items, changes, ["item"]), votes=w.votes.filter(~_mask(chosen["item"], w.votes["item"]))
    )


def vot004(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """A member who had to withdraw from an item voted on it anyway."""
    decided = _decided(w) if decided is None else decided
    # Votes of decided items other than the chair's (none where the meeting has no chair), through a dense array of
    # chairs by item instead of a join with every vote; the vote table stays in (item, member) order.
    item, member = w.votes["item"].to_numpy(), w.votes["member"].to_numpy()
    chair_of = np.full(int(max(item.max(initial=-1), decided["item"].max() or 0)) + 1, -1, dtype=np.int64)
    chair_of[decided["item"].to_numpy()] = decided["chair"].fill_null(-1).to_numpy()
    chair = chair_of[item]
    voters = w.votes.select("item", "member").filter(pl.Series((chair >= 0) & (member != chair)))
    voters = voters.filter(~_pairs_in(voters, w.recusals))
    one = _one_per_group(voters.select("item", "member"), rng, "item")
    chosen = _choose(one, rng, rate, ["item", "member"])
    added = chosen.with_columns(reason=pl.Series(rng.integers(0, len(RECUSAL_REASONS), size=chosen.height)))
    return w.with_tables(recusals=_insert(w.recusals, added.select(w.recusals.columns), ["item", "member"]))


def vot005(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """The chair stated his position first instead of last."""
    decided = _decided(w) if decided is None else decided
    # Over the vote table's arrays (it is in (item, member) order): each decided item's chair and its earliest
    # ordered vote through dense arrays by item, instead of a join with every vote and a window minimum.
    item, member = w.votes["item"].to_numpy(), w.votes["member"].to_numpy()
    order = w.votes["cast_order"]
    rows = np.flatnonzero(order.is_not_null().to_numpy())
    size = int(max(item.max(initial=-1), decided["item"].max() or 0)) + 1
    chair_of = np.full(size, -1, dtype=np.int64)  # -1: not decided, or no chair (no vote is the chair's then)
    chair_of[decided["item"].to_numpy()] = decided["chair"].fill_null(-1).to_numpy()
    rows = rows[chair_of[item[rows]] >= 0]
    item, member, order = item[rows], member[rows], order.to_numpy()[rows].astype(np.int64)
    lowest = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, item, order)
    chair_order = np.full(size, -1, dtype=np.int64)
    is_chair = member == chair_of[item]
    chair_order[item[is_chair]] = order[is_chair]
    first = (order == lowest[item]) & (chair_order[item] > order)
    cand = pl.DataFrame(
        {
            "item": item[first],
            "member": chair_of[item[first]],
            "chair_order": chair_order[item[first]],
            "first_member": member[first],
            "first_order": order[first],
        }
    )
    chosen = _choose(cand, rng, rate, ["item"])
    changes = pl.concat(
        [
            chosen.select("item", "member", cast_order="first_order"),
            chosen.select("item", member="first_member", cast_order="chair_order"),
        ]
    )
    return w.with_tables(votes=_update(w.votes, changes, ["item", "member"]))


def vot006(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """Passed by a single vote where a close vote should have been deferred."""
    decided = _decided(w) if decided is None else decided
    passed = decided.filter((pl.col("decision") == PASSED) & ~pl.col("is_emergency"))
    tallied = passed.filter(~_voted(w, passed)).select("item", "meeting")
    e = _entitled(w, tallied)
    cand = tallied.select("item", e=pl.Series(e)).filter(pl.Series((e % 2 == 1) & (e >= 5)))
    chosen = _choose(cand, rng, rate, ["item"])
    changes = chosen.select(
        "item",
        yes_count=(pl.col("e") + 1) // 2,
        no_count=(pl.col("e") - 1) // 2,
        abstain_count=pl.lit(0, dtype=pl.Int64),
    )
    return w.with_tables(items=_update(w.items, changes, ["item"]))


def vot007(
    w: World, rng: np.random.Generator, rate: float, period: Period, decided: pl.DataFrame | None = None
) -> World:
    """A personnel decision taken by show of hands (or with no method recorded) instead of secret ballot."""
    decided = _decided(w) if decided is None else decided
    chosen = _choose(decided.filter(pl.col("category") == PERSONNEL).select("item"), rng, rate, ["item"])
    method = np.where(rng.random(chosen.height) < 0.7, SHOW_OF_HANDS, -1)
    changes = chosen.with_columns(vote_method=pl.Series(method, dtype=pl.Int8)).with_columns(
        pl.when(pl.col("vote_method") >= 0).then("vote_method").alias("vote_method")
    )
    return w.with_tables(items=_update(w.items, changes, ["item"]))


def votes(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """VOT001–VOT007, in that order, over one list of decided items: none of them changes which items are decided,
    their meetings or their chairs (only tallies, methods, votes and recusals), so the list is the same for each and
    is built once instead of seven times."""
    decided = _decided(w)
    for injection in (vot001, vot002, vot003, vot004, vot005, vot006, vot007):
        w = injection(w, rng, rate, period, decided)
    return w


def dq002(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A tally that disagrees with the members' recorded votes (one yes too many)."""
    named = w.items.filter(_voted(w, w.items)).select("item")
    chosen = _choose(named, rng, rate, ["item"])
    counts = (
        w.votes.join(chosen, on="item")
        .group_by("item")
        .agg(
            yes_count=(pl.col("choice") == YES).sum().cast(pl.Int64) + 1,
            no_count=(pl.col("choice") == NO).sum().cast(pl.Int64),
            abstain_count=(pl.col("choice") == ABSTAIN).sum().cast(pl.Int64),
        )
    )
    return w.with_tables(items=_update(w.items, counts, ["item"]))


# -- reports and ledgers -----------------------------------------------------------------------------------------------


def _late_or_missing(
    w: World, rng: np.random.Generator, chosen: pl.DataFrame, late_on: np.ndarray, as_of: int
) -> World:
    """Reports in ``chosen`` either vanish or move to ``late_on`` (vanish when that is after as_of)."""
    late = (rng.random(chosen.height) < 0.5) & (late_on < as_of)
    moved = chosen.filter(pl.Series(late)).select("report", submitted_on=pl.Series(late_on[late]))
    gone = chosen.filter(pl.Series(~late)).select("report")
    reports = _delete(_update(w.reports, moved, ["report"]), gone, ["report"])
    return w.with_tables(reports=reports)


def dlm003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """The democratic life meeting's report filed late (16–30 days after) or never."""
    r = w.reports.filter(pl.col("kind") == DL_REPORT).join(
        w.meetings.select(meeting="meeting", held="held_on"), on="meeting"
    )
    chosen = _choose(r.select("report", "held"), rng, rate, ["report"])
    late_on = chosen["held"].to_numpy() + rng.integers(16, 31, size=chosen.height)
    return _late_or_missing(w, rng, chosen, late_on, period.as_of)


def dlm004(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """The democratic life meeting's plan sent for approval less than ten days ahead, or not at all."""
    r = w.reports.filter(pl.col("kind") == DL_PLAN).join(
        w.meetings.select(meeting="meeting", held="held_on"), on="meeting"
    )
    chosen = _choose(r.select("report", "held"), rng, rate, ["report"])
    late_on = chosen["held"].to_numpy() - rng.integers(0, 10, size=chosen.height)
    return _late_or_missing(w, rng, chosen, late_on, period.as_of)


def rpt001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """The annual work report filed after 31 March (sometimes without its year, so it counts for the year it was
    filed in), or never."""
    r = w.reports.filter(pl.col("kind") == ANNUAL_WORK)
    chosen = _choose(r.select("report", "submitted_on"), rng, rate, ["report"])
    sub = chosen["submitted_on"].to_numpy()
    late_on = day(year_of(sub), 4, 1) + rng.integers(0, 60, size=chosen.height)
    w = _late_or_missing(w, rng, chosen, late_on, period.as_of)
    blank = chosen.filter(pl.Series(rng.random(chosen.height) < 0.3)).select(
        "report", period_year=pl.lit(None, dtype=pl.Int64)
    )
    return w.with_tables(reports=_update(w.reports, blank, ["report"]))


def _rect_dates(
    w: World, chosen: pl.DataFrame, column: str, values: np.ndarray, as_of: int, null: np.ndarray | None = None
) -> World:
    """Set a date of chosen rectifications; a date after as_of is not known yet and reads as empty."""
    keep = (values < as_of) if null is None else ((values < as_of) & ~null)
    changes = (
        chosen.select("rect")
        .with_columns(pl.Series(column, np.where(keep, values, 0)))
        .with_columns(pl.when(pl.Series(keep)).then(pl.col(column)).alias(column))
    )
    return w.with_tables(rectifications=_update(w.rectifications, changes, ["rect"]))


def rec001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A rectification past its deadline and still open."""
    r = w.rectifications.filter(pl.col("closed_on").is_not_null() & (pl.col("due_on") < period.as_of))
    chosen = _choose(r.select("rect"), rng, rate, ["rect"])
    return _rect_dates(
        w,
        chosen,
        "closed_on",
        np.zeros(chosen.height, dtype=np.int64),
        period.as_of,
        null=np.ones(chosen.height, dtype=bool),
    )


def rec002(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A rectification closed after its deadline (still open at as_of when that is later)."""
    r = w.rectifications.filter(pl.col("closed_on").is_not_null() & pl.col("due_on").is_not_null())
    chosen = _choose(r.select("rect", "due_on"), rng, rate, ["rect"])
    late = chosen["due_on"].to_numpy() + rng.integers(1, 31, size=chosen.height)
    return _rect_dates(w, chosen, "closed_on", late, period.as_of)


def rec003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Measures for a democratic-life finding set more than a month later, or never."""
    r = w.rectifications.filter(pl.col("source") == SRC_DEMOCRATIC_LIFE)
    chosen = _choose(r.select("rect", "found_on"), rng, rate, ["rect"])
    late = add_months_clamped(chosen["found_on"].to_numpy(), 1) + rng.integers(1, 21, size=chosen.height)
    return _rect_dates(w, chosen, "measures_on", late, period.as_of, null=rng.random(chosen.height) < 0.4)


def rec004(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A rectification with nobody responsible, or no deadline."""
    chosen = _choose(w.rectifications.select("rect"), rng, rate, ["rect"])
    no_owner = rng.random(chosen.height) < 0.5
    w = w.with_tables(
        rectifications=_update(
            w.rectifications,
            chosen.filter(pl.Series(no_owner)).with_columns(owner=pl.lit(None, dtype=pl.Int64)),
            ["rect"],
        )
    )
    no_due = chosen.filter(pl.Series(~no_owner)).with_columns(due_on=pl.lit(None, dtype=pl.Int64))
    return w.with_tables(rectifications=_update(w.rectifications, no_due, ["rect"]))


def rec005(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """An inspection's written rectification report filed after seven days, or never."""
    r = w.rectifications.filter(pl.col("source") == SRC_INSPECTION)
    chosen = _choose(r.select("rect", "found_on"), rng, rate, ["rect"])
    late = chosen["found_on"].to_numpy() + rng.integers(8, 21, size=chosen.height)
    return _rect_dates(w, chosen, "report_on", late, period.as_of, null=rng.random(chosen.height) < 0.5)


# -- yearly personal duties ------------------------------------------------------------------------------------------


def _member_years(w: World, kind: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(activity, member, year) of the activities of a kind."""
    rows = w.activities["kind"].to_numpy() == kind
    return (
        w.activities["activity"].to_numpy()[rows],
        w.activities["member"].to_numpy()[rows],
        year_of(w.activities["on_date"].to_numpy()[rows]),
    )


def _cut_years(
    w: World,
    rng: np.random.Generator,
    rate: float,
    rows: tuple[np.ndarray, np.ndarray, np.ndarray],
    left: Callable[[int], np.ndarray] | None,
    kept: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
) -> World:
    """Delete activities of chosen (who, year)s: ``rows`` are the candidate (activity, who, year)s; the (who, year)s
    are drawn in key order, then ``left(chosen)`` (a number per chosen year, or None), then a random rank of each
    hit row within its year; ``kept(rank, size of its year, its left)`` says which rows stay.

    Over (who, year) cells of a dense table in NumPy (the cells that hold a row are the distinct years, in key
    order): the same draws in the same order as the distinct, choose, join and rank over Polars frames this
    replaces."""
    activity, who, year = rows
    if not len(activity):  # nothing to draw (draws of size 0 take nothing from the generator)
        return w
    # (who, year) as cells of a dense table, in key order: the distinct ones are the cells that hold a row.
    y0 = int(year.min())
    span = int(year.max()) - y0 + 1
    cell = who.astype(np.int64) * span + (year - y0)
    used = np.zeros(int(cell.max()) + 1, dtype=bool)
    used[cell] = True
    distinct = np.flatnonzero(used)
    chosen = distinct[rng.random(len(distinct)) < rate]
    per_year = left(len(chosen)) if left is not None else np.zeros(len(chosen), dtype=np.int64)
    if not len(chosen):
        return w
    slot = np.full(len(used), -1, dtype=np.int64)
    slot[chosen] = np.arange(len(chosen), dtype=np.int64)
    hit = np.flatnonzero(slot[cell] >= 0)
    hit = hit[lexsort((activity[hit], cell[hit]))]  # by year, then activity: the order the rank is drawn in
    group = cell[hit]
    rank = _draw_ranks(group, rng.random(len(hit)))
    starts = _runs(group)
    size = np.diff(np.append(starts, len(hit)))
    gone = activity[hit][~kept(rank, np.repeat(size, size), per_year[slot[group]])]
    return w.with_tables(activities=_delete(w.activities, pl.DataFrame({"activity": gone}), ["activity"]))


def _thin_activities(kind: int, kept: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Injection:
    def inject(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
        return _cut_years(w, rng, rate, _member_years(w, kind), None, lambda rank, k, _: kept(rank, k))

    return inject


#: RES001: no research report in the year.
res001 = _thin_activities(RESEARCH_REPORT, lambda rank, k: np.zeros(len(rank), dtype=bool))
res001.__doc__ = "No research report in a year."
#: RES002: half of the year's grassroots days (rounded up) dropped: at most 40 of 60–80 days remain.
res002 = _thin_activities(GRASSROOTS_DAYS, lambda rank, k: rank >= (k + 1) // 2)
res002.__doc__ = "Fewer than sixty days at the grassroots in a year."


def stu003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Fewer than four study articles: the year keeps between none and three of them."""
    return _cut_years(
        w,
        rng,
        rate,
        _member_years(w, STUDY_ARTICLE),
        lambda n: rng.integers(0, 4, size=n),
        lambda rank, k, left: rank < left,
    )


def tlk001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Talks with the secretary short of the quota: one left (short only where two are required) or none."""
    activity, member, year = _member_years(w, TALK)
    rows = w.activities["kind"].to_numpy() == TALK
    counterpart = w.activities["counterpart"].fill_null(-1).to_numpy()[rows]
    secretary = np.zeros(
        int(max(w.members["member"].max() or 0, member.max(initial=0), counterpart.max(initial=0))) + 1, dtype=bool
    )
    secretary[w.members.filter(pl.col("role") == SECRETARY)["member"].to_numpy()] = True
    # A talk counts for the member when the counterpart is a secretary, and for the counterpart when the member is.
    by_member = (counterpart >= 0) & secretary[np.maximum(counterpart, 0)]
    by_secretary = secretary[member] & (counterpart >= 0)
    rows = (
        np.concatenate([activity[by_member], activity[by_secretary]]),
        np.concatenate([member[by_member], counterpart[by_secretary]]),
        np.concatenate([year[by_member], year[by_secretary]]),
    )
    return _cut_years(w, rng, rate, rows, lambda n: rng.integers(0, 2, size=n), lambda rank, k, left: rank < left)


#: Every rule's injection, in the order they are applied (whole meetings first, then what is recorded on them).
INJECTIONS: tuple[tuple[str, Injection], ...] = (
    ("MTG001, STU002, DLM001", mtg001_stu002_dlm001),
    ("MTG002", mtg002),
    ("MTG003", mtg003),
    ("DLM002", dlm002),
    ("ATT001", att001),
    ("STU001", stu001),
    ("DQ003", dq003),
    ("MTG004", mtg004),
    ("MTG006", mtg006),
    ("MTG009", mtg009),
    ("MTG005", mtg005),
    ("MTG007", mtg007),
    ("MTG008", mtg008),
    ("VOT001, VOT002, VOT003, VOT004, VOT005, VOT006, VOT007", votes),
    ("DQ002", dq002),
    ("DQ004", dq004),
    ("DQ001", dq001),
    ("DLM003", dlm003),
    ("DLM004", dlm004),
    ("RPT001", rpt001),
    ("REC001", rec001),
    ("REC002", rec002),
    ("REC003", rec003),
    ("REC004", rec004),
    ("REC005", rec005),
    ("STU003", stu003),
    ("TLK001", tlk001),
    ("RES001", res001),
    ("RES002", res002),
)


def inject(world: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """The world with every rule's violations injected at ``rate`` (nothing changes at rate 0)."""
    if rate <= 0:
        return world
    for _, injection in INJECTIONS:
        world = injection(world, rng, rate, period)
    return world
