"""The truth: every finding the rule engine must report on a simulated world, computed from its final records.

This is an oracle written independently of the rule engine, straight from ``shared/spec/rules.md`` and its
"Precise readings", over the simulator's integer-coded frames with vectorised Polars and NumPy. It does not know
which violations were injected: it judges whatever the records say, so every consequence of an injection (a dropped
attendance row that also breaks a quorum, a deleted meeting that also leaves a gap in the minutes) is labelled, and
a base world that were not compliant would show up as findings at ``violation_rate=0``.

Each organisation is judged by its own rulebook: its rules in force and its settings (rule defaults from rules.md,
overridden by the rulebook's ``[settings.RULE]``); the data-quality checks DQ001–DQ004 apply everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pyarrow.compute as pc

from analytics.rulebooks import installed_rulebook_ids, load_rulebook_raw
from simulations.codes import (
    ABSENT,
    ABSTAIN,
    ANNUAL_WORK,
    CATEGORY,
    DEMOCRATIC_LIFE,
    DL_PLAN,
    DL_REPORT,
    EMERGENCY_DECISION,
    EMERGENCY_REPORT,
    FIRST_TOPIC,
    GRASSROOTS_DAYS,
    KIND,
    NO,
    PARTY_GROUP,
    PASSED,
    PERSONNEL,
    PRESENT,
    REJECTED,
    RESEARCH_REPORT,
    SECRET_BALLOT,
    SECRETARY,
    SRC_DEMOCRATIC_LIFE,
    SRC_INSPECTION,
    STUDY,
    STUDY_ARTICLE,
    TALK,
    YES,
    add_months_clamped,
    day,
    month_index,
    month_start,
    working_days_between,
    year_of,
)
from simulations.ids import Ids, with_ids
from simulations.organisations import DEFAULT_RULEBOOK
from simulations.world import World, expand, nullable

BIG = 1 << 20

#: Rule settings as rules.md defines them (the "settings (default)" column); rulebooks override some.
DEFAULTS: dict[str, dict[str, Any]] = {
    "MTG001": {"min_per_month": 1},
    "MTG002": {"share": "1/2", "inclusive": True},
    "MTG003": {"share": "2/3", "inclusive": True, "categories": ["personnel", "discipline"]},
    "MTG004": {"min_days": 1, "working_days": False, "exempt_categories": []},
    "ATT001": {"kinds": ["party_group", "study", "democratic_life"]},
    "STU001": {"share": "1/2", "inclusive": True},
    "STU002": {"min_per_month": 1},
    "STU003": {"min_per_year": 4},
    "DLM002": {"share": "2/3", "inclusive": True},
    "DLM003": {"days": 15},
    "DLM004": {"days": 10},
    "REC003": {"months": 1},
    "REC005": {"days": 7},
    "VOT001": {"share": "1/2", "inclusive": False},
    "VOT006": {"margin": 1},
    "RPT001": {"due": "03-31"},
    "TLK001": {"min_per_year": 1},
    "RES001": {"min_per_year": 1},
    "RES002": {"min_days": 60},
}
RULE_IDS: tuple[str, ...] = (
    *(f"MTG00{i}" for i in range(1, 10)),
    "ATT001",
    "STU001",
    "STU002",
    "STU003",
    "DLM001",
    "DLM002",
    "DLM003",
    "DLM004",
    *(f"REC00{i}" for i in range(1, 6)),
    *(f"VOT00{i}" for i in range(1, 8)),
    "RPT001",
    "TLK001",
    "RES001",
    "RES002",
    "DQ001",
    "DQ002",
    "DQ003",
    "DQ004",
)
DQ_RULES = ("DQ001", "DQ002", "DQ003", "DQ004")


def _share(value: object) -> tuple[int, int]:
    if isinstance(value, str):
        p, q = value.split("/")
        return int(p), int(q)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError(f"share setting {value!r} is not p/q")


@dataclass(frozen=True)
class Rulebook:
    """A rulebook as the oracle needs it: the rules in force and each rule's effective settings."""

    id: str
    rules: frozenset[str]
    settings: dict[str, dict[str, Any]]

    def get(self, rule: str, key: str) -> Any:
        return self.settings[rule][key]

    def share(self, rule: str) -> tuple[int, int, bool]:
        p, q = _share(self.settings[rule]["share"])
        return p, q, bool(self.settings[rule]["inclusive"])


def load_rulebooks() -> dict[str, Rulebook]:
    """Every installed rulebook, with rules.md defaults under its own settings."""
    books = {}
    for book_id in installed_rulebook_ids():
        raw = load_rulebook_raw(book_id)
        settings = {rule: dict(values) for rule, values in DEFAULTS.items()}
        for rule, values in raw.get("settings", {}).items():
            settings.setdefault(rule, {}).update({k: v for k, v in values.items() if k != "severity"})
        books[book_id] = Rulebook(book_id, frozenset(raw["rules"]), settings)
    return books


def _meets(count: pl.Expr, n: pl.Expr, p: pl.Expr, q: pl.Expr, inclusive: pl.Expr) -> pl.Expr:
    """Share threshold in integer arithmetic: count*q >= p*n (inclusive) or count*q > p*n (exclusive)."""
    return pl.when(inclusive).then(count * q >= p * n).otherwise(count * q > p * n)


