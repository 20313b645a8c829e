"""Builders for the per-rule edge-case tests: tiny hand-made records written straight into an in-memory store.

A case shows only the field that makes it an edge; everything else gets a default that is compliant with the rules
in force (a party_group meeting gets a notice three days ahead, the next minutes number of its year, a
``first_topic`` item at seq 1 and its chair; a decided item gets a unanimous tally; a study meeting lasts two hours;
everyone rostered is present unless the case says otherwise)::

    w = World(as_of="2025-06-01")
    org = w.org("A")
    org.members(10)
    m = org.meeting("2025-03-12", present=5)

Ids are short and deterministic so a case's expected subject keys can be written beside it: members ``A1``, ``A2``
…; meetings ``A-2025-03-12`` (``-2``, ``-3`` … when an organisation meets twice on a day); items
``A-2025-03-12#2``; rectifications ``A-R1``; reports ``A-RPT1``; activities ``A-ACT1``.

Rows are kept in Python until :meth:`World.check`, which writes them with one INSERT per table and marks every table
recorded (``store.mark_recorded``) except those a case leaves unrecorded, so the engine sees optional tables as
imported ("recorded, none" when a case adds no rows).

:class:`Cases` turns decorated build functions into a table of parametrised cases; :func:`run_case` checks the
engine's findings for one rule against the case's expected subject keys, severity and citation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pytest

from analytics.schema import OPTIONAL_TABLES, TABLE_ORDER, TABLES
from analytics.store import Store, open_store

DateLike = str | dt.date

#: The findings frame's columns, in the contract's order.
FINDING_COLUMNS = [
    "rule_id",
    "severity",
    "org_id",
    "subject_key",
    "org_name",
    "member_id",
    "meeting_id",
    "item_id",
    "rect_id",
    "period",
    "rule_name_zh",
    "rule_name_en",
    "message_zh",
    "message_en",
    "citation_zh",
    "evidence",
]

#: Titles to cite, by regulation file (shared/regulations/README.md).
TITLES = {
    "000": "XX区人民政府办公室党组工作规则",
    "001": "乌恰县人民政府党组工作规则（修订）",
    "002": "中共江阴市人大常委会党组工作规则",
    "003": "柞村镇镇级班子工作制度（莱州市）",
    "004": "中共西宁市城中区人力资源和社会保障局党组工作规则（试行）",
}

#: The regulation each preset rulebook cites.
PRESET_REGULATION = {
    "xx-district-office-2023": "000",
    "wuqia-county-2024": "001",
    "jiangyin-npc-2017": "002",
    "zhacun-town-2018": "003",
    "chengzhong-hrss-2021": "004",
}


def day(value: DateLike) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class _Default:
    """Marks an argument the builder fills in with its compliant default."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()


def _given(value: Any) -> bool:
    return not isinstance(value, _Default)


@dataclass(eq=False)
class Member:
    id: str
    org: Org
    role: str
    joined_on: dt.date
    left_on: dt.date | None

    def on_roster(self, on: dt.date) -> bool:
        # records.md: joined_on <= d and (left_on null or left_on > d)
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)

    def __str__(self) -> str:
        return self.id


@dataclass(eq=False)
class Item:
    id: str
    meeting: Meeting
    row: dict[str, Any]
    votes: dict[str, dict[str, Any]] = field(default_factory=dict)
    recused: list[Member] = field(default_factory=list)

    def vote(self, member: Member, choice: str = "yes", cast_order: int | None = None) -> Item:
        self.votes[member.id] = {"item_id": self.id, "member_id": member.id, "choice": choice, "cast_order": cast_order}
        return self

    def cast(self, yes: Iterable[Member] = (), no: Iterable[Member] = (), abstain: Iterable[Member] = ()) -> Item:
        """Per-member votes, without cast order."""
        for choice, members in (("yes", yes), ("no", no), ("abstain", abstain)):
            for member in members:
                self.vote(member, choice)
        return self

    def recuse(self, member: Member, reason: str | None = None) -> Item:
        self.recused.append(member)
        self.meeting.org.world.rows["recusals"].append({"item_id": self.id, "member_id": member.id, "reason": reason})
        return self

    def _resolve(self) -> None:
        """Fill the tally and vote method left to their defaults, now that votes and recusals are known."""
        row = self.row
        decided = row["decision"] in ("passed", "rejected")
        tally = ("yes_count", "no_count", "abstain_count")
        if all(not _given(row[c]) for c in tally):
            if decided and not self.votes:
                # A unanimous tally of the members present and not recused.
                voters = len([m for m in self.meeting.present_members() if m not in self.recused])
                row["yes_count"], row["no_count"] = (voters, 0) if row["decision"] == "passed" else (0, voters)
                row["abstain_count"] = 0
            else:
                for c in tally:
                    row[c] = None
        else:
            for c in tally:
                if not _given(row[c]):
                    row[c] = None
        if not _given(row["vote_method"]):
            if decided:
                row["vote_method"] = "secret_ballot" if row["category"] == "personnel" else "show_of_hands"
            else:
                row["vote_method"] = None


