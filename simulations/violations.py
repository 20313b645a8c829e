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
from simulations.world import World, rank_in_groups

Injection = Callable[[World, np.random.Generator, float, Period], World]


def _choose(frame: pl.DataFrame, rng: np.random.Generator, rate: float, by: list[str]) -> pl.DataFrame:
    """Each candidate with probability ``rate``; candidates are ordered first, so the draw is reproducible."""
    if not _strictly_sorted(frame, by):  # most candidate sets come in key order already: a sort is a copy
        frame = frame.sort(by)
    return frame.filter(pl.Series(rng.random(frame.height) < rate, dtype=pl.Boolean))


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


def _year(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int32).cast(pl.Date).dt.year().cast(pl.Int64)


def _mask(ids: pl.Series | np.ndarray, values: pl.Series) -> pl.Series:
    """``values`` is in ``ids`` (both non-negative integer indices), through a dense lookup array."""
    ids_np = ids.to_numpy() if isinstance(ids, pl.Series) else ids
    v = values.fill_null(-1).to_numpy()
    size = int(max(ids_np.max(initial=-1), v.max(initial=-1))) + 1
    hit = np.zeros(size + 1, dtype=bool)
    hit[ids_np] = True
    return pl.Series(hit[v])  # -1 (null) reads the last slot, which is never set