class _Judge:
    def __init__(self, world: World, as_of: int, books: dict[str, Rulebook], ids: Ids | None = None) -> None:
        self.ids = ids
        self.as_of = as_of
        self.books = books
        w = world
        # -- the records as of as_of: later rows are ignored, later dates inside a row read as empty ----------------
        meetings = w.meetings.filter(pl.col("held_on") <= as_of)
        dropped = meetings.height < w.meetings.height
        self.meetings = meetings
        self.attendance = (
            w.attendance.join(meetings.select("meeting"), on="meeting", how="semi") if dropped else (w.attendance)
        )
        self.items = w.items.join(meetings.select("meeting"), on="meeting", how="semi") if dropped else w.items
        self.votes = _rows_in(w.votes, "item", self.items["item"])
        self.recusals = _rows_in(w.recusals, "item", self.items["item"])
        self.reports = w.reports.filter(pl.col("submitted_on") <= as_of)
        self.activities = w.activities.filter(pl.col("on_date") <= as_of)
        self.rects = w.rectifications.filter(pl.col("found_on") <= as_of).with_columns(
            pl.when(pl.col(c) <= as_of).then(pl.col(c)).alias(c) for c in ("measures_on", "report_on", "closed_on")
        )
        self.members = w.members
        self.world = w

        # -- organisations: rulebook, settings, existence -------------------------------------------------------------
        # The earliest record of each organisation: a per-organisation minimum over dense arrays (``minimum.at``)
        # instead of concatenating five tables and grouping.
        org = w.orgs["org"].to_numpy()
        never = np.iinfo(np.int64).max
        first = np.full(int(org.max(initial=-1)) + 1, never, dtype=np.int64)
        for table, column in (
            (self.members, "joined_on"),
            (self.meetings, "held_on"),
            (self.rects, "found_on"),
            (self.reports, "submitted_on"),
            (self.activities, "on_date"),
        ):
            np.minimum.at(first, table["org"].to_numpy(), table[column].fill_null(never).to_numpy())
        first = first[org]
        orgs = w.orgs.select("org", "org_id", "rulebook", "established_on", "dissolved_on").with_columns(
            first=nullable(first, first != never)
        )
        self.orgs = orgs.with_columns(
            book=pl.col("rulebook").fill_null(DEFAULT_RULEBOOK),
            est=pl.coalesce("established_on", "first"),
        )
        self.book_of = dict(zip(self.orgs["org"].to_list(), self.orgs["book"].to_list(), strict=True))
        self._roster_sizes()
        self._attendance_index()

    # -- settings as columns ----------------------------------------------------------------------------------------
    def setting(self, rule: str, key: str, dtype: pl.DataType = pl.Int64) -> pl.DataFrame:
        """(org, value) of one scalar setting, for organisations whose rulebook has the rule in force."""
        rows = [(org, self.books[b].get(rule, key)) for org, b in self.book_of.items() if rule in self.books[b].rules]
        return pl.DataFrame(rows, schema={"org": pl.Int64, key: dtype}, orient="row")

    def share(self, rule: str) -> pl.DataFrame:
        rows = [(org, *self.books[b].share(rule)) for org, b in self.book_of.items() if rule in self.books[b].rules]
        return pl.DataFrame(
            rows, schema={"org": pl.Int64, "p": pl.Int64, "q": pl.Int64, "incl": pl.Boolean}, orient="row"
        )

    def codes(self, rule: str, key: str, table: dict[str, int]) -> pl.DataFrame:
        """(org, code) for every code listed in a list setting, for organisations with the rule in force."""
        rows = [
            (org, table[c])
            for org, b in self.book_of.items()
            if rule in self.books[b].rules
            for c in self.books[b].get(rule, key)
        ]
        return pl.DataFrame(rows, schema={"org": pl.Int64, "code": pl.Int8}, orient="row")

    def in_force(self, rule: str) -> pl.DataFrame:
        orgs = [org for org, b in self.book_of.items() if rule in self.books[b].rules or rule in DQ_RULES]
        return pl.DataFrame({"org": orgs}, schema={"org": pl.Int64})

    def where_in_force(self, frame: pl.DataFrame, rule: str) -> pl.DataFrame:
        """The rows of ``frame`` whose organisation has ``rule`` in force."""
        return _rows_in(frame, "org", self.in_force(rule)["org"])

    def in_force_of(self, org: np.ndarray, rule: str) -> np.ndarray:
        """Whether each row's organisation has ``rule`` in force (DQ rules everywhere)."""
        force = np.zeros(int(max(self.book_of, default=-1)) + 1, dtype=bool)
        force[self.in_force(rule)["org"].to_numpy()] = True
        return force[org]

    def by_org(self, rule: str, key: str, dtype: type = np.int64) -> tuple[np.ndarray, np.ndarray]:
        """A scalar setting as a dense array by organisation, and whether the rule is in force there (the value is
        0 where it is not): gathered per row, where a column of settings with nulls cost as much as the rule."""
        size = int(max(self.book_of, default=-1)) + 1
        value = np.zeros(size, dtype=dtype)
        force = np.zeros(size, dtype=bool)
        for o, b in self.book_of.items():
            if rule in self.books[b].rules:
                value[o], force[o] = self.books[b].get(rule, key), True
        return value, force

    def share_by_org(self, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(p, q, inclusive) of a share setting as dense arrays by organisation, and whether the rule is in force."""
        size = int(max(self.book_of, default=-1)) + 1
        p, q = np.zeros(size, dtype=np.int64), np.ones(size, dtype=np.int64)
        incl, force = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
        for o, b in self.book_of.items():
            if rule in self.books[b].rules:
                p[o], q[o], incl[o] = self.books[b].share(rule)
                force[o] = True
        return p, q, incl, force

    def code_set(self, rule: str, key: str, table: dict[str, int]) -> np.ndarray:
        """Whether code c is listed in a list setting of organisation o, at ``o * 256 + c`` (false where the rule
        is not in force)."""
        listed = np.zeros((int(max(self.book_of, default=-1)) + 1) * 256, dtype=bool)
        codes = self.codes(rule, key, table)
        listed[codes["org"].to_numpy() * 256 + codes["code"].to_numpy()] = True
        return listed

    def below(self, total: np.ndarray, org: np.ndarray, rule: str, key: str) -> np.ndarray:
        """Whether each row's ``total`` is below a numeric setting of its organisation, false where the rule is not
        in force."""
        value, force = self.by_org(rule, key, np.float64)
        return force[org] & (total < value[org])

    # -- facts ------------------------------------------------------------------------------------------------------
    def _roster_sizes(self) -> None:
        """entitled(m) per meeting: members with joined_on <= held_on < left_on, by binary search per org."""
        mem = self.members
        org = mem["org"].to_numpy()
        joined = np.sort(org * BIG + mem["joined_on"].to_numpy())
        left_col = mem.filter(pl.col("left_on").is_not_null())
        left = np.sort(left_col["org"].to_numpy() * BIG + left_col["left_on"].to_numpy())
        m_org = self.meetings["org"].to_numpy()
        key = m_org * BIG + self.meetings["held_on"].to_numpy()
        n = np.searchsorted(joined, key, side="right") - np.searchsorted(left, key, side="right")
        # Keys of other organisations below this one cancel out: both arrays count them in full.
        n -= np.searchsorted(joined, m_org * BIG, side="left") - np.searchsorted(left, m_org * BIG, side="left")
        # Rows, present rows and items per meeting: counted by meeting index (bincount), not grouped.
        meeting = self.meetings["meeting"].to_numpy()
        size = int(meeting.max()) + 1 if len(meeting) else 1
        a_meeting = self.attendance["meeting"].to_numpy()
        present = (self.attendance["status"].to_numpy() == PRESENT).astype(np.int64)

        def per_meeting(keys: np.ndarray, weights: np.ndarray | None = None) -> pl.Series:
            counts = np.bincount(keys, weights=weights, minlength=size)[:size].astype(np.int64)
            return pl.Series(counts[meeting])

        self.facts = self.meetings.with_columns(
            n=pl.Series(n.astype(np.int64)),
            rows=per_meeting(a_meeting),
            present=per_meeting(a_meeting, present),
            n_items=per_meeting(self.items["meeting"].to_numpy()),
        )

    def _attendance_index(self) -> None:
        """Attendance keyed by (meeting, member) packed into one sorted int64, for look-ups by binary search (a join
        with the whole attendance table cost more than the rest of the rule)."""
        key = (self.attendance["meeting"].to_numpy().astype(np.int64) << 32) | self.attendance["member"].to_numpy()
        status = self.attendance["status"].to_numpy()
        if len(key) > 1 and not (key[1:] > key[:-1]).all():
            order = np.argsort(key, kind="stable")
            key, status = key[order], status[order]
        self.att_key, self.att_status = key, status

    def status_of(self, meeting: np.ndarray, member: np.ndarray) -> np.ndarray:
        """The attendance status of each (meeting, member), -1 where there is no row."""
        key = (np.asarray(meeting, dtype=np.int64) << 32) | np.asarray(member, dtype=np.int64)
        if not len(self.att_key):
            return np.full(len(key), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.att_key, key), len(self.att_key) - 1)
        return np.where(self.att_key[pos] == key, self.att_status[pos].astype(np.int64), -1)

    # -- periods ----------------------------------------------------------------------------------------------------
    def org_months(self) -> pl.DataFrame:
        """Judged org-months: complete before as_of, the organisation existing the whole month."""
        o = self.orgs.filter(pl.col("est").is_not_null())
        est = o["est"].to_numpy()
        first = month_index(est)
        last = month_index(np.array([self.as_of - 1]))[0]
        oi, k = expand(np.zeros(len(est), dtype=np.int64), np.maximum(last - first + 1, 0))
        m = first[oi] + k
        start, end = month_start(m), month_start(m + 1)  # end: first day of the next month
        dis = o["dissolved_on"].fill_null(np.iinfo(np.int64).max).to_numpy()[oi]
        ok = (end - 1 < self.as_of) & (est[oi] <= start) & (dis > end - 1)
        return pl.DataFrame({"org": o["org"].to_numpy()[oi][ok], "month": m[ok]})

    def org_years(self) -> pl.DataFrame:
        o = self.orgs.filter(pl.col("est").is_not_null())
        est = o["est"].to_numpy()
        first = year_of(est)
        last = year_of(np.array([self.as_of - 1]))[0]
        oi, k = expand(np.zeros(len(est), dtype=np.int64), np.maximum(last - first + 1, 0))
        y = first[oi] + k
        dis = o["dissolved_on"].fill_null(np.iinfo(np.int64).max).to_numpy()[oi]
        ok = (day(y, 12, 31) < self.as_of) & (est[oi] <= day(y)) & (dis > day(y, 12, 31))
        return pl.DataFrame({"org": o["org"].to_numpy()[oi][ok], "year": y[ok]})

    def member_years(self) -> pl.DataFrame:
        """(member, year) for every complete year a member spent any day on the roster; ``whole`` marks whole-year."""
        mem = self.members
        joined = mem["joined_on"].to_numpy()
        end = mem["left_on"].fill_null(np.iinfo(np.int32).max).to_numpy()
        last_complete = year_of(np.array([self.as_of]))[0] - 1
        first = year_of(joined)
        last = np.minimum(year_of(np.minimum(end, self.as_of) - 1), last_complete)
        mi, k = expand(np.zeros(len(joined), dtype=np.int64), np.maximum(last - first + 1, 0))
        y = first[mi] + k
        whole = (joined[mi] <= day(y)) & (end[mi] > day(y, 12, 31))
        return pl.DataFrame(
            {
                "member": mem["member"].to_numpy()[mi],
                "org": mem["org"].to_numpy()[mi],
                "role": mem["role"].to_numpy()[mi],
                "year": y,
                "whole": whole,
                "joined_on": joined[mi],
                "end": end[mi],
            }
        )

    # -- the rules --------------------------------------------------------------------------------------------------
    def run(self) -> pl.DataFrame:
        parts = [
            self.monthly(),
            self.yearly(),
            self.meeting_rules(),
            self.item_rules(),
            self.study_time(),
            self.quotas(),
            self.democratic_life_reports(),
            self.rectification_rules(),
            self.minutes_sequence(),
        ]
        found = pl.concat([_empty(), *(p for p in parts if p.height)], how="vertical_relaxed")
        return self.keys(found)

    def monthly(self) -> pl.DataFrame:
        om = self.org_months()
        # Meetings of a kind per (org, month), counted over a dense index (``bincount``) and gathered for each judged
        # org-month, instead of a group-by and two joins per rule.
        org, month = self.meetings["org"].to_numpy(), month_index(self.meetings["held_on"].to_numpy())
        kind = self.meetings["kind"].to_numpy()
        om_org, om_month = om["org"].to_numpy(), om["month"].to_numpy()
        m0 = int(min(month.min(initial=0), om_month.min(initial=0)))
        span = int(max(month.max(initial=m0), om_month.max(initial=m0))) - m0 + 1
        o0 = int(min(org.min(initial=0), om_org.min(initial=0)))  # a chunk's organisations: a window of indices
        size = (int(max(org.max(initial=o0), om_org.max(initial=o0))) - o0 + 1) * span
        at = (om_org - o0) * span + (om_month - m0)
        out = []
        for rule, code in (("MTG001", PARTY_GROUP), ("STU002", STUDY)):
            rows = kind == code
            count = np.bincount((org[rows] - o0) * span + (month[rows] - m0), minlength=size)[at]
            short = pl.Series(self.below(count, om_org, rule, "min_per_month"))
            out.append(
                om.filter(short).select(
                    "org", rule_id=pl.lit(rule), kind=pl.lit("org_month"), a=pl.col("month"), b=pl.lit(0)
                )
            )
        return pl.concat(out, how="vertical_relaxed")

    def yearly(self) -> pl.DataFrame:
        oy = self.org_years()
        out = []
        dl_years = (
            self.meetings.filter(pl.col("kind") == DEMOCRATIC_LIFE)
            .select(
                "org",
                year=pl.Series(year_of(self.meetings.filter(pl.col("kind") == DEMOCRATIC_LIFE)["held_on"].to_numpy())),
            )
            .unique()
        )
        out.append(
            oy.join(dl_years, on=["org", "year"], how="anti").select(
                "org", rule_id=pl.lit("DLM001"), kind=pl.lit("org_year"), a=pl.col("year"), b=pl.lit(0)
            )
        )
        # RPT001: a report covers period_year, else the year before submission when filed by that year's due date,
        # else the year of submission; it must be filed by the due date of the year after the one it covers.
        due = self.setting("RPT001", "due", pl.String).with_columns(
            due_m=pl.col("due").str.slice(0, 2).cast(pl.Int64), due_d=pl.col("due").str.slice(3, 2).cast(pl.Int64)
        )
        annual = self.reports.filter(pl.col("kind") == ANNUAL_WORK).join(due, on="org")
        sub = annual["submitted_on"].to_numpy()
        sy = year_of(sub)
        own_due = day(sy, annual["due_m"].to_numpy(), annual["due_d"].to_numpy())
        covers = np.where(sub <= own_due, sy - 1, sy)
        annual = annual.with_columns(covers=pl.coalesce("period_year", pl.Series(covers)))
        deadline = day(annual["covers"].to_numpy() + 1, annual["due_m"].to_numpy(), annual["due_d"].to_numpy())
        on_time = annual.filter(pl.Series(sub <= deadline)).select("org", year=pl.col("covers")).unique()
        judged = oy.join(due, on="org")
        dd = day(judged["year"].to_numpy() + 1, judged["due_m"].to_numpy(), judged["due_d"].to_numpy())
        out.append(
            judged.filter(pl.Series(dd < self.as_of))
            .join(on_time, on=["org", "year"], how="anti")
            .select("org", rule_id=pl.lit("RPT001"), kind=pl.lit("org_year"), a=pl.col("year"), b=pl.lit(0))
        )
        return pl.concat(out, how="vertical_relaxed")

    def meeting_rules(self) -> pl.DataFrame:
        f = self.facts
        out = []

        def flag(frame: pl.DataFrame, rule: str) -> None:
            out.append(frame.select("org", rule_id=pl.lit(rule), kind=pl.lit("meeting"), a="meeting", b=pl.lit(0)))

        f_org, f_kind = f["org"].to_numpy(), f["kind"].to_numpy()
        f_n, f_present = f["n"].to_numpy(), f["present"].to_numpy()
        for rule, kind in (("MTG002", PARTY_GROUP), ("DLM002", DEMOCRATIC_LIFE)):
            # The share setting gathered per meeting from dense arrays by organisation (no join).
            p, q, incl, force = self.share_by_org(rule)
            p, q, incl = p[f_org], q[f_org], incl[f_org]
            meets = np.where(incl, f_present * q >= p * f_n, f_present * q > p * f_n)
            flag(f.filter(pl.Series((f_kind == kind) & (f_n > 0) & force[f_org] & ~meets)), rule)

        # MTG004: notice spanning min_days (working) days before the meeting; emergencies and exempt items excepted.
        # Settings and exempt meetings through dense arrays (by organisation, by meeting): no join.
        meeting = f["meeting"].to_numpy()
        org_at = np.zeros(int(meeting.max(initial=-1)) + 1, dtype=np.int64)
        org_at[meeting] = f["org"].to_numpy()
        i_meeting = self.items["meeting"].to_numpy()
        listed = self.code_set("MTG004", "exempt_categories", CATEGORY)
        exempt = np.zeros(len(org_at), dtype=bool)
        exempt[i_meeting[listed[org_at[i_meeting] * 256 + self.items["category"].to_numpy()]]] = True
        pg = f.filter((pl.col("kind") == PARTY_GROUP) & ~pl.col("is_emergency"))
        pg_org = pg["org"].to_numpy()
        min_days, force = self.by_org("MTG004", "min_days")
        working, _ = self.by_org("MTG004", "working_days", bool)
        judged = force[pg_org] & ~exempt[pg["meeting"].to_numpy()]
        pg = pg.filter(pl.Series(judged))
        pg_org = pg_org[judged]
        notice = pg["notice_sent_on"].fill_null(0).to_numpy()
        held = pg["held_on"].to_numpy()
        span = np.where(working[pg_org], working_days_between(notice, held), np.maximum(held - notice, 0))
        flag(pg.filter(pg["notice_sent_on"].is_null() | pl.Series(span < min_days[pg_org])), "MTG004")
        flag(f.filter((pl.col("kind") == PARTY_GROUP) & pl.col("minutes_no").is_null()), "MTG006")
        has_first = np.zeros(len(org_at), dtype=bool)
        first = (self.items["seq"].to_numpy() == 1) & (self.items["category"].to_numpy() == FIRST_TOPIC)
        has_first[i_meeting[first]] = True
        flag(
            f.filter((pl.col("kind") == PARTY_GROUP) & (pl.col("n_items") > 0) & ~pl.Series(has_first[meeting])),
            "MTG007",
        )
        flag(self._unreported_emergencies(), "MTG008")
        flag(f.filter((pl.col("kind") == STUDY) & pl.col("duration_hours").is_null()), "DQ003")
        flag(f.filter((pl.col("kind") == PARTY_GROUP) & (pl.col("n_items") == 0)), "DQ004")

        # ATT001: absent without leave at a meeting of the judged kinds.
        kind_at = np.zeros(len(org_at), dtype=np.int64)
        kind_at[meeting] = f["kind"].to_numpy()
        judged_kind = self.code_set("ATT001", "kinds", KIND)
        a_meeting = self.attendance["meeting"].to_numpy()
        absent = (self.attendance["status"].to_numpy() == ABSENT) & judged_kind[
            org_at[a_meeting] * 256 + kind_at[a_meeting]
        ]
        out.append(
            self.attendance.filter(pl.Series(absent)).select(
                org=pl.Series(org_at[a_meeting[absent]]),
                rule_id=pl.lit("ATT001"),
                kind=pl.lit("attendance"),
                a="meeting",
                b="member",
            )
        )
        out.append(self._unrecorded())
        return pl.concat(out, how="vertical_relaxed")

    def _unreported_emergencies(self) -> pl.DataFrame:
        m = self.meetings
        pg = m.filter(pl.col("kind") == PARTY_GROUP).sort("org", "held_on")
        ed = m.filter(pl.col("kind") == EMERGENCY_DECISION)
        pg_key = pg["org"].to_numpy() * BIG + pg["held_on"].to_numpy()
        ed_key = ed["org"].to_numpy() * BIG + ed["held_on"].to_numpy()
        nxt = np.searchsorted(pg_key, ed_key, side="right")
        has = nxt < len(pg_key)
        nxt_c = np.minimum(nxt, max(len(pg_key) - 1, 0))
        if len(pg_key):
            has &= pg["org"].to_numpy()[nxt_c] == ed["org"].to_numpy()
            deadline = pg["held_on"].to_numpy()[nxt_c]
        else:
            deadline = np.zeros(len(ed_key), dtype=np.int64)
        judged = ed.with_columns(deadline=pl.Series(deadline)).filter(
            pl.Series(has) & (pl.col("deadline") < self.as_of)
        )
        reported = (
            self.items.filter(pl.col("category") == EMERGENCY_REPORT)
            .join(m.filter(pl.col("kind") == PARTY_GROUP).select("meeting", at=pl.col("held_on")), on="meeting")
            .join(judged.select(refers_to="meeting", e="held_on", deadline="deadline"), on="refers_to")
            .filter((pl.col("at") >= pl.col("e")) & (pl.col("at") <= pl.col("deadline")))
            .select(meeting="refers_to")
        )
        return judged.join(reported, on="meeting", how="anti").join(self.in_force("MTG008"), on="org", how="semi")

    def _unrecorded(self) -> pl.DataFrame:
        """DQ001: rostered members without an attendance row (not at emergency decisions)."""
        short = self.facts.filter((pl.col("kind") != EMERGENCY_DECISION) & (pl.col("rows") < pl.col("n")))
        if not short.height:
            return _empty()
        roster = (
            short.select("meeting", "org", "held_on")
            .join(self.members.select("member", "org", "joined_on", "left_on"), on="org")
            .filter(
                (pl.col("joined_on") <= pl.col("held_on"))
                & (pl.col("left_on").is_null() | (pl.col("left_on") > pl.col("held_on")))
            )
        )
        missing = self.status_of(roster["meeting"].to_numpy(), roster["member"].to_numpy()) < 0
        return roster.filter(pl.Series(missing)).select(
            "org", rule_id=pl.lit("DQ001"), kind=pl.lit("attendance"), a="meeting", b="member"
        )

    def item_rules(self) -> pl.DataFrame:
        # Items, votes and recusals meet their meeting's facts, their item and their member by dense look-ups and
        # per-item counts by ``bincount``: the joins and group-bys these replace were a third of the judging.
        f = self.facts
        items = self.items.select(
            "item",
            "meeting",
            "seq",
            "category",
            "ad_hoc",
            "decision",
            "vote_method",
            "yes_count",
            "no_count",
            "abstain_count",
        )
        at = _positions(f["meeting"], items["meeting"])
        items = items.with_columns(
            f[c].gather(at) for c in ("org", "kind", "held_on", "chair", "is_emergency", "n", "present")
        )
        n_items = items.height
        held = items["held_on"].to_numpy()
        chair = items["chair"].fill_null(-1).to_numpy()
        # Recusals of members on the roster of the meeting reduce entitled(item).
        r_item = _positions(items["item"], self.recusals["item"])
        r_member = self.recusals["member"].to_numpy()
        m_at = _positions(self.members["member"], self.recusals["member"])
        joined = self.members["joined_on"].to_numpy()[m_at]
        left = self.members["left_on"].fill_null(np.iinfo(np.int64).max).to_numpy()[m_at]
        r_held = held[r_item]
        rostered = (joined <= r_held) & (left > r_held)
        recused = np.bincount(r_item[rostered], minlength=n_items)[:n_items]

        v = self.votes
        v_item = _positions(items["item"], v["item"])
        v_member = v["member"].to_numpy()
        present = self.status_of(items["meeting"].to_numpy()[v_item], v_member) == PRESENT
        # A recusal of the voter on the same item: (item, member) packed into one sorted key, found by binary search.
        r_key = np.sort((self.recusals["item"].to_numpy().astype(np.int64) << 32) | r_member)
        v_key = (v["item"].to_numpy().astype(np.int64) << 32) | v_member
        hit = np.minimum(np.searchsorted(r_key, v_key), max(len(r_key) - 1, 0))
        is_recused = r_key[hit] == v_key if len(r_key) else np.zeros(len(v_key), dtype=bool)
        choice = v["choice"].to_numpy()
        counted = present & ~is_recused
        order = v["cast_order"]
        has_order = order.is_not_null().to_numpy()
        order = order.fill_null(0).to_numpy().astype(np.int64)

        def per_item(mask: np.ndarray) -> np.ndarray:
            return np.bincount(v_item[mask], minlength=n_items)[:n_items].astype(np.int64)

        def max_order(mask: np.ndarray) -> np.ndarray:  # -1: no ordered vote
            top = np.full(n_items, -1, dtype=np.int64)
            np.maximum.at(top, v_item[mask], order[mask])
            return top

        def col(name: str, null: object) -> np.ndarray:
            return items[name].fill_null(null).to_numpy()

        # Each rule's condition is one boolean array over all items, with the organisation's settings gathered per
        # row from dense arrays (a rule not in force fails the condition): NumPy over the item columns, where a
        # Polars expression per rule over a wide frame cost as much again. Nulls read as the Polars conditions did
        # (a null comparison fails).
        org = items["org"].to_numpy()
        kind, n, present_n = items["kind"].to_numpy(), items["n"].to_numpy(), items["present"].to_numpy()
        category = items["category"].to_numpy()
        decision = col("decision", -1)
        not_emergency = ~col("is_emergency", True)
        counts = {c: items[c] for c in ("yes_count", "no_count", "abstain_count")}
        has_tally = np.zeros(n_items, dtype=bool)
        for c in counts.values():
            has_tally |= c.is_not_null().to_numpy()
        voted = per_item(np.ones(len(v_item), dtype=bool))
        has_votes = voted > 0
        entitled = n - recused.astype(np.int64)
        yes = np.where(has_votes, per_item((choice == YES) & counted), col("yes_count", 0))
        no = np.where(has_votes, per_item((choice == NO) & counted), col("no_count", 0))
        all_v = {"yes_count": YES, "no_count": NO, "abstain_count": ABSTAIN}
        chair_order = max_order(has_order & (v_member == chair[v_item]))
        top_order = max_order(has_order)

        def meets(count: np.ndarray, total: np.ndarray, rule: str) -> np.ndarray:
            p, q, incl, force = self.share_by_org(rule)
            p, q, incl = p[org], q[org], incl[org]
            return force[org] & ~np.where(incl, count * q >= p * total, count * q > p * total)

        judged = kind != EMERGENCY_DECISION
        decided = (decision == PASSED) | (decision == REJECTED)
        passed = decision == PASSED
        in_cats = self.code_set("MTG003", "categories", CATEGORY)
        margin, margin_force = self.by_org("VOT006", "margin")
        differs = np.zeros(n_items, dtype=bool)
        for c, code in all_v.items():
            differs |= counts[c].is_not_null().to_numpy() & (col(c, 0) != per_item(choice == code))
        method = items["vote_method"]
        conditions = {
            # MTG003: items of the rulebook's categories at a meeting short of its decision quorum.
            "MTG003": judged & (n > 0) & (entitled > 0) & in_cats[org * 256 + category] & meets(present_n, n, "MTG003"),
            "MTG005": judged & col("ad_hoc", False) & not_emergency,
            "VOT001": judged & passed & (entitled > 0) & (has_votes | has_tally) & meets(yes, entitled, "VOT001"),
            "VOT003": judged & decided & ~has_votes & ~has_tally,
            "VOT005": judged & (chair_order >= 0) & (top_order > chair_order),
            "VOT006": judged
            & passed
            & not_emergency
            & (has_votes | has_tally)
            & margin_force[org]
            & (yes - no <= margin[org]),
            "VOT007": judged
            & (category == PERSONNEL)
            & decided
            & (method.is_null().to_numpy() | (method.fill_null(SECRET_BALLOT).to_numpy() != SECRET_BALLOT)),
            # DQ002: a tally count that disagrees with the recorded per-member votes of its choice (any meeting kind).
            "DQ002": has_votes & differs,
        }
        subjects = items.select("org", "item")
        out = [
            subjects.filter(pl.Series(cond & self.in_force_of(org, rule))).select(
                "org", rule_id=pl.lit(rule), kind=pl.lit("item"), a="item", b=pl.lit(0)
            )
            for rule, cond in conditions.items()
        ]
        votes = v.with_columns(
            org=items["org"].gather(v_item),
            kind=items["kind"].gather(v_item),
            present=pl.Series(present),
            is_recused=pl.Series(is_recused),
        )
        v_org = votes["org"].to_numpy()
        vj = votes.select("org", "item", "member", judged=pl.col("kind") != EMERGENCY_DECISION)
        for rule, cond in (("VOT002", ~pl.Series(present)), ("VOT004", pl.Series(is_recused))):
            out.append(
                vj.filter(pl.col("judged") & cond & pl.Series(self.in_force_of(v_org, rule))).select(
                    "org", rule_id=pl.lit(rule), kind=pl.lit("vote"), a="item", b="member"
                )
            )
        return pl.concat(out, how="vertical_relaxed")

    def study_time(self) -> pl.DataFrame:
        """STU001 per member-year: hours attended against the year's study hours while on the roster."""
        my = self.member_years().join(self.share("STU001"), on="org")
        study = self.meetings.filter(pl.col("kind") == STUDY).sort("org", "held_on")
        s_key = study["org"].to_numpy() * BIG + study["held_on"].to_numpy()
        cum = np.concatenate([[0.0], np.cumsum(study["duration_hours"].fill_null(0.0).to_numpy())])
        y = my["year"].to_numpy()
        org = my["org"].to_numpy()
        lo = np.maximum(my["joined_on"].to_numpy(), day(y))
        hi = np.minimum(my["end"].to_numpy(), day(y + 1))  # roster days are [joined_on, left_on)
        total = (
            cum[np.searchsorted(s_key, org * BIG + hi, side="left")]
            - cum[np.searchsorted(s_key, org * BIG + lo, side="left")]
        )
        # Hours attended per (member, year), summed over a dense index: hours are multiples of half an hour, so the
        # sums are exact whatever their order.
        a_meeting = self.attendance["meeting"].to_numpy()
        slot = np.full(int(self.meetings["meeting"].max() or 0) + 1, -1, dtype=np.int64)
        slot[study["meeting"].to_numpy()] = np.arange(study.height, dtype=np.int64)
        at = slot[a_meeting]
        rows = at >= 0
        at = at[rows]
        duration = study["duration_hours"].fill_null(0.0).to_numpy()[at]
        hours = self.attendance["hours"].filter(pl.Series(rows))
        present = self.attendance["status"].to_numpy()[rows] == PRESENT
        got = np.where(hours.is_null().to_numpy(), np.where(present, duration, 0.0), hours.fill_null(0.0).to_numpy())
        a_member = self.attendance["member"].to_numpy()[rows]
        a_year = year_of(study["held_on"].to_numpy())[at]
        member = my["member"].to_numpy()
        years = np.concatenate([a_year, y])
        y0 = int(years.min(initial=0 if not len(years) else int(years[0])))
        span = int(years.max(initial=y0)) - y0 + 1
        size = (int(max(a_member.max(initial=-1), member.max(initial=-1))) + 1) * span
        per_member_year = np.bincount(a_member * span + (a_year - y0), weights=got, minlength=size)
        judged = my.with_columns(
            total=pl.Series(total), got=pl.Series(per_member_year[member * span + (y - y0)])
        ).filter(
            (pl.col("total") > 0) & ~_meets(pl.col("got"), pl.col("total"), pl.col("p"), pl.col("q"), pl.col("incl"))
        )
        return judged.select("org", rule_id=pl.lit("STU001"), kind=pl.lit("member_year"), a="member", b="year")

    def quotas(self) -> pl.DataFrame:
        """STU003, RES001, RES002 and TLK001: a whole-year member's yearly total of a kind of activity.

        Totals are sums over a dense (member, year) index (``bincount``), gathered for each member-year: the group-bys
        and joins these replace cost as much as the rest of the rules. Quantities are whole numbers, so the sums are
        exact whatever their order."""
        my = self.member_years().filter("whole")
        act = self.activities
        member = act["member"].to_numpy()
        year = year_of(act["on_date"].to_numpy())
        q = act["quantity"].fill_null(1.0).to_numpy()
        kind = act["kind"].to_numpy()
        my_member, my_year, my_org = my["member"].to_numpy(), my["year"].to_numpy(), my["org"].to_numpy()
        years = np.concatenate([year, my_year])
        y0 = int(years.min(initial=0 if not len(years) else int(years[0])))
        span = int(years.max(initial=y0)) - y0 + 1
        counterpart = act["counterpart"]
        tops = (member.max(initial=-1), my_member.max(initial=-1), self.members["member"].max(), counterpart.max())
        n_members = 1 + int(max(t for t in tops if t is not None))

        def totals(rows: np.ndarray, who: np.ndarray) -> np.ndarray:
            """Each member-year's total quantity over ``rows`` of the activities, credited to ``who``."""
            sums = np.bincount(who[rows] * span + (year[rows] - y0), weights=q[rows], minlength=n_members * span)
            return sums[my_member * span + (my_year - y0)]

        def short_of(rule: str, key: str, total: np.ndarray, rows: pl.Expr | None = None) -> pl.DataFrame:
            short = pl.Series(self.below(total, my_org, rule, key))
            return my.filter(short if rows is None else rows & short).select(
                "org", rule_id=pl.lit(rule), kind=pl.lit("member_year"), a="member", b="year"
            )

        out = [
            short_of(rule, key, totals(kind == code, member))
            for rule, code, key in (
                ("STU003", STUDY_ARTICLE, "min_per_year"),
                ("RES001", RESEARCH_REPORT, "min_per_year"),
                ("RES002", GRASSROOTS_DAYS, "min_days"),
            )
        ]
        # TLK001: talks with any secretary spell of the organisation, recorded by either side (a talk recorded by the
        # secretary counts for the counterpart).
        org_of = np.full(n_members, -1, dtype=np.int64)
        org_of[self.members["member"].to_numpy()] = self.members["org"].to_numpy()
        is_sec = np.zeros(n_members, dtype=bool)
        is_sec[self.members.filter(pl.col("role") == SECRETARY)["member"].to_numpy()] = True
        has_cp = counterpart.is_not_null().to_numpy()
        cp = counterpart.fill_null(0).to_numpy()
        talk = (kind == TALK) & has_cp & (org_of[cp] == org_of[member]) & (org_of[member] >= 0)
        total = totals(talk & is_sec[cp], member) + totals(talk & is_sec[member], cp)
        out.append(short_of("TLK001", "min_per_year", total, pl.col("role") != SECRETARY))
        return pl.concat(out, how="vertical_relaxed")

    def democratic_life_reports(self) -> pl.DataFrame:
        dl = self.meetings.filter(pl.col("kind") == DEMOCRATIC_LIFE).select("meeting", "org", "held_on")
        out = []
        late = dl.join(self.setting("DLM003", "days"), on="org").filter(pl.col("held_on") + pl.col("days") < self.as_of)
        ok = (
            self.reports.filter(pl.col("kind") == DL_REPORT)
            .join(late, on="meeting")
            .filter(
                (pl.col("submitted_on") >= pl.col("held_on"))
                & (pl.col("submitted_on") <= pl.col("held_on") + pl.col("days"))
            )
            .select("meeting")
        )
        out.append(
            late.join(ok, on="meeting", how="anti").select(
                "org", rule_id=pl.lit("DLM003"), kind=pl.lit("meeting"), a="meeting", b=pl.lit(0)
            )
        )
        plans = dl.join(self.setting("DLM004", "days"), on="org")
        ok = (
            self.reports.filter(pl.col("kind") == DL_PLAN)
            .join(plans, on="meeting")
            .filter(pl.col("submitted_on") <= pl.col("held_on") - pl.col("days"))
            .select("meeting")
        )
        out.append(
            plans.join(ok, on="meeting", how="anti").select(
                "org", rule_id=pl.lit("DLM004"), kind=pl.lit("meeting"), a="meeting", b=pl.lit(0)
            )
        )
        return pl.concat(out, how="vertical_relaxed")

    def rectification_rules(self) -> pl.DataFrame:
        r = self.rects
        out = []

        def flag(frame: pl.DataFrame, rule: str) -> None:
            out.append(
                self.where_in_force(frame, rule).select(
                    "org", rule_id=pl.lit(rule), kind=pl.lit("rect"), a="rect", b=pl.lit(0)
                )
            )

        flag(r.filter(pl.col("closed_on").is_null() & (pl.col("due_on") < self.as_of)), "REC001")
        flag(r.filter(pl.col("closed_on") > pl.col("due_on")), "REC002")
        dl = r.filter(pl.col("source") == SRC_DEMOCRATIC_LIFE).join(self.setting("REC003", "months"), on="org")
        deadline = self._months_later(dl)
        flag(
            dl.with_columns(deadline=pl.Series(deadline, dtype=pl.Int64))
            .filter(pl.col("deadline") < self.as_of)
            .filter(pl.col("measures_on").is_null() | (pl.col("measures_on") > pl.col("deadline"))),
            "REC003",
        )
        flag(r.filter(pl.col("owner").is_null() | pl.col("due_on").is_null()), "REC004")
        flag(
            r.filter(pl.col("source") == SRC_INSPECTION)
            .join(self.setting("REC005", "days"), on="org")
            .with_columns(deadline=pl.col("found_on") + pl.col("days"))
            .filter(pl.col("deadline") < self.as_of)
            .filter(pl.col("report_on").is_null() | (pl.col("report_on") > pl.col("deadline"))),
            "REC005",
        )
        return pl.concat(out, how="vertical_relaxed")

    @staticmethod
    def _months_later(frame: pl.DataFrame) -> np.ndarray:
        found = frame["found_on"].to_numpy()
        months = frame["months"].to_numpy()
        out = np.empty(len(found), dtype=np.int64)
        for n in np.unique(months):  # one pass per distinct setting value (a handful), not per row
            sel = months == n
            out[sel] = add_months_clamped(found[sel], int(n))
        return out

    def minutes_sequence(self) -> pl.DataFrame:
        """MTG009: in each complete org-year, minutes numbers must be exactly 1..max, each used once."""
        complete_before = year_of(np.array([self.as_of]))[0]
        m = self.meetings.filter(pl.col("minutes_no").is_not_null() & (pl.col("minutes_no") > 0))
        year = year_of(m["held_on"].to_numpy())
        m = m.filter(pl.Series(year < complete_before))
        year = year[year < complete_before]
        if not m.height:
            return _empty()
        # Org-years as cells of a dense table and (cell, number) packed into one key: duplicates are runs of equal
        # keys, the highest number per cell a ``maximum.at``, and the numbers in use a dense mark per key (no window
        # function, group-by or anti-join).
        org, no = m["org"].to_numpy(), m["minutes_no"].to_numpy()
        o0, y0 = int(org.min()), int(year.min())
        span = int(year.max()) - y0 + 1
        cell = (org - o0) * span + (year - y0)
        width = int(no.max()) + 1
        key = cell * width + no
        uses = np.bincount(key, minlength=int(key.max()) + 1)
        dup = m.filter(pl.Series(uses[key] > 1)).select(
            "org", rule_id=pl.lit("MTG009"), kind=pl.lit("meeting"), a="meeting", b=pl.lit(0)
        )
        top = np.zeros(int(cell.max()) + 1, dtype=np.int64)
        np.maximum.at(top, cell, no)
        cells = np.flatnonzero(top)
        ci, k = expand(np.zeros(len(cells), dtype=np.int64), top[cells])
        number = k + 1
        missing = uses[cells[ci] * width + number] == 0
        gap_cell = cells[ci][missing]
        gaps = pl.DataFrame(
            {
                "org": gap_cell // span + o0,
                "rule_id": "MTG009",
                "kind": "gap",
                "a": gap_cell % span + y0,
                "b": number[missing],
            },
            schema={"org": pl.Int64, "rule_id": pl.String, "kind": pl.String, "a": pl.Int64, "b": pl.Int64},
        )
        return pl.concat([dup, gaps], how="vertical_relaxed")

    # -- subject keys -----------------------------------------------------------------------------------------------
    def keys(self, found: pl.DataFrame) -> pl.DataFrame:
        """Subject keys in rules.md's forms, for the findings of rules in force (DQ everywhere)."""
        # Rules in force as a dense (organisation, rule) table, read per finding: a semi-join on the rule's name
        # cost more than the look-up.
        rule_no = {rule: i for i, rule in enumerate(RULE_IDS)}
        force = np.zeros((int(max(self.book_of, default=-1)) + 1, len(RULE_IDS)), dtype=bool)
        for org, b in self.book_of.items():
            force[org, [rule_no[r] for r in (*self.books[b].rules, *DQ_RULES) if r in rule_no]] = True
        code = found["rule_id"].cast(pl.Enum(RULE_IDS)).to_physical().to_numpy()
        found = found.filter(pl.Series(force[found["org"].to_numpy(), code]))
        ids = self.ids or with_ids(self.world)
        org_id = (ids.orgs, "org", "org_id")
        meeting_id = (ids.meetings, "meeting", "meeting_id")
        item_id = (ids.items, "item", "item_id")
        member_id = (ids.members, "member", "member_id")
        rect_id = (ids.rectifications, "rect", "rect_id")
        text = pl.String
        # Each kind of subject is one form of key, built over that kind's findings only: ids are gathered by binary
        # search (joining the findings to every id table cost more than judging).
        forms: dict[str, Any] = {
            "meeting": lambda f: [_id(meeting_id, f["a"])],
            "item": lambda f: [_id(item_id, f["a"])],
            "attendance": lambda f: [_id(meeting_id, f["a"]), "/", _id(member_id, f["b"])],
            "vote": lambda f: [_id(item_id, f["a"]), "/", _id(member_id, f["b"])],
            "member_year": lambda f: [_id(member_id, f["a"]), "/", f["b"].cast(text)],
            "org_month": lambda f: [
                _id(org_id, f["org"]),
                "/",
                (f["a"] // 12 + 1970).cast(text),
                "-",
                (f["a"] % 12 + 1).cast(text).str.zfill(2),
            ],
            "org_year": lambda f: [_id(org_id, f["org"]), "/", f["a"].cast(text)],
            "rect": lambda f: [_id(rect_id, f["a"])],
            "gap": lambda f: [_id(org_id, f["org"]), "/", f["a"].cast(text), "/#", f["b"].cast(text)],
        }
        parts = [pl.DataFrame(schema={"rule_id": pl.String, "subject_key": pl.String})]
        for (kind,), f in found.partition_by("kind", as_dict=True, maintain_order=True).items():
            pieces = forms[kind](f)
            columns = pl.DataFrame({f"p{i}": p for i, p in enumerate(pieces) if isinstance(p, pl.Series)})
            key = pl.concat_str([pl.lit(p) if isinstance(p, str) else pl.col(f"p{i}") for i, p in enumerate(pieces)])
            parts.append(pl.DataFrame({"rule_id": f["rule_id"], "subject_key": columns.select(key).to_series()}))
        # Sorted by Arrow (Polars' sort of two string columns took twice as long), then duplicates dropped as runs.
        table = pl.concat(parts).to_arrow()
        table = table.take(pc.sort_indices(table, sort_keys=[("rule_id", "ascending"), ("subject_key", "ascending")]))
        keys = pl.from_arrow(table)
        assert isinstance(keys, pl.DataFrame)
        return keys.filter(pl.any_horizontal(pl.all().ne_missing(pl.all().shift(1))))


def _rows_in(frame: pl.DataFrame, column: str, keys: pl.Series) -> pl.DataFrame:
    """The rows of ``frame`` whose ``column`` (non-negative integers) is one of ``keys``, in their order: a lookup
    in a dense array instead of a semi-join, and no copy at all when every row qualifies."""
    values = frame[column]
    v, k = values.to_numpy(), keys.to_numpy()
    if values.null_count() or keys.null_count() or min(v.min(initial=0), k.min(initial=0)) < 0:
        return frame.join(keys.to_frame(column), on=column, how="semi")
    hit = np.zeros(int(max(v.max(initial=-1), k.max(initial=-1))) + 1, dtype=bool)
    hit[k] = True
    keep = hit[v]
    return frame if keep.all() else frame.filter(pl.Series(keep))


def _positions(keys: pl.Series, wanted: pl.Series) -> np.ndarray:
    """Row of each wanted key in ``keys`` (distinct non-negative integers, every wanted key among them): a dense
    look-up array instead of a join."""
    k = keys.to_numpy()
    lookup = np.zeros(int(k.max(initial=-1)) + 1, dtype=np.int64)
    lookup[k] = np.arange(len(k), dtype=np.int64)
    return lookup[wanted.to_numpy()]


def _id(table: tuple[pl.DataFrame, str, str], keys: pl.Series) -> pl.Series:
    """The written id of each key (null where there is none), by binary search in the id table."""
    frame, key, column = table
    known = frame[key].to_numpy()
    wanted = keys.to_numpy()
    last = max(len(known) - 1, 0)
    if bool(np.all(known[1:] > known[:-1])):  # id tables come in key order: no sort needed
        pos = np.minimum(np.searchsorted(known, wanted), last)
    else:
        order = np.argsort(known, kind="stable")
        pos = order[np.minimum(np.searchsorted(known, wanted, sorter=order), last)]
    found = known[pos] == wanted if len(known) else np.zeros(len(wanted), dtype=bool)
    ids = frame[column].gather(pos) if len(known) else pl.Series(column, [None] * len(wanted), dtype=pl.String)
    return ids if found.all() else pl.select(pl.when(pl.Series(found)).then(ids)).to_series()


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={"org": pl.Int64, "rule_id": pl.String, "kind": pl.String, "a": pl.Int64, "b": pl.Int64})


def judge(world: World, as_of: int, books: dict[str, Rulebook] | None = None, ids: Ids | None = None) -> pl.DataFrame:
    """Every (rule_id, subject_key) the engine must report on this world at ``as_of`` (a day number), sorted.

    ``ids`` (the world's written ids) may be passed when they were built already for writing."""
    return _Judge(world, as_of, books or load_rulebooks(), ids).run()