@dataclass(eq=False)
class Meeting:
    id: str
    org: Org
    row: dict[str, Any]
    attendance: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)

    @property
    def held_on(self) -> dt.date:
        return self.row["held_on"]

    @property
    def members(self) -> list[Member]:
        """Every membership row of the organisation, rostered or not, in the order added."""
        return self.org.member_list

    @property
    def roster(self) -> list[Member]:
        return [m for m in self.org.member_list if m.on_roster(self.held_on)]

    def present_members(self) -> list[Member]:
        by_id = {m.id: m for m in self.org.member_list}
        return [
            by_id[r["member_id"]]
            for r in self.attendance.values()
            if r["status"] == "present" and r["member_id"] in by_id and by_id[r["member_id"]].on_roster(self.held_on)
        ]

    def attend(
        self,
        member: Member,
        status: str = "present",
        *,
        hours: float | None = None,
        written_opinion: bool | None = None,
    ) -> Meeting:
        """Set (or replace) a member's attendance row; the member need not be on the roster."""
        self.attendance[member.id] = {
            "meeting_id": self.id,
            "member_id": member.id,
            "status": status,
            "hours": hours,
            "written_opinion": written_opinion,
        }
        return self

    def unrecord(self, *members: Member) -> Meeting:
        for member in members:
            self.attendance.pop(member.id, None)
        return self

    def item(
        self,
        category: str = "general",
        *,
        seq: int | None = None,
        id: str | None = None,
        ad_hoc: bool | None = None,
        decision: str | None = None,
        vote_method: str | None = DEFAULT,
        yes: int | None = DEFAULT,
        no: int | None = DEFAULT,
        abstain: int | None = DEFAULT,
        refers_to: Meeting | str | None = None,
    ) -> Item:
        """An agenda item; a decided one (passed/rejected) gets a unanimous tally unless votes or counts are given."""
        if seq is None:
            seq = max((i.row["seq"] for i in self.items), default=0) + 1
        item_id = id or f"{self.id}#{seq}"
        row = {
            "item_id": item_id,
            "meeting_id": self.id,
            "seq": seq,
            "title": None,
            "category": category,
            "ad_hoc": ad_hoc,
            "decision": decision,
            "vote_method": vote_method,
            "yes_count": yes,
            "no_count": no,
            "abstain_count": abstain,
            "refers_to_meeting_id": refers_to.id if isinstance(refers_to, Meeting) else refers_to,
        }
        item = Item(item_id, self, row)
        self.items.append(item)
        return item


