"""The base world: a county's Party groups keeping their meetings, ledgers and duties as the regulations ask.

Everything here is generated per chunk of organisations with NumPy arrays (no Python loop over rows), and the result
complies with every rule of every rulebook under its strictest setting, so that violations come from injection
alone (:mod:`simulations.violations`). Where a rule constrains what random draws may produce, the draw is bounded:

- at most ⌊n/3⌋ of a meeting's n rostered members are missing, which keeps two thirds present (MTG002, MTG003 with
  any category set, DLM002); the chair is always present;
- a party-group notice is sent 2–5 days ahead and always spans a working day (MTG004 with ``working_days``);
- a passed item has more yes votes than half of those entitled and wins by at least two (VOT001, VOT006);
- every member attends at least half of the study hours of each year (repaired after the draw where leave and
  partial attendance would fall short: STU001);
- quotas are met with the largest minimum of any rulebook (two talks with a secretary: TLK001 in zhacun-town-2018).

The records begin with the period: organisations that predate it are written as established on its first day, and
their sitting members took office during the year before it (a 换届), so no earlier month or year is judged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from simulations.codes import (
    ABSENT,
    ABSTAIN,
    ANNUAL_WORK,
    DEFERRED,
    DEMOCRATIC_LIFE,
    DEPUTY,
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
    MEMBER,
    NAMED_BALLOT,
    NO,
    NO_DECISION,
    ORAL,
    OTHER_MEETING,
    PARTY_GROUP,
    PASSED,
    PERSONNEL,
    PRESENT,
    REJECTED,
    REPORT_ITEM,
    RESEARCH_REPORT,
    SECRET_BALLOT,
    SECRETARY,
    SECRETARY_OFFICE,
    SHOW_OF_HANDS,
    SRC_AUDIT,
    SRC_DEMOCRATIC_LIFE,
    SRC_INSPECTION,
    SRC_OTHER,
    STUDY,
    STUDY_ARTICLE,
    TALK,
    YES,
    day,
    month_index,
    month_start,
    weekday_in_range,
    working_days_between,
    year_of,
)
from simulations.organisations import Period
from simulations.phrases import EMERGENCY_TOPICS, RECTIFICATION_DESCRIPTIONS, RECUSAL_REASONS
from simulations.world import World, among, expand, group_bounds, lexsort, nullable, pick, rank_in_groups

BIG = np.int64(1 << 20)  # day numbers stay below 2**20 (until year 4840): (org, day) packs into one int64 key
NAN = np.nan


def grouped_cumsum(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Running sum of values within each run of equal (grouped) keys."""
    cs = np.cumsum(values)
    rank = rank_in_groups(keys)
    start_rows = np.arange(len(keys)) - rank
    return cs - cs[start_rows] + values[start_rows]