def drop_meetings(w: World, gone: pl.DataFrame) -> World:
    """Delete meetings with everything recorded on them (attendance, items, votes, recusals, their reports and the
    rectifications they found), as if they had never been held."""
    ids = gone["meeting"]
    item_gone = _mask(ids, w.items["meeting"])
    items_gone = w.items.filter(item_gone)["item"]
    return w.with_tables(
        meetings=w.meetings.filter(~_mask(ids, w.meetings["meeting"])),
        attendance=w.attendance.filter(~_mask(ids, w.attendance["meeting"])),
        items=w.items.filter(~item_gone).with_columns(
            refers_to=pl.when(_mask(ids, w.items.filter(~item_gone)["refers_to"])).then(None).otherwise("refers_to")
        ),
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
    first = frame[key[0]].to_numpy().astype(np.int64)
    return first if len(key) == 1 else first * (1 << 32) + frame[key[1]].to_numpy()


def _update(frame: pl.DataFrame, changes: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Write the changed columns into the rows whose key is in ``changes`` (nulls in ``changes`` are written).

    Every table stays sorted by its key, so rows are found by binary search and written in place: no join.
    """
    if not changes.height:
        return frame
    fk, ck = _key(frame, key), _key(changes, key)
    pos = np.minimum(np.searchsorted(fk, ck), max(len(fk) - 1, 0))
    found = fk[pos] == ck if len(fk) else np.zeros(len(ck), dtype=bool)
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


def _counts(w: World, present_only: bool = False) -> pl.DataFrame:
    """Attendance rows (or present rows) per meeting, for every meeting."""
    meeting = w.attendance["meeting"].to_numpy()
    weights = (w.attendance["status"].to_numpy() == PRESENT) if present_only else None
    size = int(w.meetings["meeting"].max() or 0) + 1
    n = np.bincount(meeting, weights=weights, minlength=size).astype(np.int64)
    return pl.DataFrame({"meeting": np.arange(size, dtype=np.int64), "n": n})


def _rows_of(w: World, meetings: pl.DataFrame) -> pl.DataFrame:
    """Attendance rows of some meetings (a filter through a lookup, not a join over the whole table)."""
    return w.attendance.filter(_mask(meetings["meeting"], w.attendance["meeting"]))


def _rank(frame: pl.DataFrame, rng: np.random.Generator, group: str) -> pl.DataFrame:
    """A random 0-based rank of each row within its group (rows ordered first, so it is reproducible)."""
    frame = frame.sort(group, *[c for c in frame.columns if c != group])
    keys = frame[group].to_numpy()
    order = np.lexsort((rng.random(frame.height), keys))  # by group, then by the random draw
    rank = np.empty(frame.height, dtype=np.int64)
    rank[order] = rank_in_groups(keys[order])
    return frame.with_columns(rank=pl.Series(rank))


def _at_meetings(w: World, meeting: pl.Series) -> np.ndarray:
    """Row in ``w.meetings`` (sorted by meeting) of each referenced meeting: a gather instead of a join."""
    return np.searchsorted(w.meetings["meeting"].to_numpy(), meeting.to_numpy())


# -- meetings: whole months, years and meetings ----------------------------------------------------------------------


def _empty_months(w: World, rng: np.random.Generator, rate: float, kind: int) -> pl.DataFrame:
    """The meetings of a kind in the chosen org-months of that kind (to delete)."""
    held = w.meetings.filter(pl.col("kind") == kind)
    held = held.with_columns(month=pl.Series(month_index(held["held_on"].to_numpy())))
    # Meetings come in (org, date) order, so the distinct org-months in order of appearance are in key order.
    months = _choose(held.select("org", "month").unique(maintain_order=True), rng, rate, ["org", "month"])
    return held.join(months, on=["org", "month"], how="semi").select("meeting")


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
    keep = (rows["status"].to_numpy() == PRESENT) & (member != chair)
    present = _counts(w, present_only=True)["n"].to_numpy()
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
    return w.meetings.with_columns(n=pl.Series(n[w.meetings["meeting"].to_numpy()]))


def mtg002(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A party-group meeting held with fewer than half of its members present (the rest on leave)."""
    m = _sized(w).filter((pl.col("kind") == PARTY_GROUP) & (pl.col("n") >= 4))
    m = _choose(m, rng, rate, ["meeting"]).with_columns(target=(pl.col("n") - 1) // 2)
    return _thin_out(w, rng, m, LEAVE)


def mtg003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A meeting deciding personnel, discipline or major matters with half, but not two thirds, present."""
    with_items = w.items.filter(pl.col("category").is_in([PERSONNEL, DISCIPLINE, MAJOR_DECISION])).select("meeting")
    m = _sized(w).filter(pl.col("kind").is_in([PARTY_GROUP, SECRETARY_OFFICE]) & (pl.col("n") >= 4))
    m = m.filter(_mask(with_items["meeting"], m["meeting"]))
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
    m = w.meetings.filter(pl.col("minutes_no").is_not_null()).with_columns(year=_year("held_on"))
    top = m.group_by("org", "year").agg(top=pl.col("minutes_no").max())
    years = _choose(top.filter(pl.col("top") >= 3), rng, rate, ["org", "year"])
    pick = years.with_columns(
        at=pl.Series((2 + rng.random(years.height) * (years["top"].to_numpy() - 2)).astype(np.int64)),
        dup=pl.Series(rng.random(years.height) < 0.5),
    )
    hit = m.join(pick, on=["org", "year"]).filter(pl.col("minutes_no") >= pl.col("at"))
    changes = hit.select(
        "meeting",
        minutes_no=pl.when(pl.col("dup"))
        .then(pl.when(pl.col("minutes_no") == pl.col("at")).then(pl.col("at") - 1).otherwise("minutes_no"))
        .otherwise(pl.col("minutes_no") + 1),
    )
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
    pg = w.meetings.filter(pl.col("kind") == PARTY_GROUP)["meeting"]
    firsts = w.items.filter((pl.col("seq") == 1) & (pl.col("category") == FIRST_TOPIC))
    firsts = firsts.filter(_mask(pg, firsts["meeting"]))  # a look-up, not a semi-join of every item
    seconds = w.items.filter(pl.col("seq") == 2).select("meeting", second="item")
    chosen = _choose(firsts.select("item", "meeting").join(seconds, on="meeting", how="left"), rng, rate, ["item"])
    swap = chosen.filter(pl.col("second").is_not_null() & pl.Series(rng.random(chosen.height) < 0.6))
    relabel = chosen.join(swap, on="item", how="anti")
    changes = pl.concat(
        [
            swap.select("item", seq=pl.lit(2, dtype=pl.Int64), category=pl.lit(FIRST_TOPIC, dtype=pl.Int8)),
            swap.select(item="second", seq=pl.lit(1, dtype=pl.Int64), category=pl.lit(GENERAL, dtype=pl.Int8)),
            relabel.select("item", seq=pl.lit(1, dtype=pl.Int64), category=pl.lit(GENERAL, dtype=pl.Int8)),
        ]
    )
    # The second item keeps its own category when swapped: read it back.
    keep_cat = w.items.select("item", own=pl.col("category"))
    changes = (
        changes.join(keep_cat, on="item", how="left")
        .with_columns(
            category=pl.when(pl.col("item").is_in(swap["second"].implode())).then("own").otherwise("category")
        )
        .drop("own")
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
    rows = (
        _rows_of(w, m)
        .join(m, on="meeting")
        .filter((pl.col("status") == PRESENT) & (pl.col("member") != pl.col("chair").fill_null(-1)))
        .select("meeting", "member")
    )
    one = _rank(rows, rng, "meeting").filter(pl.col("rank") == 0)
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
    rows = (
        _rows_of(w, m)
        .join(m, on="meeting")
        .filter(pl.col("member") != pl.col("chair").fill_null(-1))
        .select("meeting", "member")
    )
    one = _rank(rows, rng, "meeting").filter(pl.col("rank") == 0).select("meeting", "member")
    return w.with_tables(attendance=_delete(w.attendance, one, ["meeting", "member"]))


def stu001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A member who attended too little of a year's study: on leave throughout, or only half an hour each time."""
    # Member-years as packed keys (member * 2**16 + year): the distinct ones come sorted from ``np.unique``, and the
    # rows of the chosen ones are found by binary search, where joins on two columns cost three times as much.
    study = w.meetings.filter(pl.col("kind") == STUDY)
    year_at = np.zeros(int(w.meetings["meeting"].max() or 0) + 1, dtype=np.int64)
    year_at[study["meeting"].to_numpy()] = year_of(study["held_on"].to_numpy())
    rows = _rows_of(w, study)
    key = (rows["member"].to_numpy().astype(np.int64) << 16) | year_at[rows["meeting"].to_numpy()]
    distinct = np.unique(key)
    years = _choose(pl.DataFrame({"member": distinct >> 16, "year": distinct & 0xFFFF}), rng, rate, ["member", "year"])
    chosen = (years["member"].to_numpy() << 16) | years["year"].to_numpy()
    token = rng.random(years.height) < 0.5
    pos = np.minimum(np.searchsorted(chosen, key), max(len(chosen) - 1, 0))
    hit = chosen[pos] == key if len(chosen) else np.zeros(len(key), dtype=bool)
    keep = pl.Series(token[pos[hit]]) if len(chosen) else pl.Series([], dtype=pl.Boolean)
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
    """Items passed or rejected outside emergency decisions, with their meeting's chair and emergency flag (one
    filter of the item table: each filter copies every column)."""
    m = w.meetings
    at = _at_meetings(w, w.items["meeting"])
    decision = w.items["decision"].fill_null(-1).to_numpy()
    keep = ((decision == PASSED) | (decision == REJECTED)) & (m["kind"].to_numpy()[at] != EMERGENCY_DECISION)
    at = pl.Series(at[keep])
    return w.items.filter(pl.Series(keep)).with_columns(
        chair=m["chair"].gather(at), is_emergency=m["is_emergency"].gather(at)
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


def vot001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Declared passed although the yes votes are no more than half of those entitled."""
    passed = _decided(w).filter(pl.col("decision") == PASSED)
    chosen = _choose(passed.select("item", "meeting", "chair", "yes_count"), rng, rate, ["item"])
    n = _counts(w)
    rec = w.recusals.group_by("item").agg(r=pl.len())
    chosen = (
        chosen.join(n, on="meeting")
        .join(rec, on="item", how="left")
        .with_columns(half=(pl.col("n") - pl.col("r").fill_null(0)) // 2)
    )
    voted = _voted(w, chosen)
    named, tallied = chosen.filter(voted), chosen.filter(~voted)
    # Tally only: the tally itself says too few; the rest abstained.
    t_changes = tallied.select(
        "item",
        yes_count=pl.col("half"),
        no_count=pl.lit(0, dtype=pl.Int64),
        abstain_count=pl.col("n") - pl.col("r").fill_null(0) - pl.col("half"),
    )
    items = _update(w.items, t_changes, ["item"])
    # Named votes: enough yes votes (never the chair's) turn into abstentions.
    v = w.votes.join(named.select("item", "chair", "half"), on="item").filter(
        (pl.col("choice") == YES) & (pl.col("member") != pl.col("chair"))
    )
    yes = w.votes.filter(pl.col("choice") == YES).group_by("item").agg(yes=pl.len())
    v = _rank(v.join(yes, on="item").select("item", "member", "yes", "half"), rng, "item")
    flip = v.filter(pl.col("rank") < pl.col("yes") - pl.col("half")).select(
        "item", "member", choice=pl.lit(ABSTAIN, dtype=pl.Int8)
    )
    return w.with_tables(items=items, votes=_update(w.votes, flip, ["item", "member"]))


def vot002(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A vote recorded for a member who was on leave or absent (a written opinion counted as a vote)."""
    decided = _decided(w)
    named = decided.filter(_voted(w, decided)).select("item", "meeting")
    away = w.attendance.filter(pl.col("status") != PRESENT).select("meeting", "member")
    cand = named.join(away, on="meeting")
    cand = cand.filter(~_pairs_in(cand, w.votes))
    one = _rank(cand.select("item", "member"), rng, "item").filter(pl.col("rank") == 0).drop("rank")
    chosen = _choose(one, rng, rate, ["item", "member"])
    added = chosen.select("item", "member", choice=pl.lit(YES, dtype=pl.Int8), cast_order=pl.lit(None, dtype=pl.Int64))
    return w.with_tables(votes=_insert(w.votes, added, ["item", "member"]))


def vot003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A decision recorded with neither a tally nor the members' votes."""
    chosen = _choose(_decided(w).select("item"), rng, rate, ["item"])
    changes = chosen.with_columns(
        yes_count=pl.lit(None, dtype=pl.Int64),
        no_count=pl.lit(None, dtype=pl.Int64),
        abstain_count=pl.lit(None, dtype=pl.Int64),
    )
    return w.with_tables(
        items=_update(w.items, changes, ["item"]), votes=w.votes.filter(~_mask(chosen["item"], w.votes["item"]))
    )


def vot004(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A member who had to withdraw from an item voted on it anyway."""
    decided = _decided(w)
    named = decided.filter(_voted(w, decided)).select("item", "chair")
    voters = w.votes.join(named, on="item").filter(pl.col("member") != pl.col("chair"))
    voters = voters.filter(~_pairs_in(voters, w.recusals))
    one = _rank(voters.select("item", "member"), rng, "item").filter(pl.col("rank") == 0).drop("rank")
    chosen = _choose(one, rng, rate, ["item", "member"])
    added = chosen.with_columns(reason=pl.Series(rng.integers(0, len(RECUSAL_REASONS), size=chosen.height)))
    return w.with_tables(recusals=_insert(w.recusals, added.select(w.recusals.columns), ["item", "member"]))


def vot005(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """The chair stated his position first instead of last."""
    named = _decided(w).select("item", "chair")
    v = w.votes.join(named, on="item").filter(pl.col("cast_order").is_not_null())
    chair_votes = v.filter(pl.col("member") == pl.col("chair")).select("item", "member", chair_order="cast_order")
    first = v.filter(pl.col("cast_order") == pl.col("cast_order").min().over("item")).select(
        "item", first_member="member", first_order="cast_order"
    )
    cand = chair_votes.join(first, on="item").filter(pl.col("first_order") < pl.col("chair_order"))
    chosen = _choose(cand, rng, rate, ["item"])
    changes = pl.concat(
        [
            chosen.select("item", "member", cast_order="first_order"),
            chosen.select("item", member="first_member", cast_order="chair_order"),
        ]
    )
    return w.with_tables(votes=_update(w.votes, changes, ["item", "member"]))


def vot006(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Passed by a single vote where a close vote should have been deferred."""
    passed = _decided(w).filter((pl.col("decision") == PASSED) & ~pl.col("is_emergency"))
    tallied = passed.filter(~_voted(w, passed))
    n = _counts(w)
    rec = w.recusals.group_by("item").agg(r=pl.len())
    cand = (
        tallied.select("item", "meeting")
        .join(n, on="meeting")
        .join(rec, on="item", how="left")
        .with_columns(e=pl.col("n") - pl.col("r").fill_null(0))
        .filter((pl.col("e") % 2 == 1) & (pl.col("e") >= 5))
    )
    chosen = _choose(cand, rng, rate, ["item"])
    changes = chosen.select(
        "item",
        yes_count=(pl.col("e") + 1) // 2,
        no_count=(pl.col("e") - 1) // 2,
        abstain_count=pl.lit(0, dtype=pl.Int64),
    )
    return w.with_tables(items=_update(w.items, changes, ["item"]))


def vot007(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """A personnel decision taken by show of hands (or with no method recorded) instead of secret ballot."""
    chosen = _choose(_decided(w).filter(pl.col("category") == PERSONNEL).select("item"), rng, rate, ["item"])
    method = np.where(rng.random(chosen.height) < 0.7, SHOW_OF_HANDS, -1)
    changes = chosen.with_columns(vote_method=pl.Series(method, dtype=pl.Int8)).with_columns(
        pl.when(pl.col("vote_method") >= 0).then("vote_method").alias("vote_method")
    )
    return w.with_tables(items=_update(w.items, changes, ["item"]))


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


def _member_years(w: World, kind: int) -> pl.DataFrame:
    acts = w.activities.filter(pl.col("kind") == kind)
    return acts.with_columns(year=pl.Series(year_of(acts["on_date"].to_numpy())))


def _thin_activities(kind: int, keep: Callable[[pl.DataFrame], pl.Expr]) -> Injection:
    def inject(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
        acts = _member_years(w, kind)
        years = _choose(acts.select("member", "year").unique(), rng, rate, ["member", "year"])
        hit = acts.join(years, on=["member", "year"]).select("activity", "member", "year", "quantity")
        hit = _rank(hit.with_columns(group=pl.col("member") * 10000 + pl.col("year")), rng, "group")
        hit = hit.with_columns(k=pl.len().over("group"))
        gone = hit.filter(~keep(hit)).select("activity")
        return w.with_tables(activities=_delete(w.activities, gone, ["activity"]))

    return inject


#: RES001: no research report in the year.
res001 = _thin_activities(RESEARCH_REPORT, lambda f: pl.lit(False))
res001.__doc__ = "No research report in a year."
#: RES002: half of the year's grassroots days (rounded up) dropped: at most 40 of 60–80 days remain.
res002 = _thin_activities(GRASSROOTS_DAYS, lambda f: pl.col("rank") >= (pl.col("k") + 1) // 2)
res002.__doc__ = "Fewer than sixty days at the grassroots in a year."


def stu003(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Fewer than four study articles: the year keeps between none and three of them."""
    acts = _member_years(w, STUDY_ARTICLE)
    years = _choose(acts.select("member", "year").unique(), rng, rate, ["member", "year"])
    years = years.with_columns(left=pl.Series(rng.integers(0, 4, size=years.height)))
    hit = acts.join(years, on=["member", "year"]).select("activity", "member", "year", "left")
    hit = _rank(hit.with_columns(group=pl.col("member") * 10000 + pl.col("year")), rng, "group")
    gone = hit.filter(pl.col("rank") >= pl.col("left")).select("activity")
    return w.with_tables(activities=_delete(w.activities, gone, ["activity"]))


def tlk001(w: World, rng: np.random.Generator, rate: float, period: Period) -> World:
    """Talks with the secretary short of the quota: one left (short only where two are required) or none."""
    secretaries = w.members.filter(pl.col("role") == SECRETARY).select("member")
    talks = _member_years(w, TALK)
    by_member = talks.join(secretaries.rename({"member": "counterpart"}), on="counterpart", how="semi").select(
        "activity", "year", who="member"
    )
    by_secretary = talks.join(secretaries, on="member", how="semi").select("activity", "year", who="counterpart")
    both = pl.concat([by_member, by_secretary])
    years = _choose(both.select("who", "year").unique(), rng, rate, ["who", "year"])
    years = years.with_columns(left=pl.Series(rng.integers(0, 2, size=years.height)))
    hit = both.join(years, on=["who", "year"])
    hit = _rank(hit.with_columns(group=pl.col("who") * 10000 + pl.col("year")).drop("who"), rng, "group")
    gone = hit.filter(pl.col("rank") >= pl.col("left")).select("activity")
    return w.with_tables(activities=_delete(w.activities, gone, ["activity"]))


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
    ("VOT001", vot001),
    ("VOT002", vot002),
    ("VOT003", vot003),
    ("VOT004", vot004),
    ("VOT005", vot005),
    ("VOT006", vot006),
    ("VOT007", vot007),
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