class Org:
    def __init__(self, world: World, org_id: str, row: dict[str, Any]) -> None:
        self.world = world
        self.id = org_id
        self.row = row
        self.member_list: list[Member] = []
        self.meetings: list[Meeting] = []
        self._counters: dict[str, int] = {}

    def _next(self, kind: str) -> int:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return self._counters[kind]

    # -- people --------------------------------------------------------------------------------------------
    def member(
        self,
        *,
        role: str = "member",
        joined_on: DateLike | None = None,
        left_on: DateLike | None = None,
        id: str | None = None,
        person_key: str | None = None,
    ) -> Member:
        """One membership row; joins on 1 January of the year before as_of unless told otherwise."""
        member_id = id or f"{self.id}{len(self.member_list) + 1}"
        joined = day(joined_on) if joined_on is not None else dt.date(self.world.as_of.year - 1, 1, 1)
        left = day(left_on) if left_on is not None else None
        member = Member(member_id, self, role, joined, left)
        self.member_list.append(member)
        self.world.rows["members"].append(
            {
                "member_id": member_id,
                "org_id": self.id,
                "name": f"成员{member_id}",
                "role": role,
                "joined_on": joined,
                "left_on": left,
                "person_key": person_key,
            }
        )
        return member

    def members(
        self, n: int, *, joined_on: DateLike | None = None, left_on: DateLike | None = None, secretary: bool = True
    ) -> list[Member]:
        """``n`` members; the first is the secretary (党组书记) unless ``secretary=False``."""
        has_secretary = any(m.role == "secretary" for m in self.member_list)
        return [
            self.member(
                role="secretary" if secretary and not has_secretary and i == 0 else "member",
                joined_on=joined_on,
                left_on=left_on,
            )
            for i in range(n)
        ]

    @property
    def secretary(self) -> Member | None:
        return next((m for m in self.member_list if m.role == "secretary"), None)

    # -- meetings ------------------------------------------------------------------------------------------
    def meeting(
        self,
        held_on: DateLike,
        kind: str = "party_group",
        *,
        id: str | None = None,
        present: int | Sequence[Member] | None = None,
        absent: Iterable[Member] = (),
        leave: Iterable[Member] = (),
        unrecorded: Iterable[Member] = (),
        notice_sent_on: DateLike | None = DEFAULT,
        minutes_no: int | None = DEFAULT,
        is_emergency: bool | None = None,
        duration_hours: float | None = DEFAULT,
        chair: Member | None = DEFAULT,
        first_topic: bool = True,
    ) -> Meeting:
        """A meeting with an attendance row per rostered member.

        ``present``: ``None`` = everyone rostered (but those named in ``absent``/``leave``/``unrecorded``); a number
        k = the first k rostered members present, the rest on leave; a list = exactly those present, the rest on
        leave. An ``emergency_decision`` gets no attendance and no defaults (it is not a meeting).
        """
        held = day(held_on)
        base = id or f"{self.id}-{held.isoformat()}"
        meeting_id = base
        taken = {m.id for m in self.meetings}
        k = 2
        while meeting_id in taken:
            meeting_id = f"{base}-{k}"
            k += 1
        pg = kind == "party_group"
        if not _given(notice_sent_on):
            notice_sent_on = held - days(3) if pg else None
        if not _given(minutes_no):
            minutes_no = self._next_minutes_no(held.year) if pg else None
        if not _given(duration_hours):
            duration_hours = 2.0 if kind == "study" else None
        row = {
            "meeting_id": meeting_id,
            "org_id": self.id,
            "kind": kind,
            "held_on": held,
            "title": None,
            "chair_id": None,
            "duration_hours": duration_hours,
            "notice_sent_on": day(notice_sent_on) if notice_sent_on is not None else None,
            "minutes_no": minutes_no,
            "is_emergency": is_emergency,
        }
        meeting = Meeting(meeting_id, self, row)
        self.meetings.append(meeting)
        if kind == "emergency_decision":
            row["chair_id"] = chair.id if _given(chair) and chair is not None else None
            return meeting
        roster = meeting.roster
        if not _given(chair):
            chair = next((m for m in roster if m.role == "secretary"), None)
        row["chair_id"] = chair.id if chair is not None else None
        special = {m.id for m in (*absent, *leave, *unrecorded)}
        if present is None:
            present_ids = {m.id for m in roster} - special
        elif isinstance(present, int):
            present_ids = {m.id for m in [m for m in roster if m.id not in special][:present]}
        else:
            present_ids = {m.id for m in present}
        for member in roster:
            if member.id not in special:
                meeting.attend(member, "present" if member.id in present_ids else "leave")
        for member in absent:
            meeting.attend(member, "absent")
        for member in leave:
            meeting.attend(member, "leave")
        if pg and first_topic:
            meeting.item("first_topic")
        return meeting

    def _next_minutes_no(self, year: int) -> int:
        used = [
            m.row["minutes_no"] for m in self.meetings if m.held_on.year == year and m.row["minutes_no"] is not None
        ]
        return max(used, default=0) + 1

    def study(self, held_on: DateLike, **kw: Any) -> Meeting:
        return self.meeting(held_on, "study", **kw)

    def emergency_decision(self, held_on: DateLike, **kw: Any) -> Meeting:
        return self.meeting(held_on, "emergency_decision", **kw)

    def democratic_life(
        self,
        held_on: DateLike,
        *,
        report_on: DateLike | None = DEFAULT,
        plan_on: DateLike | None = DEFAULT,
        **kw: Any,
    ) -> Meeting:
        """A democratic life meeting with its plan (14 days ahead) and report (7 days after) unless told otherwise."""
        meeting = self.meeting(held_on, "democratic_life", **kw)
        held = meeting.held_on
        if not _given(plan_on):
            plan_on = held - days(14)
        if not _given(report_on):
            report_on = held + days(7)
        if plan_on is not None:
            self.report("democratic_life_plan", plan_on, meeting=meeting)
        if report_on is not None:
            self.report("democratic_life_report", report_on, meeting=meeting)
        return meeting

    # -- other records -------------------------------------------------------------------------------------
    def report(
        self,
        kind: str,
        submitted_on: DateLike,
        *,
        meeting: Meeting | str | None = None,
        period_year: int | None = None,
        id: str | None = None,
    ) -> str:
        report_id = id or f"{self.id}-RPT{self._next('report')}"
        self.world.rows["reports"].append(
            {
                "report_id": report_id,
                "org_id": self.id,
                "kind": kind,
                "meeting_id": meeting.id if isinstance(meeting, Meeting) else meeting,
                "period_year": period_year,
                "submitted_on": day(submitted_on),
            }
        )
        return report_id

    def annual_report(self, submitted_on: DateLike, period_year: int | None = None) -> str:
        return self.report("annual_work", submitted_on, period_year=period_year)

    def rectification(
        self,
        found_on: DateLike,
        source: str = "other",
        *,
        id: str | None = None,
        owner: Member | None = DEFAULT,
        due_on: DateLike | None = DEFAULT,
        measures_on: DateLike | None = DEFAULT,
        report_on: DateLike | None = DEFAULT,
        closed_on: DateLike | None = None,
        source_meeting: Meeting | None = None,
    ) -> str:
        """A ledger entry: owner = the secretary, due 60 days after found_on, measures set after 7 days, written
        report after 3, still open — unless told otherwise."""
        rect_id = id or f"{self.id}-R{self._next('rect')}"
        found = day(found_on)
        if not _given(owner):
            owner = self.secretary or (self.member_list[0] if self.member_list else None)
        if not _given(due_on):
            due_on = found + days(60)
        if not _given(measures_on):
            measures_on = found + days(7)
        if not _given(report_on):
            report_on = found + days(3)
        self.world.rows["rectifications"].append(
            {
                "rect_id": rect_id,
                "org_id": self.id,
                "source": source,
                "source_meeting_id": source_meeting.id if source_meeting else None,
                "found_on": found,
                "description": None,
                "owner_id": owner.id if owner is not None else None,
                "measures_on": day(measures_on) if measures_on is not None else None,
                "report_on": day(report_on) if report_on is not None else None,
                "due_on": day(due_on) if due_on is not None else None,
                "closed_on": day(closed_on) if closed_on is not None else None,
            }
        )
        return rect_id

    def activity(
        self,
        member: Member,
        kind: str,
        on_date: DateLike,
        *,
        quantity: float | None = None,
        counterpart: Member | None = None,
        id: str | None = None,
    ) -> str:
        activity_id = id or f"{self.id}-ACT{self._next('activity')}"
        self.world.rows["activities"].append(
            {
                "activity_id": activity_id,
                "org_id": self.id,
                "member_id": member.id,
                "kind": kind,
                "counterpart_id": counterpart.id if counterpart is not None else None,
                "on_date": day(on_date),
                "quantity": quantity,
            }
        )
        return activity_id