def _last_in_group(groups: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One random row per group: (group, row index) pairs, groups ascending."""
    draw = rng.random(len(groups))
    n = len(groups)
    if n and bool((groups[1:] >= groups[:-1]).all()):
        # Groups come in runs (every caller's): the row of each run with the largest draw (the last of equal ones,
        # as a stable sort by (group, draw) would give), by per-run maxima instead of a sort of every row.
        new = np.ones(n, dtype=bool)
        new[1:] = groups[1:] != groups[:-1]
        starts = np.flatnonzero(new)
        run = np.cumsum(new) - 1
        best = np.flatnonzero(draw == np.maximum.reduceat(draw, starts)[run])
        last = np.ones(len(best), dtype=bool)
        last[:-1] = run[best[1:]] != run[best[:-1]]
        return groups[starts], best[last]
    order = lexsort((draw, groups))
    g = groups[order]
    last = np.ones(len(g), dtype=bool)
    last[:-1] = g[1:] != g[:-1]
    return g[last], order[last]


@dataclass
class _Orgs:
    org: np.ndarray  # global org index
    exists_from: np.ndarray
    exists_until: np.ndarray
    size: np.ndarray
    term_start: np.ndarray


@dataclass
class _Members:
    org: np.ndarray  # local org index
    start: np.ndarray
    end: np.ndarray  # exclusive; exists_until of the org when the member never left
    role: np.ndarray
    person: np.ndarray
    # members overlapping each (org, year), sorted by (org, year, member): for roster look-ups
    oy_key: np.ndarray
    oy_member: np.ndarray


class _Generator:
    def __init__(self, orgs: pl.DataFrame, period: Period, rng: np.random.Generator, n_names: int) -> None:
        self.frame = orgs
        self.o = _Orgs(
            org=orgs["org"].to_numpy(),
            exists_from=orgs["exists_from"].to_numpy(),
            exists_until=orgs["exists_until"].to_numpy(),
            size=orgs["size"].to_numpy(),
            term_start=orgs["term_start"].to_numpy(),
        )
        self.period = period
        self.rng = rng
        self.n_names = n_names
        self.y0 = period.start_year
        self.n_years = period.years
        self.as_of = period.as_of

    # -- members ---------------------------------------------------------------------------------------------------
    def members(self) -> pl.DataFrame:
        o, rng = self.o, self.rng
        seat_org = np.repeat(np.arange(len(o.size)), o.size)
        n_seats = len(seat_org)
        seat_no = rank_in_groups(seat_org)
        n_deputies = 1 + (o.size >= 8)
        seat_role = np.where(seat_no == 0, SECRETARY, np.where(seat_no <= n_deputies[seat_org], DEPUTY, MEMBER))
        predates = o.exists_from[seat_org] <= self.period.first_day
        late_join = (seat_no > 0) & predates & (rng.random(n_seats) < 0.25)
        seat_start = o.term_start[seat_org] + late_join * rng.integers(1, 121, size=n_seats)
        seat_start = np.where(predates, np.minimum(seat_start, self.period.first_day - 1), seat_start)
        seat_end = o.exists_until[seat_org]

        # Changes of membership: at most one per seat and year; the secretary's seat is never vacant.
        ev_seat = np.repeat(np.arange(n_seats), self.n_years)
        ev_year = np.tile(self.y0 + np.arange(self.n_years), n_seats)
        happens = rng.random(len(ev_seat)) < np.where(seat_role[ev_seat] == SECRETARY, 0.08, 0.12)
        ev_seat, ev_year = ev_seat[happens], ev_year[happens]
        ev_day = day(ev_year) + rng.integers(0, 365, size=len(ev_seat))
        ok = (ev_day > seat_start[ev_seat] + 30) & (ev_day < seat_end[ev_seat] - 1)
        ev_seat, ev_day = ev_seat[ok], ev_day[ok]
        n_ev = len(ev_seat)
        new_person = rng.random(n_ev) < 0.7  # else re-appointed: a new spell of the same person
        promote = ~new_person & (seat_role[ev_seat] == MEMBER) & (rng.random(n_ev) < 0.5)
        vacancy = new_person & (seat_role[ev_seat] != SECRETARY) & (rng.random(n_ev) < 0.5)
        gap = np.where(vacancy, rng.integers(1, 46, size=n_ev), 0)

        sp_seat = np.concatenate([np.arange(n_seats), ev_seat])
        sp_event = np.concatenate([seat_start, ev_day])
        sp_start = np.concatenate([seat_start, ev_day + gap])
        sp_new = np.concatenate([np.ones(n_seats, dtype=bool), new_person])
        sp_promote = np.concatenate([np.zeros(n_seats, dtype=np.int64), promote.astype(np.int64)])
        order = lexsort((sp_event, sp_seat))
        sp_seat, sp_event, sp_start, sp_new, sp_promote = (
            a[order] for a in (sp_seat, sp_event, sp_start, sp_new, sp_promote)
        )
        sp_end = seat_end[sp_seat].copy()
        same_seat_next = sp_seat[1:] == sp_seat[:-1]
        sp_end[:-1] = np.where(same_seat_next, sp_event[1:], sp_end[:-1])
        promoted = grouped_cumsum(sp_promote, sp_seat) > 0
        role = np.where((seat_role[sp_seat] == MEMBER) & promoted, DEPUTY, seat_role[sp_seat])
        person = np.cumsum(sp_new) - 1
        keep = sp_start < sp_end
        org = seat_org[sp_seat][keep]
        start, end, role, person, seat = sp_start[keep], sp_end[keep], role[keep], person[keep], sp_seat[keep]

        order = lexsort((seat, start, org))
        org, start, end, role, person = (a[order] for a in (org, start, end, role, person))
        no = rank_in_groups(org) + 1
        _, first_row = np.unique(person, return_index=True)
        first = np.zeros(len(person), dtype=bool)
        first[first_row] = True
        person_no_first = grouped_cumsum(first.astype(np.int64), org)
        person_no = np.zeros(int(person.max()) + 1 if len(person) else 0, dtype=np.int64)
        person_no[person[first]] = person_no_first[first]
        names = rng.integers(0, self.n_names, size=len(person_no))

        # Members overlapping each (org, year) of the period, for roster look-ups.
        first_year = np.maximum(year_of(start), self.y0)
        last_year = np.minimum(year_of(end - 1), self.y0 + self.n_years - 1)
        mi, k = expand(np.zeros(len(org), dtype=np.int64), np.maximum(last_year - first_year + 1, 0))
        oy_key = org[mi] * self.n_years + (first_year[mi] + k - self.y0)
        oy_order = lexsort((mi, oy_key))
        self.m = _Members(org, start, end, role, person, oy_key[oy_order], mi[oy_order])

        # Secretary spells, sorted by (org, start): they partition each organisation's existence.
        sec = np.flatnonzero(role == SECRETARY)
        self.sec_rows = sec[lexsort((start[sec], org[sec]))]
        self.sec_keys = org[self.sec_rows] * BIG + start[self.sec_rows]

        left = end < self.as_of
        return pl.DataFrame(
            {
                "member": np.arange(len(org), dtype=np.int64),
                "org": self.o.org[org],
                "no": no,
                "person": person,
                "person_no": person_no[person],
                "name": names[person],
                "role": role.astype(np.int8),
                "joined_on": start,
                "left_on": nullable(end, left),
            }
        )

    def secretary_on(self, org: np.ndarray, when: np.ndarray) -> np.ndarray:
        """The secretary spell on the roster of each (local org, day), -1 when none."""
        i = np.searchsorted(self.sec_keys, org * BIG + when, side="right") - 1
        i = np.clip(i, 0, max(len(self.sec_rows) - 1, 0))
        if not len(self.sec_rows):
            return np.full(len(org), -1, dtype=np.int64)
        row = self.sec_rows[i]
        ok = (self.m.org[row] == org) & (self.m.start[row] <= when) & (when < self.m.end[row])
        return np.where(ok, row, -1)

    def rostered(self, org: np.ndarray, when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query index, member) for every member on the roster of (local org, day), in query then member order."""
        key = org * self.n_years + (year_of(when) - self.y0)
        lo, hi = group_bounds(self.m.oy_key, key)
        qi, pos = expand(lo, hi)
        cand = self.m.oy_member[pos]
        ok = (self.m.start[cand] <= when[qi]) & (when[qi] < self.m.end[cand])
        return qi[ok], cand[ok]

    def pick_rostered(
        self, org: np.ndarray, when: np.ndarray, exclude: np.ndarray | None = None, no_secretary: bool = False
    ) -> np.ndarray:
        """A random member on the roster of each (local org, day), -1 when nobody qualifies."""
        qi, cand = self.rostered(org, when)
        ok = np.ones(len(qi), dtype=bool)
        if exclude is not None:
            ok &= cand != exclude[qi]
        if no_secretary:
            ok &= self.m.role[cand] != SECRETARY
        groups, rows = _last_in_group(qi[ok], self.rng)
        out = np.full(len(org), -1, dtype=np.int64)
        out[groups] = cand[ok][rows]
        return out

    # -- meetings --------------------------------------------------------------------------------------------------
    def plan_meetings(self) -> None:
        o, rng = self.o, self.rng
        n_orgs = len(o.size)
        months = np.arange(month_index(np.array([self.period.first_day]))[0], month_index(np.array([self.as_of]))[0])
        g_org = np.repeat(np.arange(n_orgs), len(months))
        g_month = np.tile(months, n_orgs)
        n_g = len(g_org)

        two = rng.random(n_g) < 0.45
        pg_a = np.where(two, weekday_in_range(rng, g_month, 2, 13), weekday_in_range(rng, g_month, 2, 27))
        pg_b = weekday_in_range(rng, g_month[two], 16, 27)
        study = weekday_in_range(rng, g_month, 2, 27)
        so_mask = rng.random(n_g) < 0.5
        so = weekday_in_range(rng, g_month[so_mask], 2, 27)
        other_mask = rng.random(n_g) < 0.04
        other = weekday_in_range(rng, g_month[other_mask], 2, 27)
        ed_mask = rng.random(n_g) < 0.04
        ed = month_start(g_month[ed_mask]) + rng.integers(0, 28, size=int(ed_mask.sum()))
        dl_org = np.repeat(np.arange(n_orgs), self.n_years)
        dl_year = np.tile(self.y0 + np.arange(self.n_years), n_orgs)
        dl = weekday_in_range(rng, month_index(day(dl_year, 12)), 2, 12)

        org = np.concatenate([g_org, g_org[two], g_org, g_org[so_mask], g_org[other_mask], g_org[ed_mask], dl_org])
        held = np.concatenate([pg_a, pg_b, study, so, other, ed, dl])
        kind = np.concatenate(
            [
                np.full(n_g + int(two.sum()), PARTY_GROUP),
                np.full(n_g, STUDY),
                np.full(len(so), SECRETARY_OFFICE),
                np.full(len(other), OTHER_MEETING),
                np.full(len(ed), EMERGENCY_DECISION),
                np.full(len(dl), DEMOCRATIC_LIFE),
            ]
        )
        exists = (held >= o.exists_from[org]) & (held < o.exists_until[org])
        # A democratic life meeting needs a plan sent ten days ahead: only once the organisation has run a month.
        exists &= (kind != DEMOCRATIC_LIFE) | (held >= o.exists_from[org] + 30)
        org, held, kind = org[exists], held[exists], kind[exists]
        order = lexsort((kind, held, org))
        org, held, kind = org[order], held[order], kind[order]
        n = len(org)

        year = year_of(held)
        oy = org * self.n_years + (year - self.y0)
        no = rank_in_groups(oy) + 1
        by_kind = lexsort((held, kind, oy))
        kind_no = np.empty(n, dtype=np.int64)
        kind_no[by_kind] = rank_in_groups(oy[by_kind] * 8 + kind[by_kind]) + 1
        has_minutes = (kind != STUDY) & ((kind != EMERGENCY_DECISION) | (rng.random(n) < 0.5))
        minutes_no = grouped_cumsum(has_minutes.astype(np.int64), oy)
        is_emergency = (kind == PARTY_GROUP) & (rng.random(n) < 0.03)

        duration = np.full(n, NAN)
        is_study = kind == STUDY
        duration[is_study] = rng.choice(np.array([2.0, 2.5, 3.0, 3.5, 4.0]), size=int(is_study.sum()))
        is_dl = kind == DEMOCRATIC_LIFE
        duration[is_dl] = rng.choice(np.array([3.0, 3.5, 4.0]), size=int(is_dl.sum()))

        # Notice: 2–5 days for party-group meetings, and always spanning a working day (a Monday meeting gets its
        # agenda on the Friday at the latest); other kinds sometimes, ad hoc.
        lead = rng.integers(2, 6, size=n)
        notice = held - lead
        monday_short = working_days_between(notice, held) == 0
        notice = np.where(monday_short, held - 3, notice)
        pg_notice = (kind == PARTY_GROUP) & ~is_emergency
        other_notice = among(kind, [STUDY, DEMOCRATIC_LIFE, SECRETARY_OFFICE, OTHER_MEETING]) & (rng.random(n) < 0.7)
        notice = np.where(other_notice & ~pg_notice, held - rng.integers(1, 6, size=n), notice)

        self.mt_org, self.mt_held, self.mt_kind, self.mt_year = org, held, kind, year
        self.mt_emergency = is_emergency
        self.mt_duration = duration
        self.mt_chair = self.secretary_on(org, held)
        self.mt_topic = rng.integers(0, len(EMERGENCY_TOPICS), size=n)
        self.mt_notice_ok = pg_notice | other_notice
        self.mt_notice = notice
        self.mt_minutes = (minutes_no, has_minutes)
        self.mt_no, self.mt_kind_no = no, kind_no

    def meetings_frame(self) -> pl.DataFrame:
        minutes_no, has_minutes = self.mt_minutes
        return pl.DataFrame(
            {
                "meeting": np.arange(len(self.mt_org), dtype=np.int64),
                "org": self.o.org[self.mt_org],
                "no": self.mt_no,
                "kind": self.mt_kind.astype(np.int8),
                "kind_no": self.mt_kind_no,
                "topic": self.mt_topic,
                "held_on": self.mt_held,
                "chair": nullable(self.mt_chair, self.mt_chair >= 0),
                "duration_hours": nullable(self.mt_duration, ~np.isnan(self.mt_duration), pl.Float64),
                "notice_sent_on": nullable(self.mt_notice, self.mt_notice_ok),
                "minutes_no": nullable(minutes_no, has_minutes),
                "is_emergency": self.mt_emergency,
            }
        )

    # -- attendance ------------------------------------------------------------------------------------------------
    def attendance(self) -> pl.DataFrame:
        rng = self.rng
        n_meetings = len(self.mt_org)
        attended = np.flatnonzero(self.mt_kind != EMERGENCY_DECISION)
        qi, member = self.rostered(self.mt_org[attended], self.mt_held[attended])
        meeting = attended[qi]
        rows = len(meeting)
        roster = np.bincount(meeting, minlength=n_meetings)
        kind = self.mt_kind[meeting]
        chair = self.mt_chair
        is_secretary = member == chair[meeting]

        # Now and then the secretary is away and a deputy secretary presides instead.
        deputy_chairs = among(self.mt_kind, [PARTY_GROUP, SECRETARY_OFFICE]) & (rng.random(n_meetings) < 0.04)
        deputy_rows = np.flatnonzero(deputy_chairs[meeting] & (self.m.role[member] == DEPUTY))
        dm, first = np.unique(meeting[deputy_rows], return_index=True)
        acting = deputy_rows[first]
        chair = chair.copy()
        chair[dm] = member[acting]
        deputy_chairs[:] = False
        deputy_chairs[dm] = True
        self.mt_chair = chair
        is_chair = member == chair[meeting]

        leave = ((rng.random(rows) < 0.06) & ~is_secretary & ~is_chair) | (is_secretary & deputy_chairs[meeting])
        # At most ⌊n/3⌋ away, the absent secretary first: two thirds present satisfies every quorum rule.
        lv = np.flatnonzero(leave)
        order = lexsort((rng.random(len(lv)), ~is_secretary[lv], meeting[lv]))
        lv = lv[order]
        rank = rank_in_groups(meeting[lv])
        leave[lv[rank >= roster[meeting[lv]] // 3]] = False
        status = np.where(leave, LEAVE, PRESENT)
        # Absence without leave only where ATT001 does not look (secretary offices, other meetings).
        not_judged = among(kind, [SECRETARY_OFFICE, OTHER_MEETING])
        status = np.where(leave & not_judged & (rng.random(rows) < 0.3), ABSENT, status)

        duration = self.mt_duration[meeting]
        study = kind == STUDY
        hours = np.full(rows, NAN)
        partial = study & (status == PRESENT) & (rng.random(rows) < 0.08)
        hours[partial] = duration[partial] - rng.choice(np.array([0.5, 1.0]), size=int(partial.sum()))
        zero = study & (status == LEAVE) & (rng.random(rows) < 0.3)
        hours[zero] = 0.0

        # STU001: whoever would attend less than half of a year's study hours attends them all instead.
        year = self.mt_year[meeting]
        key = member * self.n_years + (year - self.y0)
        got = np.where(np.isnan(hours), np.where(status == PRESENT, duration, 0.0), hours)
        size = int(key.max()) + 1 if rows else 0
        total = np.bincount(key[study], weights=duration[study], minlength=size)
        done = np.bincount(key[study], weights=got[study], minlength=size)
        short = study & (done[key] * 2 < total[key])
        status = np.where(short, PRESENT, status)
        hours[short] = NAN

        opinion = (status == LEAVE) & (kind == PARTY_GROUP) & (rng.random(rows) < 0.3)
        self.at_meeting, self.at_member, self.at_status = meeting, member, status
        self.roster = roster
        return pl.DataFrame(
            {
                "meeting": meeting,
                "member": member,
                "status": status.astype(np.int8),
                "hours": nullable(hours, ~np.isnan(hours), pl.Float64),
                "written_opinion": nullable(opinion, opinion, pl.Boolean),
            }
        )

    # -- agenda, votes, recusals -----------------------------------------------------------------------------------
    def agenda(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        rng = self.rng
        kind = self.mt_kind
        n_meetings = len(kind)
        pg, so, ed = kind == PARTY_GROUP, kind == SECRETARY_OFFICE, kind == EMERGENCY_DECISION
        n_items = np.zeros(n_meetings, dtype=np.int64)
        n_items[pg] = 1 + pick(rng, {1: 0.25, 2: 0.35, 3: 0.25, 4: 0.15}, int(pg.sum()))
        n_items[so] = rng.integers(1, 4, size=int(so.sum()))
        n_items[ed] = 1
        meeting = np.repeat(np.arange(n_meetings), n_items)
        seq = rank_in_groups(meeting) + 1
        n = len(meeting)
        category = np.full(n, MAJOR_DECISION)
        mk = kind[meeting]
        pg_cats = {PERSONNEL: 0.18, DISCIPLINE: 0.06, MAJOR_DECISION: 0.22, REPORT_ITEM: 0.28, GENERAL: 0.26}
        category = np.where(mk == PARTY_GROUP, pick(rng, pg_cats, n), category)
        category = np.where((mk == PARTY_GROUP) & (seq == 1), FIRST_TOPIC, category)
        so_cats = {REPORT_ITEM: 0.3, GENERAL: 0.3, MAJOR_DECISION: 0.25, PERSONNEL: 0.15}
        category = np.where(mk == SECRETARY_OFFICE, pick(rng, so_cats, n), category)
        # Items raised at the meeting itself only where it was convened as an emergency.
        ad_hoc = self.mt_emergency[meeting] & (seq == n_items[meeting]) & (seq > 1) & (rng.random(n) < 0.5)

        # Each emergency decision is reported at the organisation's next party-group meeting, if there is one.
        pg_rows = np.flatnonzero(pg)
        pg_keys = self.mt_org[pg_rows] * BIG + self.mt_held[pg_rows]
        ed_rows = np.flatnonzero(ed)
        nxt = np.searchsorted(pg_keys, self.mt_org[ed_rows] * BIG + self.mt_held[ed_rows], side="right")
        found = nxt < len(pg_rows)
        target = pg_rows[np.minimum(nxt, max(len(pg_rows) - 1, 0))] if len(pg_rows) else nxt
        found &= self.mt_org[target] == self.mt_org[ed_rows] if len(pg_rows) else found
        rep_meeting, rep_of = target[found], ed_rows[found]
        order = lexsort((rep_of, rep_meeting))
        rep_meeting, rep_of = rep_meeting[order], rep_of[order]
        rep_seq = n_items[rep_meeting] + rank_in_groups(rep_meeting) + 1

        meeting = np.concatenate([meeting, rep_meeting])
        seq = np.concatenate([seq, rep_seq])
        category = np.concatenate([category, np.full(len(rep_meeting), EMERGENCY_REPORT)])
        ad_hoc = np.concatenate([ad_hoc, np.zeros(len(rep_meeting), dtype=bool)])
        refers = np.concatenate([np.full(n, -1), rep_of])
        order = lexsort((seq, meeting))
        meeting, seq, category, ad_hoc, refers = (a[order] for a in (meeting, seq, category, ad_hoc, refers))
        n = len(meeting)
        mk = kind[meeting]
        on_ed = mk == EMERGENCY_DECISION

        decision = np.full(n, NO_DECISION)
        r = rng.random(n)
        decision = np.where(category == GENERAL, np.where(r < 0.6, PASSED, NO_DECISION), decision)
        decision = np.where(
            category == MAJOR_DECISION, np.where(r < 0.8, PASSED, np.where(r < 0.9, DEFERRED, REJECTED)), decision
        )
        decision = np.where(category == DISCIPLINE, np.where(r < 0.9, PASSED, DEFERRED), decision)
        decision = np.where(
            category == PERSONNEL,
            np.where(mk == SECRETARY_OFFICE, NO_DECISION, np.where(r < 0.9, PASSED, DEFERRED)),
            decision,
        )
        decision = np.where(on_ed, PASSED, decision)
        decided = among(decision, [PASSED, REJECTED]) & ~on_ed
        method = np.where(
            category == PERSONNEL, SECRET_BALLOT, pick(rng, {NAMED_BALLOT: 0.3, SHOW_OF_HANDS: 0.5, ORAL: 0.2}, n)
        )
        method = np.where(decided, method, -1)
        named = method == NAMED_BALLOT
        tally = decided & (~named | (rng.random(n) < 0.2))

        # Present members of each item's meeting (attendance is sorted by meeting, then member).
        att_lo, att_hi = group_bounds(self.at_meeting, meeting)
        chair = self.mt_chair[meeting]

        present = np.bincount(self.at_meeting[self.at_status == PRESENT], minlength=len(kind))[meeting]
        # A recusal only where enough others remain for a clear majority (VOT001, VOT006 stay met).
        recuse = (
            decided & among(category, [PERSONNEL, DISCIPLINE, MAJOR_DECISION]) & (present >= 5) & (rng.random(n) < 0.06)
        )
        rq = np.flatnonzero(recuse)
        qi, pos = expand(att_lo[rq], att_hi[rq])
        ok = (self.at_status[pos] == PRESENT) & (self.at_member[pos] != chair[rq][qi])
        groups, rows = _last_in_group(qi[ok], rng)
        recused = np.full(n, -1)
        recused[rq[groups]] = self.at_member[pos[ok][rows]]
        has_recusal = recused >= 0

        voters = present - has_recusal
        entitled = self.roster[meeting] - has_recusal
        # Passed items: more than half of those entitled vote yes, and yes beats no by at least two.
        abstain = (rng.random(n) < 0.15) & ((voters - 1) * 2 > entitled) & (voters - 1 >= 3)
        no_vote = (rng.random(n) < 0.10) & ((voters - abstain - 1) * 2 > entitled) & (voters - abstain - 1 >= 3)
        abstain, no_vote = abstain.astype(np.int64), no_vote.astype(np.int64)
        rejected = decision == REJECTED
        yes = np.where(rejected, (voters >= 4).astype(np.int64), voters - abstain - no_vote)
        no_vote = np.where(rejected, voters - yes, no_vote)
        abstain = np.where(rejected, 0, abstain)

        items = pl.DataFrame(
            {
                "item": np.arange(n, dtype=np.int64),
                "meeting": meeting,
                "no": seq,
                "seq": seq,
                "title": rng.integers(0, 1 << 16, size=n),
                "category": category.astype(np.int8),
                "ad_hoc": nullable(ad_hoc, ad_hoc | (rng.random(n) < 0.5), pl.Boolean),
                "decision": nullable(
                    decision.astype(np.int8), (decision != NO_DECISION) | (rng.random(n) < 0.5), pl.Int8
                ),
                "vote_method": nullable(method, method >= 0, pl.Int8),
                "yes_count": nullable(yes, tally),
                "no_count": nullable(no_vote, tally),
                "abstain_count": nullable(abstain, tally),
                "refers_to": nullable(refers, refers >= 0),
            }
        )
        recusals = pl.DataFrame(
            {
                "item": np.flatnonzero(has_recusal).astype(np.int64),
                "member": recused[has_recusal].astype(np.int64),
                "reason": rng.integers(0, len(RECUSAL_REASONS), size=int(has_recusal.sum())),
            }
        )

        # Per-member votes of named ballots: the chair states his position last.
        nq = np.flatnonzero(named)
        qi, pos = expand(att_lo[nq], att_hi[nq])
        vm = self.at_member[pos]
        ok = (self.at_status[pos] == PRESENT) & (vm != recused[nq][qi])
        qi, vm = qi[ok], vm[ok]
        item = nq[qi]
        is_chair = vm == chair[item]
        key = np.where(is_chair, 2.0, rng.random(len(item)))
        order = lexsort((key, item))
        item, vm, is_chair = item[order], vm[order], is_chair[order]
        rank = rank_in_groups(item)
        choice = np.where(rank < no_vote[item], NO, np.where(rank < no_vote[item] + abstain[item], ABSTAIN, YES))
        ordered = rng.random(n) < 0.8
        votes = pl.DataFrame(
            {
                "item": item,
                "member": vm,
                "choice": choice.astype(np.int8),
                "cast_order": nullable(rank + 1, ordered[item]),
            }
        )
        votes = votes[np.argsort((item << 32) | vm, kind="stable")]  # by (item, member): one sort of packed keys
        self.it_meeting = meeting
        return items, votes, recusals

    # -- rectifications --------------------------------------------------------------------------------------------
    def rectifications(self) -> pl.DataFrame:
        o, rng = self.o, self.rng
        # From each democratic life meeting: the problems its members found in themselves.
        dl = np.flatnonzero(self.mt_kind == DEMOCRATIC_LIFE)
        count = rng.integers(1, 5, size=len(dl))
        d_meeting = np.repeat(dl, count)
        d_org = self.mt_org[d_meeting]
        d_found = self.mt_held[d_meeting]
        lo, hi = group_bounds(self.at_meeting, d_meeting)
        qi, pos = expand(lo, hi)
        ok = self.at_status[pos] == PRESENT
        groups, rows = _last_in_group(qi[ok], rng)
        d_owner = np.full(len(d_meeting), -1)
        d_owner[groups] = self.at_member[pos[ok][rows]]

        # Inspections (0–2 a year), audits and other findings (now and then), from March to November.
        oy_org = np.repeat(np.arange(len(o.size)), self.n_years)
        oy_year = np.tile(self.y0 + np.arange(self.n_years), len(o.size))
        n_insp = pick(rng, {0: 0.45, 1: 0.4, 2: 0.15}, len(oy_org))
        n_misc = (rng.random(len(oy_org)) < 0.15).astype(np.int64)
        i_oy = np.repeat(np.arange(len(oy_org)), n_insp + n_misc)
        i_source = np.where(
            rank_in_groups(i_oy) < n_insp[i_oy],
            SRC_INSPECTION,
            np.where(rng.random(len(i_oy)) < 0.6, SRC_AUDIT, SRC_OTHER),
        )
        i_org = oy_org[i_oy]
        i_found = weekday_in_range(rng, month_index(day(oy_year[i_oy], 3)) + rng.integers(0, 9, size=len(i_oy)), 2, 27)
        keep = (i_found >= o.exists_from[i_org]) & (i_found < o.exists_until[i_org] - 30)
        i_org, i_found, i_source = i_org[keep], i_found[keep], i_source[keep]
        i_owner = self.pick_rostered(i_org, i_found)

        org = np.concatenate([d_org, i_org])
        found = np.concatenate([d_found, i_found])
        source = np.concatenate([np.full(len(d_org), SRC_DEMOCRATIC_LIFE), i_source])
        source_meeting = np.concatenate([d_meeting, np.full(len(i_org), -1)])
        owner = np.concatenate([d_owner, i_owner])
        n = len(org)
        measures = found + np.where(
            source == SRC_DEMOCRATIC_LIFE, rng.integers(5, 26, size=n), rng.integers(3, 21, size=n)
        )
        report = np.where(source == SRC_INSPECTION, found + rng.integers(1, 7, size=n), -1)
        report = np.where((source == SRC_DEMOCRATIC_LIFE) & (rng.random(n) < 0.3), measures, report)
        until = o.exists_until[org]
        due = np.minimum(found + rng.integers(60, 181, size=n), until - 1)
        due = np.where(source == SRC_INSPECTION, np.minimum(found + rng.integers(30, 121, size=n), until - 1), due)
        floor = np.maximum(measures, report)
        closed = floor + (rng.random(n) * (np.maximum(due - floor, 0) + 1)).astype(np.int64)
        closed = np.minimum(closed, due)
        # The records stand as of as_of: later dates are not known yet.
        known_closed = closed < self.as_of
        known_measures = measures < self.as_of
        known_report = (report >= 0) & (report < self.as_of)

        order = lexsort((source, found, org))
        desc_pool = np.array(
            [len(RECTIFICATION_DESCRIPTIONS[s]) for s in ("democratic_life", "inspection", "audit", "other")]
        )
        desc = (rng.random(n) * desc_pool[source]).astype(np.int64)
        cols = {
            "org": o.org[org],
            "source": source.astype(np.int8),
            "source_meeting": nullable(source_meeting, source_meeting >= 0),
            "found_on": found,
            "description": desc,
            "owner": nullable(owner, owner >= 0),
            "measures_on": nullable(measures, known_measures),
            "report_on": nullable(report, known_report),
            "due_on": due,
            "closed_on": nullable(closed, known_closed),
        }
        frame = pl.DataFrame(cols)[order]
        return frame.with_columns(
            rect=pl.int_range(pl.len(), dtype=pl.Int64),
            no=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("org"),
        ).select("rect", "org", "no", *[c for c in cols if c != "org"])

    # -- reports ---------------------------------------------------------------------------------------------------
    def reports(self) -> pl.DataFrame:
        o, rng = self.o, self.rng
        dl = np.flatnonzero(self.mt_kind == DEMOCRATIC_LIFE)
        plan = self.mt_held[dl] - rng.integers(12, 26, size=len(dl))
        after = self.mt_held[dl] + rng.integers(3, 13, size=len(dl))
        oy_org = np.repeat(np.arange(len(o.size)), self.n_years)
        oy_year = np.tile(self.y0 + np.arange(self.n_years), len(o.size))
        submitted = day(oy_year + 1) + rng.integers(4, 84, size=len(oy_org))
        existed = (o.exists_from[oy_org] < day(oy_year + 1)) & (o.exists_until[oy_org] > day(oy_year))
        keep = existed & (submitted < o.exists_until[oy_org])
        a_org, a_year, a_sub = oy_org[keep], oy_year[keep], submitted[keep]
        n_dl, n_a = len(dl), len(a_org)
        org = np.concatenate([self.mt_org[dl], self.mt_org[dl], a_org])
        kind = np.concatenate([np.full(n_dl, DL_PLAN), np.full(n_dl, DL_REPORT), np.full(n_a, ANNUAL_WORK)])
        meeting = np.concatenate([dl, dl, np.full(n_a, -1)])
        # One annual report in five leaves the year empty: it then covers the year before its submission.
        period_year = np.concatenate([np.full(2 * n_dl, -1), np.where(rng.random(n_a) < 0.8, a_year, -1)])
        sub = np.concatenate([plan, after, a_sub])
        order = lexsort((kind, sub, org))
        frame = pl.DataFrame(
            {
                "org": o.org[org],
                "kind": kind.astype(np.int8),
                "meeting": nullable(meeting, meeting >= 0),
                "period_year": nullable(period_year, period_year >= 0),
                "submitted_on": sub,
            }
        )[order]
        return frame.with_columns(
            report=pl.int_range(pl.len(), dtype=pl.Int64),
            no=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("org"),
        ).select("report", "org", "no", "kind", "meeting", "period_year", "submitted_on")

    # -- activities ------------------------------------------------------------------------------------------------
    def activities(self) -> pl.DataFrame:
        o, m, rng = self.o, self.m, self.rng
        member, year = m.oy_member, self.y0 + m.oy_key % self.n_years
        org = m.org[member]
        y_from, y_to = day(year), day(year + 1)
        lo = np.maximum.reduce([m.start[member], y_from, o.exists_from[org]])
        hi = np.minimum.reduce([m.end[member], y_to, o.exists_until[org]])
        keep = hi > lo
        member, year, org, lo, hi, y_from, y_to = (a[keep] for a in (member, year, org, lo, hi, y_from, y_to))
        n = len(member)
        whole = (m.start[member] <= y_from) & (m.end[member] >= y_to)
        frac = (hi - lo) / (y_to - y_from)
        secretary = m.role[member] == SECRETARY

        articles = np.where(whole, 4 + (rng.random(n) < 0.5) + (rng.random(n) < 0.15), rng.binomial(5, frac))
        research = np.where(whole, 1 + (rng.random(n) < 0.4), rng.binomial(1, frac))
        days_total = np.where(whole, 60 + rng.integers(0, 21, size=n), np.round(frac * 65).astype(np.int64))
        days_rows = np.where(days_total > 0, np.where(whole, rng.integers(2, 5, size=n), rng.integers(1, 4, size=n)), 0)
        talks = np.where(secretary, 0, np.where(whole, 2 + (rng.random(n) < 0.3), rng.binomial(2, frac)))
        chats = (~secretary & (rng.random(n) < 0.25)).astype(np.int64)

        counts = np.stack([articles, research, days_rows, talks, chats]).astype(np.int64)
        kinds = np.array([STUDY_ARTICLE, RESEARCH_REPORT, GRASSROOTS_DAYS, TALK, TALK])
        owner = np.concatenate([np.repeat(np.arange(n), c) for c in counts])
        part = np.concatenate([np.full(int(c.sum()), k) for k, c in enumerate(counts)])
        kind = kinds[part]
        rows = len(owner)
        on = lo[owner] + (rng.random(rows) * (hi - lo)[owner]).astype(np.int64)
        actor = member[owner].copy()
        counterpart = np.full(rows, -1)
        quantity = np.full(rows, NAN)

        # Grassroots days: the year's total split over the rows, the last row taking the remainder.
        gd = np.flatnonzero(part == 2)
        k = days_rows[owner[gd]]
        total = days_total[owner[gd]]
        rank = rank_in_groups(owner[gd])
        quantity[gd] = total // k + np.where(rank == k - 1, total % k, 0)

        # Talks with the secretary of the day, recorded by one side or the other.
        tk = np.flatnonzero(part == 3)
        sec = self.secretary_on(org[owner[tk]], on[tk])
        by_secretary = rng.random(len(tk)) < 0.3
        counterpart[tk] = np.where(by_secretary, actor[tk], sec)
        actor[tk] = np.where(by_secretary, sec, actor[tk])
        # Talks between colleagues: not with a secretary, so they count for nobody's TLK001 quota.
        ch = np.flatnonzero(part == 4)
        mate = self.pick_rostered(org[owner[ch]], on[ch], exclude=actor[ch], no_secretary=True)
        counterpart[ch] = mate
        keep = np.ones(rows, dtype=bool)
        keep[tk] = sec >= 0
        keep[ch] = mate >= 0
        explicit = (part == 0) & (rng.random(rows) < 0.2)
        quantity[explicit] = 1.0

        # Rows kept, then put in (org, date, member, kind) order by one sort of packed keys (stable, as Polars'
        # four-column sort with maintain_order was), numbered within each organisation by position (no window).
        org_g, actor, kind, counterpart, on, quantity = (
            a[keep] for a in (o.org[org[owner]], actor, kind, counterpart, on, quantity)
        )
        order = lexsort((kind, actor, on, org_g))
        org_g, actor, kind, counterpart, on, quantity = (
            a[order] for a in (org_g, actor, kind, counterpart, on, quantity)
        )
        return pl.DataFrame(
            {
                "activity": np.arange(len(org_g), dtype=np.int64),
                "org": org_g,
                "no": rank_in_groups(org_g) + 1,
                "member": actor,
                "kind": kind.astype(np.int8),
                "counterpart": nullable(counterpart, counterpart >= 0),
                "on_date": on,
                "quantity": nullable(quantity, ~np.isnan(quantity), pl.Float64),
            }
        )


def generate(orgs: pl.DataFrame, period: Period, rng: np.random.Generator, n_names: int) -> World:
    """The compliant base world of these organisations (one chunk of the organisation plan)."""
    g = _Generator(orgs, period, rng, n_names)
    members = g.members()
    g.plan_meetings()
    attendance = g.attendance()
    items, votes, recusals = g.agenda()
    rectifications = g.rectifications()
    reports = g.reports()
    activities = g.activities()
    return World(
        orgs=orgs,
        members=members,
        meetings=g.meetings_frame(),
        attendance=attendance,
        items=items,
        votes=votes,
        recusals=recusals,
        rectifications=rectifications,
        reports=reports,
        activities=activities,
    )