class World:
    """The records of one case, written into a fresh in-memory store when checked."""

    def __init__(self, as_of: DateLike = "2025-06-01") -> None:
        self.as_of = day(as_of)
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_ORDER}
        self.orgs: dict[str, Org] = {}
        self.unrecorded: set[str] = set()
        self._store: Store | None = None

    def org(
        self,
        org_id: str = "A",
        *,
        rulebook: str | None = None,
        established_on: DateLike | None = None,
        dissolved_on: DateLike | None = None,
        name: str | None = None,
    ) -> Org:
        row = {
            "org_id": org_id,
            "name": name or f"{org_id}单位党组",
            "parent_id": None,
            "level": None,
            "rulebook": rulebook,
            "established_on": day(established_on) if established_on is not None else None,
            "dissolved_on": day(dissolved_on) if dissolved_on is not None else None,
        }
        self.rows["organizations"].append(row)
        org = Org(self, org_id, row)
        self.orgs[org_id] = org
        return org

    def leave_unrecorded(self, *tables: str) -> None:
        """Pretend these optional tables were never imported."""
        unknown = set(tables) - set(OPTIONAL_TABLES)
        assert not unknown, f"not optional tables: {unknown}"
        self.unrecorded.update(tables)

    # -- the store -----------------------------------------------------------------------------------------
    def store(self) -> Store:
        if self._store is None:
            self._store = self._build()
        return self._store

    def _build(self) -> Store:
        rows = {name: list(r) for name, r in self.rows.items()}
        for org in self.orgs.values():
            for meeting in org.meetings:
                rows["meetings"].append(meeting.row)
                rows["attendance"].extend(meeting.attendance.values())
                for item in meeting.items:
                    item._resolve()
                    rows["agenda_items"].append(item.row)
                    rows["votes"].extend(item.votes.values())
        for name in self.unrecorded:
            assert not rows[name], f"case adds rows to {name} but leaves it unrecorded"
        store = open_store(memory=True)
        with store.transaction() as con:
            for name in TABLE_ORDER:
                if not rows[name]:
                    continue
                cols = TABLES[name].column_names
                # Table and column names come from the schema, never from a case.
                con.executemany(
                    f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [[r[c] for c in cols] for r in rows[name]],
                )
            store.mark_recorded(set(TABLE_ORDER) - self.unrecorded, "test")
        return store

    def check(self, **kw: Any) -> pl.DataFrame:
        from analytics.engine import check

        kw.setdefault("as_of", self.as_of)
        kw.setdefault("save", False)
        return check(self.store(), **kw)

    def run(self, **kw: Any) -> Any:
        from analytics.engine import run_check

        kw.setdefault("as_of", self.as_of)
        kw.setdefault("save", False)
        return run_check(self.store(), **kw)


# -- case tables ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    build: Callable[[World], None]
    expect: frozenset[str]
    as_of: str
    severity: str
    rulebook: str | None = None
    overrides: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()


class Cases:
    """A rule's table of cases: decorate a build function with its expected subject keys.

    ``rulebook``/``enable`` given here are the defaults for every case of the table (e.g. a preset-only rule is
    tested under its preset); ``severity`` is the rule's severity under that default.
    """

    def __init__(
        self,
        rule: str,
        *,
        severity: str,
        as_of: str = "2025-06-01",
        rulebook: str | None = None,
        enable: Sequence[str] = (),
    ) -> None:
        self.rule = rule
        self.severity = severity
        self.as_of = as_of
        self.rulebook = rulebook
        self.enable = tuple(enable)
        self.cases: list[Case] = []

    def __call__(
        self,
        *expect: str,
        as_of: str | None = None,
        rulebook: str | None = DEFAULT,
        overrides: Sequence[str] = (),
        enable: Sequence[str] | None = None,
        disable: Sequence[str] = (),
        severity: str | None = None,
        cites: str | Sequence[str] = (),
    ) -> Callable[[Callable[[World], None]], Callable[[World], None]]:
        def register(build: Callable[[World], None]) -> Callable[[World], None]:
            self.cases.append(
                Case(
                    rule=self.rule,
                    name=build.__name__,
                    build=build,
                    expect=frozenset(expect),
                    as_of=as_of or self.as_of,
                    severity=severity or self.severity,
                    rulebook=rulebook if _given(rulebook) else self.rulebook,
                    overrides=tuple(overrides),
                    enable=tuple(enable) if enable is not None else self.enable,
                    disable=tuple(disable),
                    cites=(cites,) if isinstance(cites, str) else tuple(cites),
                )
            )
            return build

        return register

    def params(self) -> list[Any]:
        prefix = f"{self.rule.lower()}_"
        return [pytest.param(c, id=f"{c.rule}-{c.name.removeprefix(prefix)}") for c in self.cases]


_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MONTH_KEY = re.compile(r"^[^/]+/(\d{4}-\d{2})$")
_YEAR_KEY = re.compile(r"^[^/]+/(\d{4})$")
_GAP_KEY = re.compile(r"^[^/]+/(\d{4})/#\d+$")


def _norm(text: str) -> str:
    """Citations may use full- or half-width brackets around an item number: compare them alike."""
    return text.replace("（", "(").replace("）", ")")


def assert_contract(findings: pl.DataFrame) -> None:
    """What every findings frame must be, whatever the rule: the columns in order, strings, sorted."""
    assert findings.columns == FINDING_COLUMNS
    for name, dtype in findings.schema.items():
        assert dtype in (pl.String, pl.Null), f"column {name} is {dtype}, not text"
    keys = findings.select("org_id", "rule_id", "subject_key").rows()
    assert keys == sorted(keys), "findings not sorted by (org_id, rule_id, subject_key)"


def rule_findings(findings: pl.DataFrame, rule: str) -> pl.DataFrame:
    return findings.filter(pl.col("rule_id") == rule)


def explain(found: pl.DataFrame) -> str:
    return "\n".join(f"  {r['subject_key']}: {r['message_en']} {r['evidence']}" for r in found.iter_rows(named=True))


def assert_rule_findings(
    found: pl.DataFrame, expect: Iterable[str], *, severity: str | None = None, cites: Sequence[str] = ()
) -> None:
    """One rule's findings are exactly ``expect`` (subject keys), once each, with that severity and citation."""
    keys = found["subject_key"].to_list()
    assert set(keys) == set(expect), f"expected {sorted(expect)}, got {sorted(keys)}\n{explain(found)}"
    assert len(keys) == len(set(keys)), f"a subject flagged twice: {sorted(keys)}"
    for row in found.iter_rows(named=True):
        if severity is not None:
            assert row["severity"] == severity, f"{row['subject_key']}: severity {row['severity']}, not {severity}"
        json.loads(row["evidence"])  # evidence is JSON text
        assert row["message_zh"] and row["message_en"] and row["rule_name_zh"] and row["rule_name_en"]
        assert row["org_id"] and row["org_name"]
        assert row["period"] and _PERIOD.match(row["period"]), f"bad period {row['period']!r}"
        key = row["subject_key"]
        for pattern in (_MONTH_KEY, _YEAR_KEY, _GAP_KEY):
            if m := pattern.match(key):
                assert row["period"] == m.group(1), f"{key}: period {row['period']}"
        citation = _norm(row["citation_zh"] or "")
        for cite in cites:
            assert _norm(cite) in citation, f"{key}: cites {row['citation_zh']!r}, not {cite}"
        cited = {reg for reg, title in TITLES.items() if any(f"《{title}》" in c for c in cites)}
        for reg, title in TITLES.items():
            if cited and reg not in cited:
                assert _norm(title) not in citation, f"{key}: a preset cites its own regulation only, not {title}"


def run_case(case: Case) -> pl.DataFrame:
    """Build the case's world, check it and compare the case's rule's findings with the expectation."""
    world = World(as_of=case.as_of)
    case.build(world)
    kwargs: dict[str, Any] = {"overrides": case.overrides, "enable": case.enable, "disable": case.disable}
    if case.rulebook is not None:
        kwargs["rulebook"] = case.rulebook
    findings = world.check(**kwargs)
    assert_contract(findings)
    found = rule_findings(findings, case.rule)
    assert_rule_findings(found, case.expect, severity=case.severity, cites=case.cites)
    if case.cites:
        assert len(found), "a citation case needs a finding to read the citation from"
    return found


def cite(rulebook: str, article: str = "") -> tuple[str, ...]:
    """What a citation under a preset must contain: 《title》 followed by the article.

    The town's document (003) bundles 21 rules, so its citations may name the rule between title and article.
    """
    regulation = PRESET_REGULATION[rulebook]
    title = f"《{TITLES[regulation]}》"
    if regulation == "003":
        return (title, article) if article else (title,)
    return (f"{title}{article}",)
