"""Every query the dashboard needs, computed in DuckDB with named parameters and returned as Polars.

Pages never write SQL: they call these functions with the sidebar's choices (organisation, period, as_of, the check
run) and render what comes back. The heavy lifting reads the summary tables of :mod:`analytics.summaries`, so a
filter change costs milliseconds even on tens of millions of attendance rows; the drill-downs (one meeting, one
member's year, one rectification) read the records themselves.

Conventions shared by the functions:

- ``org_id=None`` means every organisation; otherwise the organisation and its whole subtree.
- A :class:`Period` is a year, quarter or month (or everything). Records after ``as_of`` are ignored, as the rule
  engine ignores them; a period is clipped to ``as_of``.
- A finding belongs to the month its judged period ends in (``summary_findings.month``): a date's finding to that
  date's month, an org-month's to its month, a year's to December. Each finding so counts in exactly one period.
- "Open" findings are those not marked 已排除 (dismissed); confirmed and unmarked ones are open.
"""

from __future__ import annotations

import calendar
import json
import re
import warnings
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
import polars as pl

from analytics.store import Store
from analytics.summaries import generation

PeriodKind = Literal["all", "year", "quarter", "month", "range"]
SEVERITIES: tuple[str, ...] = ("violation", "warning", "data_quality")
MARKS: tuple[str, ...] = ("unmarked", "confirmed", "dismissed")


_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


# frame() takes small results as Arrow from ``execute``; duckdb warns that this copies the rows (see frame()).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning)


def _used(query: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    # DuckDB 2.0 rejects parameters the query does not name; the shared fragments name different subsets.
    names = set(_PARAM_RE.findall(query))
    return {k: v for k, v in (params or {}).items() if k in names}


def frame(store: Store, query: str, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Run one read query and return Polars.

    A fresh cursor per query: DuckDB 2.0 refuses new work on a connection holding an unfinished ``execute`` result
    (the store's own helpers leave some), and a cursor is cheap (~0.01 ms). The statement runs through ``execute``
    and its result comes out as Arrow: a relation (``cursor.sql(...)``) binds the statement once to learn its
    columns and again when it runs, which cost 0.5-3 ms a statement here (a third of a small read), while the copy
    ``execute`` makes of the Arrow rows is nothing for the few hundred rows these reads return (its warning is
    silenced above). ``relation.pl()`` added ~5 ms per call, ``pl.from_arrow`` well under 1 ms.
    """
    cur = store.con.cursor()
    try:
        result = pl.from_arrow(cur.execute(query, _used(query, params)).to_arrow_table())
        assert isinstance(result, pl.DataFrame)
        return result
    finally:
        cur.close()


def rows(store: Store, query: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Run one read query and return its rows as tuples (through ``execute``, see :func:`frame`)."""
    cur = store.con.cursor()
    try:
        return cur.execute(query, _used(query, params)).fetchall()
    finally:
        cur.close()


def scalar(store: Store, query: str, params: Mapping[str, Any] | None = None) -> Any:
    result = rows(store, query, params)
    return result[0][0] if result else None


# -- periods ---------------------------------------------------------------------------------------------------
_PERIOD_RE = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A year, quarter or month, every date (``kind="all"``: start and end are None), or a span of whole months
    (``kind="range"``, for trend windows)."""

    kind: PeriodKind
    start: date | None = None
    end: date | None = None

    @classmethod
    def all(cls) -> Period:
        return cls("all")

    @classmethod
    def year(cls, y: int) -> Period:
        return cls("year", date(y, 1, 1), date(y, 12, 31))

    @classmethod
    def quarter(cls, y: int, q: int) -> Period:
        first = 3 * (q - 1) + 1
        return cls("quarter", date(y, first, 1), date(y, first + 2, calendar.monthrange(y, first + 2)[1]))

    @classmethod
    def month(cls, y: int, m: int) -> Period:
        return cls("month", date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]))

    @classmethod
    def parse(cls, text: str | None) -> Period | None:
        """``"all"``, ``"2025"``, ``"2025-Q1"`` or ``"2025-03"``; None for anything else."""
        if not text:
            return None
        if text == "all":
            return cls.all()
        match = _PERIOD_RE.match(text.strip())
        if not match:
            return None
        y = int(match["y"])
        if match["q"]:
            return cls.quarter(y, int(match["q"]))
        if match["m"]:
            return cls.month(y, int(match["m"]))
        return cls.year(y)

    @property
    def key(self) -> str:
        if self.kind == "all" or self.start is None:
            return "all"
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "range" and self.end is not None:
            return f"{self.start.year}-{self.start.month:02d}..{self.end.year}-{self.end.month:02d}"
        return f"{self.start.year}-{self.start.month:02d}"

    def previous(self) -> Period | None:
        """The period of the same length just before this one (None for everything)."""
        if self.kind == "all" or self.start is None:
            return None
        before = self.start - timedelta(days=1)
        if self.kind == "year":
            return Period.year(before.year)
        if self.kind == "quarter":
            return Period.quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind == "range":
            n = self.months()
            first = before.year * 12 + before.month - n
            return Period("range", date(first // 12, first % 12 + 1, 1), before)
        return Period.month(before.year, before.month)

    def months(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def clipped(self, as_of: date) -> tuple[date | None, date | None]:
        """(start, end) with end no later than as_of; (None, as_of) for everything."""
        if self.start is None or self.end is None:
            return None, as_of
        return self.start, min(self.end, as_of)


def _shift_months(d: date, months: int) -> date:
    """The same day ``months`` months away, clamped to the month's end (31 March - 1 month = 28/29 February)."""
    index = d.year * 12 + d.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def previous_span(period: Period, as_of: date) -> tuple[Period, date] | None:
    """The period to compare with and the day its comparison ends: when as_of cuts the chosen period short
    (2025 seen on 1 July), the previous period is cut on the same calendar day (1 July 2024), so a half year is
    never compared with a whole one. None for everything."""
    prev = period.previous()
    if prev is None or prev.start is None or prev.end is None or period.start is None:
        return None
    _, end = period.clipped(as_of)
    if end is None or end >= (period.end or end):
        return prev, prev.end
    return prev, min(_shift_months(end, -period.months()), prev.end)


def trend_window(period: Period, as_of: date, data_start: date | None = None) -> Period:
    """The months a trend chart covers: the chosen year or quarter as it is, a chosen month with the 11 months
    before it, and for everything the months from the first record to as_of (the latest 60 at most)."""
    if period.kind in ("year", "quarter"):
        return period
    last = min(period.end or as_of, as_of)
    end = period_end_month(last)
    if period.kind == "all" and data_start is not None:
        span = (end.year - data_start.year) * 12 + end.month - data_start.month + 1
        back = min(max(span, 1), 60) - 1
    else:
        back = 11
    first_month = end.year * 12 + end.month - 1 - back
    return Period("range", date(first_month // 12, first_month % 12 + 1, 1), end)


def period_end_month(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


# -- organisations, runs, scopes --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tree:
    """``summary_org_tree`` held in memory: 18,000 organisations are ~2 MB, and every filter change needs the
    chosen organisation's tree position, its children and the roots. A DuckDB round trip for each of those cost
    1.5-2.5 ms of CPU (a scan of the unsorted ``org_id`` column), a dict lookup costs microseconds."""

    frame: pl.DataFrame  # in tree order (pos)
    index: dict[str, tuple[int, int, int]]  # org_id -> (pos, last, depth)
    roots: tuple[str, ...]
    generation: int
    rect_last_month: date | None  # the last month end summary_tree_rect covers (see _rect_at)
    # Frames derived from the tree alone (an organisation's chart series, its roll-up nodes), by what they are for:
    # a page asks for the same ones on every filter change, and each costs several Polars passes over the tree.
    derived: dict[tuple[Any, ...], Any] = field(default_factory=dict)


_DERIVED_MAX = 4096  # entries per tree; cleared when full (a user visits a few dozen organisations)


def _derived(store: Store, key: tuple[Any, ...], build: Callable[[_Tree], Any]) -> Any:
    """``build(tree)`` held with the tree (so dropped with it at every refresh); exact, as it reads the tree only."""
    tree = _tree(store)
    found = tree.derived.get(key)
    if found is None:
        if len(tree.derived) >= _DERIVED_MAX:
            tree.derived.clear()
        found = tree.derived[key] = build(tree)
    return found


# One tree per Store object (a Streamlit session has its own), dropped with the object; a summaries refresh
# anywhere in the process changes ``generation()`` and so invalidates every held tree.
_TREES: weakref.WeakKeyDictionary[Store, _Tree] = weakref.WeakKeyDictionary()


def _tree(store: Store) -> _Tree:
    gen = generation()
    held = _TREES.get(store)
    if held is not None and held.generation == gen:
        return held
    tree = frame(
        store,
        """SELECT org_id, name, parent_id, level, rulebook, depth, pos, last, has_children, established_on,
                  dissolved_on
           FROM summary_org_tree ORDER BY pos""",
    )
    index = {o: (p, la, d) for o, p, la, d in tree.select("org_id", "pos", "last", "depth").iter_rows()}
    roots = tuple(tree.filter(pl.col("depth") == 0)["org_id"].to_list())
    last = scalar(store, "SELECT max(value) FROM summary_meta WHERE key = 'rect_last_month'")
    held = _Tree(tree, index, roots, gen, date.fromisoformat(last) if last else None)
    _TREES[store] = held
    return held


_RULE_NAMES: weakref.WeakKeyDictionary[Store, tuple[int, dict[str | None, pl.DataFrame]]] = weakref.WeakKeyDictionary()


def _rule_names(store: Store, run_id: str | None) -> pl.DataFrame:
    """The run's rules with their names (summary_rules; a few dozen rows), held like the tree."""
    gen = generation()
    held = _RULE_NAMES.get(store)
    if held is None or held[0] != gen:
        held = (gen, {})
        _RULE_NAMES[store] = held
    if run_id not in held[1]:
        held[1][run_id] = frame(
            store, "SELECT rule_id, rule_name_zh, rule_name_en FROM summary_rules WHERE run_id = $run", {"run": run_id}
        )
    return held[1][run_id]


@dataclass(frozen=True)
class _Dismissed:
    """A run's dismissed findings (summary_marked; an inspector's marks, so hundreds or thousands) held with the tree:
    the Trends page's charts take them away from the roll-ups' counts, and filtering these arrays costs microseconds
    where a scan of summary_marked in each chart's statement cost DuckDB ~1.5 ms. A mark refreshes the summaries,
    which drops them with the tree. ``pos`` in tree order; ``days`` the month as days since 1970 (a month that did
    not parse is ``_NO_MONTH``)."""

    frame: pl.DataFrame  # org_pos, month, rule_id
    pos: np.ndarray
    days: np.ndarray


_NO_MONTH = -(1 << 40)


def _days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _dismissed(store: Store, run_id: str | None) -> _Dismissed:
    def build(_: _Tree) -> _Dismissed:
        found = frame(
            store,
            """SELECT org_pos, month, rule_id FROM summary_marked WHERE run_id = $run AND mark = 'dismissed'
               ORDER BY org_pos""",
            {"run": run_id},
        )
        days = found["month"].to_physical().cast(pl.Int64).fill_null(_NO_MONTH).to_numpy()
        return _Dismissed(found, found["org_pos"].cast(pl.Int64).to_numpy(), days)

    return _derived(store, ("dismissed", run_id), build)


def _dismissed_in(
    d: _Dismissed, lo: int, hi: int, first: date | None, last: date | None, *, undated: bool
) -> np.ndarray:
    """Which of the dismissed findings lie in positions [lo, hi] and months [first, last] (None: unbounded; a finding
    without a month counts when ``undated``)."""
    keep = (d.pos >= lo) & (d.pos <= hi)
    if first is not None or last is not None:
        dated = d.days != _NO_MONTH
        inside = dated
        if first is not None:
            inside = inside & (d.days >= _days(first))
        if last is not None:
            inside = inside & (d.days <= _days(last))
        keep &= inside | (~dated if undated else False)
    return keep


def org_tree(store: Store) -> pl.DataFrame:
    """Every organisation in tree order (pre-order by name), with its depth, tree position and whether it has
    children."""
    return _tree(store).frame.select("org_id", "name", "parent_id", "level", "rulebook", "depth", "pos", "last",
                                     "has_children")  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """An organisation's subtree as the summaries address it: ``key`` in the tree roll-ups (``'*'`` for all) and
    the range of tree positions [lo, hi] of its organisations."""

    key: str
    lo: int
    hi: int
    depth: int = -1  # the organisation's depth and position ('*': -1, -1): the roll-ups' sort key
    pos: int = -1

    def params(self) -> dict[str, Any]:
        return {"key": self.key, "lo": self.lo, "hi": self.hi, "adepth": self.depth, "apos": self.pos}


def scope(store: Store, org_id: str | None) -> Scope:
    """The subtree of ``org_id`` (all organisations for None; an empty range for an unknown id)."""
    tree = _tree(store)
    if org_id is None:
        return Scope("*", 0, tree.frame.height - 1)
    found = tree.index.get(org_id)
    if found is None:
        return Scope(org_id, 0, -1, -2, -2)
    pos, last, depth = found
    return Scope(org_id, pos, last, depth, pos)


# One subtree in a roll-up: its ancestor's (depth, position), the tables' sort key, so the read is pruned.
_ONE = "anc_depth = $adepth AND anc_pos = $apos"
# The children of that organisation: the next depth's block, positions inside its subtree.
_CHILDREN = "anc_depth = $cdepth AND anc_pos BETWEEN $clo AND $chi"


def _children_params(s: Scope) -> dict[str, Any]:
    return {"cdepth": s.depth + 1, "clo": s.lo + (0 if s.key == "*" else 1), "chi": s.hi}


def subtree_ids(store: Store, org_id: str | None) -> list[str]:
    """The organisation and every organisation below it, in tree order (all organisations for None)."""
    s = scope(store, org_id)
    return _tree(store).frame["org_id"].slice(s.lo, max(s.hi - s.lo + 1, 0)).to_list()


def focus_org(store: Store, org_id: str | None) -> str | None:
    """The organisation whose children the trend series split by: the chosen one, or for "all" the single root
    when the tree has exactly one (a city committee over its bodies), else None (the roots themselves)."""
    if org_id is not None:
        return org_id
    roots = _tree(store).roots
    return roots[0] if len(roots) == 1 else None


def _build_groups(tree: pl.DataFrame, org_id: str | None) -> pl.DataFrame:
    """The series of a per-organisation chart: the organisation's own records (``is_self``) and each child's
    subtree; for None, each root's subtree. Columns group_id, name, is_self, lo, hi."""
    own = tree.filter(pl.col("org_id") == org_id) if org_id is not None else tree.clear()
    kids = (
        tree.filter((pl.col("parent_id") == org_id) & (pl.col("org_id") != org_id))
        if org_id is not None
        else tree.filter(pl.col("depth") == 0)
    )
    return pl.concat(
        [
            own.select(
                pl.col("org_id").alias("group_id"),
                "name",
                pl.lit(True).alias("is_self"),
                pl.col("pos").alias("lo"),
                pl.col("pos").alias("hi"),
            ),
            kids.select(
                pl.col("org_id").alias("group_id"),
                "name",
                pl.lit(False).alias("is_self"),
                pl.col("pos").alias("lo"),
                pl.col("last").alias("hi"),
            ),
        ]
    ).sort("lo")


def data_range(store: Store) -> tuple[date | None, date | None]:
    """First and last meeting date in the store."""
    row = rows(store, "SELECT min(held_on), max(held_on) FROM meetings")[0]
    return row[0], row[1]


def check_runs(store: Store) -> pl.DataFrame:
    """Saved check runs, newest first."""
    return frame(
        store,
        """SELECT run_id, as_of, default_rulebook, overrides, started_at, finished_at, findings, violations,
                  warnings, data_quality, skipped
           FROM check_runs ORDER BY finished_at DESC NULLS LAST, run_id DESC""",
    )


def latest_run(store: Store, as_of: date | None = None) -> dict[str, Any] | None:
    """The newest saved run (for that as_of when given), as a dict, or None."""
    keys = ("run_id", "as_of", "default_rulebook", "overrides", "finished_at", "findings", "violations", "warnings",
            "data_quality", "skipped")  # fmt: skip
    # Tuples, not a frame: an Arrow conversion costs more than this one-row read.
    found = rows(
        store,
        f"""SELECT {", ".join(keys)}
           FROM check_runs WHERE {"TRUE" if as_of is None else "as_of = $as_of"}
           ORDER BY finished_at DESC NULLS LAST, run_id DESC LIMIT 1""",
        {"as_of": as_of},
    )
    return dict(zip(keys, found[0], strict=True)) if found else None


# -- shared SQL fragments ----------------------------------------------------------------------------------------
# Attendance facts of a subtree up to $cut (the period's end, never after as_of): whole months from the tree
# roll-up, and the month $cut falls in, when cut short, from the meetings themselves so later meetings stay out.
def _attendance(cut: date, start: date | None) -> str:
    """The CTE ``att``: attendance facts of a subtree up to $cut (the period's end, never after as_of): whole
    months from the tree roll-up, and when $cut falls inside a month, that month's meetings up to $cut from the
    meetings themselves, so later meetings stay out."""
    whole = f"""SELECT meetings, party_group, study, democratic_life, entitled, present, on_leave, absent, unrecorded
        FROM summary_tree_month
        WHERE {_ONE} AND {"TRUE" if start is None else "month >= $start::DATE"} AND last_day(month) <= $cut::DATE"""
    if cut == period_end_month(cut):
        return f"att AS ({whole})"
    return f"""att AS (
    {whole}
    UNION ALL
    SELECT 1, (kind = 'party_group')::INT, (kind = 'study')::INT, (kind = 'democratic_life')::INT,
           entitled, present, on_leave, absent, unrecorded
    FROM summary_meetings
    WHERE kind <> 'emergency_decision' AND month = date_trunc('month', $cut::DATE)::DATE
      AND held_on <= $cut::DATE AND {"TRUE" if start is None else "held_on >= $start::DATE"}
      AND org_pos BETWEEN $lo AND $hi
)"""


# A finding counts in the month its judged period ends in; "open" means not dismissed.
def _month_in(start: date | None, column: str = "month", cut: str = "$cut") -> str:
    """The months of [$start, cut] (a finding with no parsed month counts in every period); TRUE for everything.

    The SQL is specialised in Python rather than written as ``($start IS NULL OR ...)``: DuckDB plans each
    statement afresh, and binding and pushing down such optional predicates cost more (3-10 ms per statement
    here) than reading the few summary rows they select."""
    if start is None:
        return "TRUE"
    return f"({column} IS NULL OR {column} BETWEEN date_trunc('month', $start::DATE)::DATE AND {cut})"


def _in_list(column: str, name: str, values: list[str] | tuple[str, ...]) -> str:
    """``column`` among the values of list parameter $name; TRUE when the filter is empty."""
    return f"list_contains(${name}::VARCHAR[], {column})" if values else "TRUE"


def _window(period: Period, as_of: date, until: date | None = None) -> dict[str, Any]:
    """$start and $cut of a period: its first day and its last day, cut at as_of (and at ``until``)."""
    start, end = period.clipped(as_of)
    cut = end if end is not None else as_of
    if until is not None:
        cut = min(cut, until)
    return {"start": start, "cut": cut, "as_of": as_of}


def _rect_by_events(store: Store, at: date) -> dict[str, Any] | None:
    """$prev, $month and $at for reading day ``at`` as the previous month's end ($prev, summary_tree_rect) plus the
    changes of $month up to $at (summary_tree_rect_days); None when the roll-up does not reach that far (then the
    rectifications themselves are counted)."""
    first = date(at.year, at.month, 1)
    m0 = first - timedelta(days=1)
    last = _tree(store).rect_last_month
    if last is None or m0 > last:
        return None
    return {"prev": date(m0.year, m0.month, 1), "month": first, "at": at}


def _rect_parts(store: Store, at: date) -> tuple[list[str], dict[str, Any]]:
    """Plain SELECTs whose rows of (open, overdue) add up to the subtree's ($adepth, $apos, $lo, $hi) open and
    overdue rectifications at the end of day ``at``: the roll-up at a month's end; inside a month, the previous
    month's end plus this month's changes up to the day; past the roll-up's last month, a count of the
    rectifications."""
    last = _tree(store).rect_last_month
    first = date(at.year, at.month, 1)
    if at == period_end_month(at) and last is not None and first <= last:
        return [f"SELECT open, overdue FROM summary_tree_rect WHERE {_ONE} AND month = $rmonth"], {"rmonth": first}
    events = _rect_by_events(store, at)
    if events is not None:
        return [
            f"SELECT open, overdue FROM summary_tree_rect WHERE {_ONE} AND month = $prev",
            f"""SELECT sum(open)::BIGINT AS open, sum(overdue)::BIGINT AS overdue FROM summary_tree_rect_days
                WHERE {_ONE} AND month = $month AND day <= $at""",
        ], events
    return [
        """SELECT count(*) FILTER (WHERE closed_on IS NULL OR closed_on > $at) AS open,
                  count(*) FILTER (WHERE (closed_on IS NULL OR closed_on > $at) AND due_on < $at) AS overdue
           FROM summary_rectifications WHERE org_pos BETWEEN $lo AND $hi AND found_on <= $at"""
    ], {"at": at}


def _rect_at(store: Store, s: Scope, at: date) -> tuple[int, int]:
    """Open and overdue rectifications of the subtree at the end of day ``at``."""
    parts, extra = _rect_parts(store, at)
    found = rows(store, " UNION ALL ".join(parts), {**s.params(), **extra})
    return sum(int(r[0] or 0) for r in found), sum(int(r[1] or 0) for r in found)


# -- overview -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverviewMetrics:
    """The Overview page's numbers for one organisation subtree and period."""

    organisations: int
    meetings: int
    meetings_by_kind: dict[str, int]
    entitled: int
    present: int
    on_leave: int
    absent: int
    unrecorded: int
    findings: dict[str, int]  # open findings by severity
    dismissed: int
    confirmed: int
    open_rectifications: int
    overdue_rectifications: int

    def share(self, part: int) -> float | None:
        return part / self.entitled if self.entitled else None

    @property
    def attendance_rate(self) -> float | None:
        return self.share(self.present)

    @property
    def open_findings(self) -> int:
        return sum(self.findings.values())


def overview(
    store: Store,
    *,
    org_id: str | None,
    period: Period,
    as_of: date,
    run_id: str | None,
    until: date | None = None,
) -> OverviewMetrics:
    """Organisations, meetings, attendance, open findings and rectifications for the subtree and period (cut at
    ``until`` when given: see :func:`previous_span`)."""
    s = scope(store, org_id)
    params = {**_window(period, as_of, until), **s.params(), "run": run_id}
    cut: date = params["cut"]
    rect_parts, rect_params = _rect_parts(store, cut)
    month_in = _month_in(params["start"])
    pad = ", NULL" * 7
    # One round trip of plain scans stacked with UNION ALL, rows tagged by what they count. DuckDB plans every
    # statement afresh: CTEs, joins and scalar subqueries cost it 10+ ms to plan, a stack of filtered scans ~2 ms.
    found = rows(
        store,
        f"""WITH {_attendance(cut, params["start"])}
            SELECT 'att', NULL, NULL, sum(meetings), sum(party_group), sum(study), sum(democratic_life),
                   sum(entitled), sum(present), sum(on_leave), sum(absent), sum(unrecorded) FROM att
            UNION ALL
            SELECT 'sev', severity, NULL, sum(n){pad}, NULL FROM summary_tree_findings
            WHERE run_id = $run AND {_ONE} AND {month_in} GROUP BY severity
            UNION ALL
            SELECT 'mark', severity, mark, count(*){pad}, NULL FROM summary_marked
            WHERE run_id = $run AND org_pos BETWEEN $lo AND $hi AND {month_in} GROUP BY ALL
            UNION ALL
            {" UNION ALL ".join(f"SELECT 'rect', NULL, NULL, open, overdue{pad} FROM ({p})" for p in rect_parts)}""",
        {**params, **rect_params},
    )
    att = next((r[3:] for r in found if r[0] == "att"), (0,) * 9)
    meetings, party, study, dl, entitled, present, on_leave, absent, unrecorded = (int(v or 0) for v in att)
    by_sev = {r[1]: int(r[3]) for r in found if r[0] == "sev"}
    open_rect = sum(int(r[3] or 0) for r in found if r[0] == "rect")
    overdue_rect = sum(int(r[4] or 0) for r in found if r[0] == "rect")
    # Organisations that existed at some point of the period (not dissolved before it began).
    tree = _tree(store).frame.slice(s.lo, max(s.hi - s.lo + 1, 0))
    start = params["start"]
    orgs = tree.filter(
        (pl.col("dissolved_on").is_null() | pl.lit(start is None) | (pl.col("dissolved_on") > pl.lit(start)))
        & (pl.col("established_on").is_null() | (pl.col("established_on") <= pl.lit(cut)))
    ).height
    dismissed = {sev: 0 for sev in SEVERITIES}
    confirmed = 0
    for _, sev, mark, n, *_ in (r for r in found if r[0] == "mark"):
        if mark == "dismissed":
            dismissed[sev] = dismissed.get(sev, 0) + int(n)
        elif mark == "confirmed":
            confirmed += int(n)
    kinds = {"party_group": party, "study": study, "democratic_life": dl, "other": meetings - party - study - dl}
    return OverviewMetrics(
        organisations=int(orgs or 0),
        meetings=meetings,
        meetings_by_kind={k: v for k, v in kinds.items() if v},
        entitled=entitled,
        present=present,
        on_leave=on_leave,
        absent=absent,
        unrecorded=unrecorded,
        findings={sev: int(by_sev.get(sev) or 0) - dismissed.get(sev, 0) for sev in SEVERITIES},
        dismissed=sum(dismissed.values()),
        confirmed=confirmed,
        open_rectifications=open_rect,
        overdue_rectifications=overdue_rect,
    )


def top_rules(
    store: Store, *, org_id: str | None, period: Period, as_of: date, run_id: str | None, limit: int = 10
) -> pl.DataFrame:
    """The rules with the most open findings in the subtree and period, with the previous period's count (cut at
    the same point, see :func:`previous_span`)."""
    s = scope(store, org_id)
    span = previous_span(period, as_of)
    params = {**_window(period, as_of), **s.params(), "run": run_id, "limit": limit}
    params["pstart"], params["pcut"] = (span[0].start, span[1]) if span else (None, None)
    cur_in = _month_in(params["start"])
    prev_in = "month BETWEEN date_trunc('month', $pstart::DATE)::DATE AND $pcut::DATE" if span else "FALSE"
    counts = frame(
        store,
        f"""SELECT rule_id, any_value(severity) AS severity, sum(n) FILTER (WHERE {cur_in}) AS findings,
                   sum(n) FILTER (WHERE {prev_in}) AS previous
            FROM summary_tree_findings WHERE run_id = $run AND {_ONE} GROUP BY rule_id
            UNION ALL
            SELECT rule_id, NULL, -count(*) FILTER (WHERE {cur_in}), -count(*) FILTER (WHERE {prev_in})
            FROM summary_marked
            WHERE run_id = $run AND org_pos BETWEEN $lo AND $hi AND mark = 'dismissed' GROUP BY rule_id""",
        params,
    )
    out = (
        counts.group_by("rule_id")
        .agg(
            pl.col("severity").drop_nulls().first(),
            pl.col("findings").fill_null(0).sum().cast(pl.Int64),
            pl.col("previous").fill_null(0).sum().cast(pl.Int64),
        )
        .filter((pl.col("findings") > 0) | (pl.col("previous") > 0))
        .join(_rule_names(store, run_id), on="rule_id", how="left")
        .sort(["findings", "rule_id"], descending=[True, False])
        .head(limit)
    )
    return out.select("rule_id", "rule_name_zh", "rule_name_en", "severity", "findings", "previous")


# -- findings -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FindingFilter:
    """The Findings page's filters; empty tuples mean "any"."""

    org_id: str | None = None
    period: Period = field(default_factory=Period.all)
    rules: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    member_id: str | None = None
    marks: tuple[str, ...] = ()
    text: str | None = None


def _finding_params(store: Store, run_id: str | None, flt: FindingFilter) -> dict[str, Any]:
    # A finding's month is its period's last; the period's own bounds (not cut at as_of) select it.
    start, end = (flt.period.start, flt.period.end) if flt.period.kind != "all" else (None, None)
    return {
        **scope(store, flt.org_id).params(),
        "run": run_id,
        "start": start,
        "cut": end,
        "rules": list(flt.rules),
        "sevs": list(flt.severities),
        "member": flt.member_id,
        "marks": list(flt.marks),
        "text": f"%{flt.text.strip()}%" if flt.text and flt.text.strip() else None,
    }


def _findings_where(p: Mapping[str, Any]) -> str:
    """The filter on summary_findings ``f`` (a range of tree positions of one run), with only the parts in use."""
    text = (
        "(f.subject_key ILIKE $text OR f.message_zh ILIKE $text OR f.message_en ILIKE $text OR f.org_name ILIKE $text)"
        if p["text"] is not None
        else "TRUE"
    )
    return f"""f.run_id = $run AND f.org_pos BETWEEN $lo AND $hi AND {_month_in(p["start"], "f.month")}
        AND {_in_list("f.rule_id", "rules", p["rules"])} AND {_in_list("f.severity", "sevs", p["sevs"])}
        AND {"TRUE" if p["member"] is None else "f.member_id = $member"} AND {text}"""


def _mark_where(p: Mapping[str, Any]) -> str:
    return _in_list("coalesce(k.mark, 'unmarked')", "marks", p["marks"])


def findings_count(store: Store, run_id: str | None, flt: FindingFilter) -> int:
    """How many of the run's findings match the filter: from the roll-ups unless a member or text filter asks for a
    scan of the findings themselves."""
    params = _finding_params(store, run_id, flt)
    if flt.member_id is None and params["text"] is None:
        total = scalar(
            store,
            f"""SELECT sum(n) FROM summary_tree_findings
                WHERE run_id = $run AND {_ONE} AND {_month_in(params["start"])}
                  AND {_in_list("rule_id", "rules", flt.rules)} AND {_in_list("severity", "sevs", flt.severities)}""",
            params,
        )
        if not flt.marks:
            return int(total or 0)
        marked = dict(
            rows(
                store,
                f"""SELECT mark, count(*) FROM summary_marked
                    WHERE run_id = $run AND org_pos BETWEEN $lo AND $hi AND {_month_in(params["start"])}
                      AND {_in_list("rule_id", "rules", flt.rules)} AND {_in_list("severity", "sevs", flt.severities)}
                    GROUP BY mark""",
                params,
            )
        )
        by_mark = {"unmarked": int(total or 0) - sum(marked.values()), **{k: int(v) for k, v in marked.items()}}
        return sum(by_mark.get(m, 0) for m in flt.marks)
    if not flt.marks:
        return int(
            scalar(store, f"SELECT count(*) FROM summary_findings f WHERE {_findings_where(params)}", params) or 0
        )
    return int(
        scalar(
            store,
            f"""SELECT count(*) FROM summary_findings f LEFT JOIN finding_marks k USING (rule_id, subject_key)
                WHERE {_findings_where(params)} AND {_mark_where(params)}""",
            params,
        )
        or 0
    )


def findings(
    store: Store, run_id: str | None, flt: FindingFilter, *, as_of: date | None = None, limit: int = 500,
    offset: int = 0,
) -> pl.DataFrame:  # fmt: skip
    """One page of the run's findings matching the filter, in tree order (organisation, rule, subject), with member
    names and marks. ``total`` repeats the number of matching findings."""
    params = {**_finding_params(store, run_id, flt), "limit": limit, "offset": offset}
    columns = """f.seq, f.rule_id, f.severity, f.org_id, f.org_name, f.subject_key, f.member_id, f.member_name,
                 f.meeting_id, f.item_id, f.rect_id, f.period, f.rule_name_zh, f.rule_name_en, f.message_zh,
                 f.message_en, f.citation_zh, f.evidence"""
    if flt.marks:
        # The mark filter joins the marks, and a join does not keep the table's order: sort the matches.
        matches = f"""SELECT {columns} FROM summary_findings f LEFT JOIN finding_marks k USING (rule_id, subject_key)
                      WHERE {_findings_where(params)} AND {_mark_where(params)}
                      ORDER BY f.seq LIMIT $limit OFFSET $offset"""
    else:
        # summary_findings holds each run in seq order (inserted ORDER BY run_id, seq), and a scan of one table
        # with WHERE, LIMIT and OFFSET keeps that order (DuckDB's order preservation, on by default): the scan
        # stops after offset + limit matches instead of sorting every match of the subtree (2.7M for "all").
        matches = (
            f"SELECT {columns} FROM summary_findings f WHERE {_findings_where(params)} LIMIT $limit OFFSET $offset"
        )
    query = f"""WITH page AS ({matches})
            SELECT p.* EXCLUDE (seq), coalesce(k.mark, 'unmarked') AS mark, k.reason AS mark_reason, k.marked_by,
                   k.marked_at
            FROM page p LEFT JOIN finding_marks k USING (rule_id, subject_key)
            ORDER BY p.seq"""
    counted = not flt.marks and flt.member_id is None and params["text"] is None
    total = findings_count(store, run_id, flt) if counted else None
    page = None
    if total is not None and total <= offset:  # nothing to show: an empty range of positions, no scan
        page = frame(store, query, {**params, "hi": params["lo"] - 1})
    elif total is not None and params["hi"] > params["lo"]:
        # DuckDB scans row groups in parallel and a LIMIT does not stop them early, so bound the scan: the first
        # offset + limit matches lie within the first organisations of the subtree (twice as many as the average
        # density of matches says, from the count above); the table is in tree order, so zone maps skip the rest.
        # A short page from the bounded range means it was too narrow, and the whole range is read instead.
        density = total / (params["hi"] - params["lo"] + 1)
        width = int((offset + limit) / density * 2) + 1
        if params["lo"] + width - 1 < params["hi"]:
            page = frame(store, query, {**params, "hi": params["lo"] + width - 1})
            if page.height < limit and offset + page.height < total:
                page = None
    if page is None:
        page = frame(store, query, params)
    if total is None:
        total = findings_count(store, run_id, flt) if page.height == limit or offset else page.height
    return page.with_columns(pl.lit(total, dtype=pl.Int64).alias("total"))


def finding_facets(
    store: Store, run_id: str | None, flt: FindingFilter, *, as_of: date | None = None
) -> dict[str, pl.DataFrame]:
    """What the filter widgets offer for the subtree and period: the rules with findings (names and counts) and the
    counts by severity and by mark. Read from the roll-ups, without the page's own filters."""
    s = scope(store, flt.org_id)
    start, end = (flt.period.start, flt.period.end) if flt.period.kind != "all" else (None, None)
    params = {**s.params(), "run": run_id, "start": start, "cut": end}
    # One statement: counts by rule and severity from the roll-up, marked findings by severity and mark.
    found = frame(
        store,
        f"""SELECT rule_id, severity, NULL AS mark, sum(n) AS n FROM summary_tree_findings
            WHERE run_id = $run AND {_ONE} AND {_month_in(start)} GROUP BY ALL
            UNION ALL
            SELECT NULL, severity, mark, count(*) FROM summary_marked
            WHERE run_id = $run AND org_pos BETWEEN $lo AND $hi AND {_month_in(start)} GROUP BY ALL""",
        params,
    ).with_columns(pl.col("n").cast(pl.Int64))
    totals = found.filter(pl.col("mark").is_null())
    marked = found.filter(pl.col("mark").is_not_null()).select("severity", "mark", "n")
    rules = (
        totals.group_by("rule_id")
        .agg(pl.col("n").sum())
        .join(_rule_names(store, run_id), on="rule_id", how="left")
        .sort("rule_id")
        .select("rule_id", "rule_name_zh", "rule_name_en", "n")
    )
    unmarked = (
        totals.group_by("severity")
        .agg(pl.col("n").sum())
        .join(marked.group_by("severity").agg(pl.col("n").sum().alias("m")), on="severity", how="left")
        .select("severity", pl.lit("unmarked").alias("mark"), (pl.col("n") - pl.col("m").fill_null(0)).alias("n"))
    )
    counts = pl.concat([marked, unmarked])
    return {"rules": rules, "counts": counts.filter(pl.col("n") > 0)}


def finding(store: Store, run_id: str, rule_id: str, subject_key: str) -> dict[str, Any] | None:
    """One finding of a run with its mark, or None."""
    found = frame(
        store,
        """SELECT f.*, coalesce(k.mark, 'unmarked') AS mark, k.reason AS mark_reason, k.marked_by, k.marked_at
           FROM summary_findings f LEFT JOIN finding_marks k USING (rule_id, subject_key)
           WHERE f.run_id = $run AND f.rule_id = $rule AND f.subject_key = $key""",
        {"run": run_id, "rule": rule_id, "key": subject_key},
    )
    return found.row(0, named=True) if found.height else None


def findings_export(store: Store, run_id: str | None, flt: FindingFilter, *, as_of: date | None = None) -> pl.DataFrame:
    """All findings matching the filter in the engine's column order plus the mark, for download."""
    params = _finding_params(store, run_id, flt)
    return frame(
        store,
        f"""SELECT f.rule_id, f.severity, f.org_id, f.subject_key, f.org_name, f.member_id, f.meeting_id,
                   f.item_id, f.rect_id, f.period, f.rule_name_zh, f.rule_name_en, f.message_zh, f.message_en,
                   f.citation_zh, f.evidence, coalesce(k.mark, 'unmarked') AS mark, k.reason AS mark_reason
            FROM summary_findings f LEFT JOIN finding_marks k USING (rule_id, subject_key)
            WHERE {_findings_where(params)} AND {_mark_where(params)}
            ORDER BY f.seq""",
        params,
    )


def find_members(store: Store, text: str, *, org_id: str | None = None, limit: int = 50) -> pl.DataFrame:
    """Members whose id or name contains the text, within the subtree."""
    return frame(
        store,
        """SELECT m.member_id, m.name, m.role, m.org_id, o.name AS org_name
           FROM members m JOIN summary_org_tree o USING (org_id)
           WHERE o.pos BETWEEN $lo AND $hi AND (m.member_id ILIKE $t OR m.name ILIKE $t)
           ORDER BY m.name, m.member_id LIMIT $limit""",
        {**scope(store, org_id).params(), "t": f"%{text.strip()}%", "limit": limit},
    )


# -- evidence -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeetingEvidence:
    meeting: dict[str, Any]
    roster: pl.DataFrame  # member_id, name, role, status (present/leave/absent/unrecorded), hours, written_opinion
    items: pl.DataFrame  # item_id, seq, title, category, ad_hoc, decision, vote_method, tallies, recorded votes
    votes: pl.DataFrame  # item_id, member_id, name, choice, cast_order
    recusals: pl.DataFrame  # item_id, member_id, name, reason


@dataclass(frozen=True)
class MemberYearEvidence:
    member: dict[str, Any]
    year: int
    attendance: dict[str, Any]  # summary_member_year row (entitled, present, study hours ...)
    study_meetings: pl.DataFrame  # meeting_id, held_on, title, duration_hours, status, hours_attended
    activities: pl.DataFrame  # activity_id, kind, on_date, quantity, counterpart


@dataclass(frozen=True)
class RectificationEvidence:
    rectification: dict[str, Any]


@dataclass(frozen=True)
class OrgPeriodEvidence:
    org: dict[str, Any]
    start: date
    end: date
    meetings: pl.DataFrame  # meeting_id, kind, held_on, title, minutes_no, entitled, present ...
    reports: pl.DataFrame


Evidence = MeetingEvidence | MemberYearEvidence | RectificationEvidence | OrgPeriodEvidence


def meeting_evidence(store: Store, meeting_id: str) -> MeetingEvidence | None:
    """The meeting with its roster and who was present / on leave / absent, agenda, votes and recusals."""
    meeting = frame(
        store,
        """SELECT m.*, o.name AS org_name, c.name AS chair_name,
                  (SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.meeting_id) AS items
           FROM meetings m JOIN organizations o USING (org_id)
           LEFT JOIN members c ON c.member_id = m.chair_id
           WHERE m.meeting_id = $m""",
        {"m": meeting_id},
    )
    if not meeting.height:
        return None
    roster = frame(
        store,
        """WITH m AS (SELECT * FROM meetings WHERE meeting_id = $m),
           att AS (SELECT * FROM attendance WHERE meeting_id = $m)
           SELECT coalesce(r.member_id, a.member_id) AS member_id, coalesce(r.name, x.name) AS name,
                  coalesce(r.role, x.role) AS role,
                  CASE WHEN r.member_id IS NULL THEN 'not_on_roster' ELSE coalesce(a.status, 'unrecorded') END
                      AS status,
                  CASE WHEN a.hours IS NOT NULL THEN a.hours
                       WHEN a.status = 'present' THEN (SELECT duration_hours FROM m) ELSE 0 END AS hours,
                  coalesce(a.written_opinion, false) AS written_opinion
           FROM (SELECT r.* FROM members r, m
                 WHERE r.org_id = m.org_id AND r.joined_on <= m.held_on
                   AND (r.left_on IS NULL OR r.left_on > m.held_on)) r
           FULL JOIN att a ON a.member_id = r.member_id
           LEFT JOIN members x ON x.member_id = a.member_id
           ORDER BY CASE coalesce(r.role, x.role) WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1 ELSE 2 END,
                    member_id""",
        {"m": meeting_id},
    )
    items = frame(
        store,
        """SELECT i.item_id, i.seq, i.title, i.category, coalesce(i.ad_hoc, false) AS ad_hoc,
                  coalesce(i.decision, 'none') AS decision, i.vote_method, i.yes_count, i.no_count,
                  i.abstain_count, i.refers_to_meeting_id,
                  count(v.member_id) FILTER (WHERE v.choice = 'yes') AS votes_yes,
                  count(v.member_id) FILTER (WHERE v.choice = 'no') AS votes_no,
                  count(v.member_id) FILTER (WHERE v.choice = 'abstain') AS votes_abstain,
                  count(v.member_id) AS votes_recorded
           FROM agenda_items i LEFT JOIN votes v USING (item_id)
           WHERE i.meeting_id = $m GROUP BY ALL ORDER BY i.seq, i.item_id""",
        {"m": meeting_id},
    )
    votes = frame(
        store,
        """SELECT v.item_id, v.member_id, mb.name, v.choice, v.cast_order
           FROM votes v JOIN agenda_items i USING (item_id) LEFT JOIN members mb USING (member_id)
           WHERE i.meeting_id = $m ORDER BY i.seq, v.cast_order NULLS LAST, v.member_id""",
        {"m": meeting_id},
    )
    recusals = frame(
        store,
        """SELECT r.item_id, r.member_id, mb.name, r.reason
           FROM recusals r JOIN agenda_items i USING (item_id) LEFT JOIN members mb USING (member_id)
           WHERE i.meeting_id = $m ORDER BY i.seq, r.member_id""",
        {"m": meeting_id},
    )
    return MeetingEvidence(meeting.row(0, named=True), roster, items, votes, recusals)


def member_year_evidence(store: Store, member_id: str, year: int) -> MemberYearEvidence | None:
    """The member's year: meetings entitled and attended, study hours against those held, and activities."""
    member = frame(
        store,
        """SELECT m.*, o.name AS org_name FROM members m JOIN organizations o USING (org_id)
           WHERE m.member_id = $id""",
        {"id": member_id},
    )
    if not member.height:
        return None
    summary = frame(
        store,
        "SELECT * FROM summary_member_year WHERE member_id = $id AND year = $y",
        {"id": member_id, "y": year},
    )
    study = frame(
        store,
        """WITH r AS (SELECT * FROM members WHERE member_id = $id)
           SELECT m.meeting_id, m.held_on, m.title, m.duration_hours, coalesce(a.status, 'unrecorded') AS status,
                  CASE WHEN a.hours IS NOT NULL THEN a.hours
                       WHEN a.status = 'present' THEN coalesce(m.duration_hours, 0) ELSE 0 END AS hours_attended
           FROM meetings m JOIN r ON m.org_id = r.org_id
           LEFT JOIN attendance a ON a.meeting_id = m.meeting_id AND a.member_id = r.member_id
           WHERE m.kind = 'study' AND year(m.held_on) = $y
             AND r.joined_on <= m.held_on AND (r.left_on IS NULL OR r.left_on > m.held_on)
           ORDER BY m.held_on""",
        {"id": member_id, "y": year},
    )
    activities = frame(
        store,
        """SELECT a.activity_id, a.kind, a.on_date, coalesce(a.quantity, 1) AS quantity, a.counterpart_id,
                  c.name AS counterpart_name
           FROM activities a LEFT JOIN members c ON c.member_id = a.counterpart_id
           WHERE (a.member_id = $id OR a.counterpart_id = $id) AND year(a.on_date) = $y
           ORDER BY a.on_date, a.activity_id""",
        {"id": member_id, "y": year},
    )
    att = summary.row(0, named=True) if summary.height else {}
    return MemberYearEvidence(member.row(0, named=True), year, att, study, activities)


def rectification_evidence(store: Store, rect_id: str) -> RectificationEvidence | None:
    """The rectification with its organisation, owner and source meeting (point reads, no joins of big tables)."""
    found = frame(store, "SELECT * FROM rectifications WHERE rect_id = $id", {"id": rect_id})
    if not found.height:
        return None
    r = found.row(0, named=True)
    r["org_name"] = scalar(store, "SELECT name FROM summary_org_tree WHERE org_id = $o", {"o": r["org_id"]})
    r["owner_name"] = (
        scalar(store, "SELECT name FROM members WHERE member_id = $m", {"m": r["owner_id"]}) if r["owner_id"] else None
    )
    source = (
        rows(store, "SELECT title, held_on FROM meetings WHERE meeting_id = $m", {"m": r["source_meeting_id"]})
        if r["source_meeting_id"]
        else []
    )
    r["source_meeting_title"], r["source_meeting_held_on"] = source[0] if source else (None, None)
    return RectificationEvidence(r)


def org_period_evidence(store: Store, org_id: str, start: date, end: date) -> OrgPeriodEvidence | None:
    """The organisation's meetings (with attendance counts) and reports in [start, end]."""
    org = frame(store, "SELECT * FROM summary_org_tree WHERE org_id = $o", {"o": org_id})
    if not org.height:
        return None
    # From the per-meeting summary (sorted by month and tree position): no scan of the meetings table.
    meetings = frame(
        store,
        """SELECT meeting_id, kind, held_on, title, minutes_no, entitled, present, on_leave, absent, unrecorded
           FROM summary_meetings
           WHERE month BETWEEN date_trunc('month', $s::DATE) AND $e AND org_pos = $pos AND held_on BETWEEN $s AND $e
           ORDER BY held_on, meeting_id""",
        {"pos": int(org["pos"][0]) if "pos" in org.columns else -1, "s": start, "e": end},
    )
    reports = frame(
        store,
        """SELECT report_id, kind, meeting_id, period_year, submitted_on FROM reports
           WHERE org_id = $o AND (submitted_on BETWEEN $s AND $e + INTERVAL 6 MONTH OR period_year = year($s::DATE))
           ORDER BY submitted_on""",
        {"o": org_id, "s": start, "e": end},
    )
    return OrgPeriodEvidence(org.row(0, named=True), start, end, meetings, reports)


def finding_evidence(store: Store, f: Mapping[str, Any]) -> Evidence | None:
    """The records behind a finding, chosen by what it is about: a rectification, a meeting (item, attendance and
    vote findings are shown on their meeting), a member's year, or an organisation's month or year."""
    if f.get("rect_id"):
        return rectification_evidence(store, f["rect_id"])
    if f.get("meeting_id"):
        return meeting_evidence(store, f["meeting_id"])
    period = str(f.get("period") or "")
    if f.get("member_id") and len(period) == 4:
        return member_year_evidence(store, f["member_id"], int(period))
    parsed = Period.parse(period[:7]) if len(period) in (4, 7) else None
    if f.get("org_id") and parsed and parsed.start and parsed.end:
        return org_period_evidence(store, f["org_id"], parsed.start, parsed.end)
    return None


def evidence_items(evidence_json: str | None) -> list[tuple[str, str]]:
    """The finding's evidence JSON as (key, value) pairs for display; non-JSON text is shown as one pair."""
    if not evidence_json:
        return []
    try:
        data = json.loads(evidence_json)
    except ValueError:
        return [("evidence", evidence_json)]
    if not isinstance(data, dict):
        return [("evidence", json.dumps(data, ensure_ascii=False))]
    return [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in data.items()]


# -- trends ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _SeriesMeta:
    """A per-organisation chart's series (:func:`_build_groups`) as arrays, held with the tree: ``lo`` / ``hi`` the tree
    positions each series covers (sorted by ``lo``), ``rank`` each series' place in ``group_id`` order (the order the
    charts' frames come in), ``own`` the index of the chosen organisation's own series (-1 when there is none)."""

    group_id: pl.Series
    name: pl.Series
    is_self: pl.Series
    lo: np.ndarray
    hi: np.ndarray
    rank: np.ndarray
    own: int


def _series_meta(store: Store, org_id: str | None) -> _SeriesMeta:
    def build(tree: _Tree) -> _SeriesMeta:
        groups = _build_groups(tree.frame, org_id)
        selfs = np.flatnonzero(groups["is_self"].to_numpy())
        rank = groups["group_id"].rank("ordinal").to_numpy().astype(np.int64) - 1
        lo, hi = (groups[c].to_numpy().astype(np.int64) for c in ("lo", "hi"))
        own = int(selfs[0]) if selfs.size else -1
        return _SeriesMeta(groups["group_id"], groups["name"], groups["is_self"], lo, hi, rank, own)

    return _derived(store, ("series", org_id), build)


def _ints(column: pl.Series) -> np.ndarray:
    """A column of whole numbers as int64 (DuckDB's sums come as DECIMAL / HUGEINT, which NumPy would take as Python
    objects, one by one)."""
    return column.cast(pl.Int64).to_numpy()


def _series(
    rolled: pl.DataFrame, extra: pl.DataFrame | None, meta: _SeriesMeta, measures: list[str], nonzero: str
) -> pl.DataFrame:
    """Chart series from the roll-ups' rows and per-organisation rows, added up in NumPy.

    ``rolled`` (anc_pos, month, measures) holds each series' rows keyed by its first position: a child's subtree
    from the roll-up, the chosen organisation's own records (read as they are, not as its subtree minus its
    children's). ``extra`` (org_pos, month, measures; the as_of month's meetings, the dismissed findings) is added to
    the series the organisation's position falls in. Returns group_id, name, is_self, month and the measures, rows
    with ``nonzero`` > 0, sorted by group_id and month.

    This was a Polars join, a group_by and a sort on group_id: a whole tree over five years is ~22,000 rows, and
    those steps cost 10-20 ms a chart here; keyed by integers, a sort and a ``reduceat`` cost a few."""
    n = len(meta.lo)
    anc = _ints(rolled["anc_pos"])
    gi = np.searchsorted(meta.lo, anc)
    ok = gi < n
    ok[ok] = meta.lo[gi[ok]] == anc[ok]
    days = rolled["month"].to_physical().to_numpy().astype(np.int64)[ok]
    # one row of values per measure (contiguous, so each becomes a Series without a strided copy)
    vals = np.stack([_ints(rolled[m])[ok] for m in measures]).reshape(len(measures), -1)
    gi = gi[ok]
    if extra is not None and extra.height:
        pos = _ints(extra["org_pos"])
        xi = np.searchsorted(meta.lo, pos, side="right") - 1
        inside = xi >= 0
        inside[inside] = pos[inside] <= meta.hi[xi[inside]]
        gi = np.concatenate([gi, xi[inside]])
        days = np.concatenate([days, extra["month"].to_physical().to_numpy().astype(np.int64)[inside]])
        more = np.stack([_ints(extra[m])[inside] for m in measures]).reshape(len(measures), -1)
        vals = np.concatenate([vals, more], axis=1)
    # one row per (series, month) in the frame's order: rank of group_id, then month; rows with the same key summed
    key = meta.rank[gi] * (1 << 32) + days
    order = np.argsort(key, kind="stable")
    key, gi, days, vals = key[order], gi[order], days[order], vals[:, order]
    if key.size:
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        if starts.size < key.size:
            gi, days, vals = gi[starts], days[starts], np.add.reduceat(vals, starts, axis=1)
    keep = vals[measures.index(nonzero)] > 0
    gi, days, vals = gi[keep], days[keep], vals[:, keep]
    return pl.DataFrame(
        [
            meta.group_id.gather(gi),
            meta.name.gather(gi),
            meta.is_self.gather(gi),
            pl.Series("month", days, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date),
            *(pl.Series(m, vals[j], dtype=pl.Int64) for j, m in enumerate(measures)),
        ]
    )


def attendance_by_month(store: Store, *, org_id: str | None, window: Period, as_of: date) -> pl.DataFrame:
    """Attendance per month for the organisation's own meetings and each child subtree: month, group_id, name,
    is_self, meetings, entitled, present, on_leave, absent, rate. Months after as_of are left out; the as_of month
    counts its meetings up to as_of."""
    meta = _series_meta(store, org_id)
    measures = ["meetings", "entitled", "present", "on_leave", "absent"]
    sc = scope(store, org_id)
    cols = "anc_pos, NULL::INTEGER AS org_pos, month, meetings, entitled, present, on_leave, absent"
    current = date(as_of.year, as_of.month, 1)
    partial = (
        as_of != period_end_month(as_of)
        and window.start is not None
        and window.start <= current <= (window.end or current)
    )
    # Two pruned reads (the children's block of the roll-up, the organisation's own months), plain scans so that the
    # statement plans in about a millisecond; series are formed in NumPy. When as_of falls inside a month of the
    # window, that month's meetings up to as_of per organisation (org_pos) come in the same statement.
    parts = [
        f"""SELECT {cols} FROM summary_tree_month
            WHERE {_CHILDREN} AND month BETWEEN $start AND $end AND last_day(month) <= $as_of"""
    ]
    if meta.own >= 0:  # the chosen organisation's own meetings (summary_org_month, keyed by its position)
        parts.append(
            """SELECT org_pos, NULL, month, meetings, entitled, present, on_leave, absent FROM summary_org_month
               WHERE org_pos = $apos AND month BETWEEN $start AND $end AND last_day(month) <= $as_of"""
        )
    if partial:
        parts.append(
            """SELECT NULL, org_pos, month, count(*), sum(entitled)::BIGINT, sum(present)::BIGINT,
                      sum(on_leave)::BIGINT, sum(absent)::BIGINT
               FROM summary_meetings
               WHERE month = $m AND kind <> 'emergency_decision' AND held_on <= $as_of AND org_pos BETWEEN $lo AND $hi
               GROUP BY org_pos, month"""
        )
    data = frame(
        store,
        " UNION ALL ".join(parts),
        {**sc.params(), **_children_params(sc), "start": window.start, "end": window.end, "as_of": as_of,
         "m": current},
    )  # fmt: skip
    # the as_of month's meetings go to their organisation's series, after the roll-ups became series
    extra = data.filter(pl.col("org_pos").is_not_null()) if partial else None
    rolled = data.filter(pl.col("org_pos").is_null()) if partial else data
    out = _series(rolled, extra, meta, measures, "meetings")
    return out.select("month", "group_id", "name", "is_self", *measures, rate=pl.col("present") / pl.col("entitled"))


def findings_by_rule_month(
    store: Store, *, run_id: str | None, org_id: str | None, window: Period, as_of: date
) -> pl.DataFrame:
    """Open findings per month and rule in the subtree: month, rule_id, rule names, severity, findings."""
    s = scope(store, org_id)
    params = {**s.params(), "run": run_id, "start": window.start, "end": window.end}
    # the subtree's findings per month and rule (one row each, in the frame's order)
    counts = frame(
        store,
        """SELECT month, rule_id, any_value(severity) AS severity, sum(n)::BIGINT AS findings FROM summary_tree_findings
           WHERE run_id = $run AND anc_depth = $adepth AND anc_pos = $apos AND month BETWEEN $start AND $end
           GROUP BY ALL ORDER BY month, rule_id""",
        params,
    )
    # less the dismissed findings of the subtree and window (held in memory)
    held = _dismissed(store, run_id)
    bounded = window.start is not None and window.end is not None  # as month BETWEEN NULL AND ... is in SQL
    gone = held.frame.filter(_dismissed_in(held, s.lo, s.hi, window.start, window.end, undated=False) & bounded)
    if gone.height:
        less = gone.group_by("month", "rule_id").agg(pl.len().cast(pl.Int64).alias("dismissed"))
        counts = counts.join(less, on=["month", "rule_id"], how="left", maintain_order="left").with_columns(
            pl.col("findings") - pl.col("dismissed").fill_null(0)
        )
    return (
        counts.filter(pl.col("findings") > 0)
        .join(_rule_names(store, run_id), on="rule_id", how="left", maintain_order="left")
        .select("month", "rule_id", "rule_name_zh", "rule_name_en", "severity", "findings")
    )


def findings_heatmap(
    store: Store, *, run_id: str | None, org_id: str | None, window: Period, as_of: date
) -> pl.DataFrame:
    """Open findings per month for the organisation's own records and each child subtree: group_id, name, is_self,
    month, findings."""
    meta = _series_meta(store, org_id)
    sc = scope(store, org_id)
    params = {**sc.params(), **_children_params(sc), "run": run_id, "start": window.start, "end": window.end}
    # Totals over rules (summary_tree_findings_total) for the children's block and the organisation's own findings
    # (summary_findings, in tree order, so its rows are one pruned range), in one statement of plain scans.
    parts = [
        """SELECT anc_pos, month, n AS findings FROM summary_tree_findings_total
           WHERE run_id = $run AND anc_depth = $cdepth AND anc_pos BETWEEN $clo AND $chi
             AND month BETWEEN $start AND $end"""
    ]
    if meta.own >= 0:
        parts.append(
            """SELECT org_pos, month, count(*) FROM summary_findings
               WHERE run_id = $run AND org_pos = $apos AND month BETWEEN $start AND $end GROUP BY org_pos, month"""
        )
    data = frame(store, " UNION ALL ".join(parts), params)
    # The dismissed findings (held in memory), one row each to take away, go straight to the series their
    # organisation is in (the chosen organisation's own position to its own series), after the roll-ups became series.
    held = _dismissed(store, run_id)
    bounded = window.start is not None and window.end is not None  # as month BETWEEN NULL AND ... is in SQL
    gone = held.frame.filter(_dismissed_in(held, sc.lo, sc.hi, window.start, window.end, undated=False) & bounded)
    dismissed = gone.select("org_pos", "month", findings=pl.lit(-1, pl.Int64))
    out = _series(data, dismissed, meta, ["findings"], "findings")
    return out.select("group_id", "name", "is_self", "month", "findings")


PERCENTILES: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9)


def member_attendance_distribution(store: Store, *, org_id: str | None, year: int) -> dict[str, Any]:
    """Members' attendance rates in the subtree for a year: a 5-point histogram (``bins``: lower bound in percent,
    members) and the percentiles 10/25/50/75/90 of the rate; members with no meeting that year are left out."""
    s = scope(store, org_id)
    # The distribution as (present, entitled) pairs with their member counts, in rate order (summary_tree_rates).
    pairs = rows(
        store,
        """SELECT present, entitled, members FROM summary_tree_rates
           WHERE anc_depth = $adepth AND anc_pos = $apos AND year = $y
           ORDER BY present::DOUBLE / entitled""",
        {**s.params(), "y": year},
    )
    if not pairs:
        empty = pl.DataFrame(schema={"lower_pct": pl.Int32, "members": pl.Int64})
        return {"members": 0, "bins": empty, "percentiles": dict.fromkeys(PERCENTILES), "mean": None}
    present, entitled, weight = (np.array(c) for c in zip(*pairs, strict=True))
    rate = present / entitled
    counts = weight.astype(np.int64)
    n = int(counts.sum())
    ends = np.cumsum(counts)  # the i-th member in rate order (0-based) has the rate of the first pair with end > i

    def nth(i: int) -> float:
        return float(rate[np.searchsorted(ends, i, side="right")])

    quantiles: dict[float, float | None] = {}
    for q in PERCENTILES:
        # quantile_cont's reading: interpolate between the values at floor and ceil of (n - 1) * q
        h = (n - 1) * q
        lo, hi = nth(int(np.floor(h))), nth(int(np.ceil(h)))
        quantiles[q] = lo if lo == hi else lo + (hi - lo) * (h - np.floor(h))
    # members per 5-point bin (the bins that hold any pair), summed in NumPy
    slot = np.minimum(np.floor(rate * 20), 19).astype(np.int64)
    held = np.bincount(slot, minlength=20) > 0
    per_bin = np.zeros(20, dtype=np.int64)
    np.add.at(per_bin, slot, counts)
    bins = pl.DataFrame(
        [
            pl.Series("lower_pct", (np.flatnonzero(held) * 5).astype(np.int32), dtype=pl.Int32),
            pl.Series("members", per_bin[held], dtype=pl.Int64),
        ]
    )
    return {"members": n, "bins": bins, "percentiles": quantiles, "mean": float((rate * counts).sum() / n)}


def member_standing(store: Store, *, member_id: str, org_id: str | None, year: int) -> dict[str, Any] | None:
    """Where a member stands among the subtree's members that year: rate and percent rank (share of peers with a
    lower rate, 0–1)."""
    found = rows(
        store,
        """WITH rates AS (
               SELECT member_id, present / entitled AS rate, entitled, present, on_leave, absent
               FROM summary_member_year WHERE org_pos BETWEEN $lo AND $hi AND year = $y AND entitled > 0),
           me AS (SELECT * FROM rates WHERE member_id = $m)
           SELECT me.rate, me.entitled, me.present, me.on_leave, me.absent,
                  (SELECT count(*) FROM rates WHERE rate < me.rate) / nullif((SELECT count(*) FROM rates), 0),
                  (SELECT count(*) FROM rates)
           FROM me""",
        {**scope(store, org_id).params(), "y": year, "m": member_id},
    )
    if not found:
        return None
    keys = ("rate", "entitled", "present", "on_leave", "absent", "rank", "peers")
    return dict(zip(keys, found[0], strict=True))


def _month_starts(window: Period, as_of: date) -> list[date]:
    """The first day of each month of the window up to as_of (computed here: a DuckDB ``range`` costs a statement)."""
    if window.start is None or window.end is None:
        return []
    first = window.start.year * 12 + window.start.month - 1
    last = min(window.end.year * 12 + window.end.month - 1, as_of.year * 12 + as_of.month - 1)
    return [date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1)]


def rectifications_over_time(store: Store, *, org_id: str | None, window: Period, as_of: date) -> pl.DataFrame:
    """Open and overdue rectifications at each month's end (at as_of for the as_of month) in the subtree, and those
    closed in the month."""
    s = scope(store, org_id)
    months = _month_starts(window, as_of)
    current = date(as_of.year, as_of.month, 1)
    partial = as_of != period_end_month(as_of) and current in months
    # One statement: the stored month ends (0) and, when as_of falls inside a month of the window, that day's open
    # and overdue (1, rows that add up, see _rect_parts) and the month's closures up to as_of (2).
    parts = [
        """SELECT 0 AS kind, month, open::BIGINT AS open, overdue::BIGINT AS overdue, closed::BIGINT AS closed
           FROM summary_tree_rect
           WHERE anc_depth = $adepth AND anc_pos = $apos AND month BETWEEN $start AND $end
             AND last_day(month) <= $as_of"""
    ]
    extra: dict[str, Any] = {}
    if partial:
        events = _rect_by_events(store, as_of)
        if events is not None:
            # the previous month's end, and the month's daily changes up to as_of: open, overdue and closures in one
            extra = events
            parts += [
                f"SELECT 1, NULL, open, overdue, 0 FROM summary_tree_rect WHERE {_ONE} AND month = $prev",
                f"""SELECT 1, NULL, sum(open)::BIGINT, sum(overdue)::BIGINT, sum(closed)::BIGINT
                    FROM summary_tree_rect_days WHERE {_ONE} AND month = $m AND day <= $as_of""",
            ]
        else:
            rect_parts, extra = _rect_parts(store, as_of)
            parts += [f"SELECT 1, NULL, open, overdue, NULL FROM ({p})" for p in rect_parts]
            # the month's closures up to as_of: the subtree's daily changes of the month (at most a row a day)
            parts.append(
                f"""SELECT 2, NULL, NULL, NULL, sum(closed)::BIGINT FROM summary_tree_rect_days
                    WHERE {_ONE} AND month = $m AND day <= $as_of"""
            )
    # Tuples, not a frame: a chart's months are at most 60 rows, and an Arrow conversion costs more than that.
    found = rows(
        store,
        " UNION ALL ".join(parts),
        {**s.params(), **extra, "start": window.start, "end": window.end, "as_of": as_of, "m": current},
    )
    # The chart's months filled from the rows in NumPy: a handful of Polars steps cost more here.
    days = np.array(months, dtype="datetime64[D]").astype(np.int64)
    kind = np.array([r[0] for r in found], dtype=np.int64)
    # (NULL, a sum over no rows, becomes NaN and then 0; the counts are far below 2**53)
    vals = np.nan_to_num(np.array([r[2:] for r in found], dtype=np.float64).reshape(-1, 3)).astype(np.int64).T
    out = np.zeros((3, len(days)), dtype=np.int64)
    stored = kind == 0
    month = np.array([r[1] for r in found if r[0] == 0], dtype="datetime64[D]").astype(np.int64)
    idx = np.searchsorted(days, month)
    hit = idx < len(days)
    hit[hit] = days[idx[hit]] == month[hit]
    out[:, idx[hit]] = vals[:, stored][:, hit]
    if partial:
        out[:, days == _days(current)] = vals[:, ~stored].sum(axis=1, keepdims=True)
    return pl.DataFrame(
        [
            pl.Series("month", days, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date),
            pl.Series("open", out[0], dtype=pl.Int64),
            pl.Series("overdue", out[1], dtype=pl.Int64),
            pl.Series("closed", out[2], dtype=pl.Int64),
        ]
    )


ROLLUP_MAX_NODES = 400


def _rollup_nodes(tree: pl.DataFrame, s: Scope, depth: int) -> tuple[pl.DataFrame, np.ndarray, np.ndarray, int, int]:
    """The roll-up's nodes from the tree in memory: the subtree's organisations by depth below the chosen one, down
    to ``depth`` levels (fewer past ``ROLLUP_MAX_NODES``; parent links cut at the top), their tree positions and
    subtrees' last positions (in tree order), and the first and last relative depth kept ('*' sits one level above
    the roots, so the roots are at relative depth 1 and "all" starts there)."""
    sub = tree.slice(s.lo, max(s.hi - s.lo + 1, 0)).with_columns((pl.col("depth") - s.depth).alias("rel"))
    base = 1 if s.key == "*" else 0
    total, keep = 0, base
    for d, n in sub.group_by("rel").len().sort("rel").iter_rows():
        if d < base:
            continue
        if d > base + depth or (total + n > ROLLUP_MAX_NODES and d > base):
            break
        total += n
        keep = d
    nodes = sub.filter(pl.col("rel").is_between(base, keep)).select(
        "org_id", "name", "parent_id", (pl.col("rel") - base).cast(pl.Int32).alias("depth"), "pos", "last",
        (pl.col("last") - pl.col("pos") + 1).cast(pl.Int64).alias("organisations"),
    )  # fmt: skip
    pos, last = (nodes[c].to_numpy().astype(np.int64) for c in ("pos", "last"))
    nodes = nodes.drop("pos", "last").with_columns(
        pl.when(pl.col("depth") == 0).then(None).otherwise(pl.col("parent_id")).alias("parent_id")
    )
    return nodes, pos, last, base, keep


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _cum_last(store: Store, run_id: str | None = None, *, findings: bool = False) -> date | None:
    """The last month of the running totals (of the attendance, or of a run's findings), held with the tree: a
    period reaching past it reads that month's totals."""
    if findings:
        return _derived(
            store,
            ("findings_cum_last", run_id),
            lambda _: scalar(store, "SELECT max(month) FROM summary_tree_findings_cum WHERE run_id = $run",
                             {"run": run_id}),
        )  # fmt: skip
    return _derived(store, ("tree_cum_last",), lambda _: scalar(store, "SELECT max(month) FROM summary_tree_cum"))


def _cum_bounds(first: date | None, last_month: date | None, newest: date | None) -> tuple[date, date | None] | None:
    """The running-total months whose difference is the sum over the months ``first`` .. ``last_month`` (None:
    from the beginning): (the last month, clamped to ``newest``; the month before ``first``, None for "from the
    beginning"), or None when the span holds no month of the totals."""
    if last_month is None or newest is None:
        return None
    hi = min(last_month, newest)
    lo = _shift_months(first, -1) if first is not None else None
    if lo is not None and lo >= hi:
        return None
    return hi, lo


def rollup(
    store: Store, *, org_id: str | None, period: Period, as_of: date, run_id: str | None, depth: int = 2
) -> pl.DataFrame:
    """Per organisation down to ``depth`` levels below the chosen one (fewer when that would exceed
    ``ROLLUP_MAX_NODES``): its subtree's totals (organisations, meetings, attendance, open findings, overdue
    rectifications at the period's end) with parent links for a tree chart. "All" starts at the roots."""
    s = scope(store, org_id)
    nodes, node_pos, node_last, base, keep = _derived(
        store, ("rollup", s.key, depth), lambda tree: _rollup_nodes(tree.frame, s, depth)
    )
    win = _window(period, as_of)
    cut = win["cut"]
    start: date | None = win["start"]
    # The nodes' rows in the roll-ups are exactly their depths' blocks at positions inside the chosen subtree.
    in_block = "anc_depth BETWEEN $d0 AND $d1 AND anc_pos BETWEEN $lo AND $hi"
    params: dict[str, Any] = {"d0": s.depth + base, "d1": s.depth + keep, "lo": s.lo, "hi": s.hi, "run": run_id,
                              "cut": cut}  # fmt: skip
    # Attendance: whole months from the period's first to the last that ends by the cut, as the difference of two
    # running totals per node (summary_tree_cum). Findings: months from the period's first to the one its end falls
    # in (everything for "all"), likewise, plus those without a month. One statement of plain scans stacked with
    # UNION ALL; the rows are added up per node below (rows keyed by tree position, a node's range of positions
    # summed from prefix sums: joins of position ranges in SQL cost DuckDB far more to plan than to run).
    parts: list[str] = []
    first_att = None if start is None else (start if start.day == 1 else _shift_months(_month_start(start), 1))
    last_att = _month_start(cut) if cut == period_end_month(cut) else _shift_months(_month_start(cut), -1)
    att = _cum_bounds(first_att, last_att, _cum_last(store))
    if att is not None:
        params |= {"ahi": att[0], "alo": att[1]}
        parts.append(
            f"""SELECT 0 AS kind, anc_pos AS pos, month, meetings AS v1, entitled AS v2, present AS v3
                FROM summary_tree_cum WHERE {in_block} AND month {"= $ahi" if att[1] is None else "IN ($ahi, $alo)"}"""
        )
    fcut = period.end or cut
    f_last = _cum_last(store, run_id, findings=True)
    fnd = (
        _cum_bounds(None, f_last, f_last)
        if start is None
        else _cum_bounds(_month_start(start), _month_start(fcut), f_last)
    )
    months = "month IS NULL"
    if fnd is not None:
        params |= {"fhi": fnd[0], "flo": fnd[1]}
        months += " OR month = $fhi" + ("" if fnd[1] is None else " OR month = $flo")
    parts.append(
        f"""SELECT 1 AS kind, anc_pos AS pos, month, n AS v1, NULL::BIGINT AS v2, NULL::BIGINT AS v3
            FROM summary_tree_findings_cum
            WHERE run_id = $run AND {in_block} AND ({months})"""
    )
    events = _rect_by_events(store, cut) if cut != period_end_month(cut) else None
    if cut == period_end_month(cut):  # a month's end: read the roll-up
        parts.append(
            f"""SELECT 3, anc_pos, NULL, overdue, NULL, NULL FROM summary_tree_rect
                WHERE {in_block} AND month = date_trunc('month', $cut::DATE)::DATE"""
        )
    elif events is not None:  # the previous month's end and this month's events
        params |= events
        parts.append(
            f"""SELECT 3, anc_pos, NULL, overdue, NULL, NULL FROM summary_tree_rect
                WHERE {in_block} AND month = $prev"""
        )
        parts.append(
            f"""SELECT 5, anc_pos, NULL, overdue, NULL, NULL FROM summary_tree_rect_days
                WHERE {in_block} AND month = $month AND day <= $at"""
        )
    else:
        parts.append(
            """SELECT 4, org_pos, NULL, count(*), NULL, NULL FROM summary_rectifications
               WHERE org_pos BETWEEN $lo AND $hi AND found_on <= $cut AND (closed_on IS NULL OR closed_on > $cut)
                 AND due_on < $cut
               GROUP BY org_pos"""
        )
    found = frame(store, " UNION ALL ".join(parts), params)
    kind = _ints(found["kind"])
    pos = _ints(found["pos"])
    month = found["month"].to_physical().cast(pl.Int64).fill_null(_NO_MONTH).to_numpy()
    size = len(node_pos)

    def sign(lo: date | None) -> np.ndarray:
        # running totals: + the last month's, - the month before the first's; a row without a month counts as it is
        return np.where(month == (_NO_MONTH - 1 if lo is None else _days(lo)), -1, 1)

    def per_node(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
        # rows keyed by a node's own position, added up per node
        idx = np.searchsorted(node_pos, pos[mask])
        hit = idx < size
        hit[hit] = node_pos[idx[hit]] == pos[mask][hit]
        out = np.zeros(size, dtype=np.int64)
        np.add.at(out, idx[hit], values[hit])
        return out

    def by_range(p: np.ndarray, values: np.ndarray) -> np.ndarray:
        # per node: the sum over its positions [pos, last], from prefix sums of the per-position rows
        order = np.argsort(p, kind="stable")
        p = p[order]
        csum = np.concatenate([[0], np.cumsum(values[order])])
        lo = np.searchsorted(p, node_pos, side="left")
        hi = np.searchsorted(p, node_last, side="right")
        return csum[hi] - csum[lo]

    v1, v2, v3 = (_ints(found[c].fill_null(0)) for c in ("v1", "v2", "v3"))
    is_att = kind == 0
    att_sign = sign(att[1]) if att is not None else np.ones(len(kind), dtype=np.int64)
    is_fnd = kind == 1
    fnd_sign = sign(fnd[1]) if fnd is not None else np.ones(len(kind), dtype=np.int64)
    meetings = per_node(is_att, (v1 * att_sign)[is_att])
    entitled = per_node(is_att, (v2 * att_sign)[is_att])
    present = per_node(is_att, (v3 * att_sign)[is_att])
    # the dismissed findings (held in memory) of the subtree and the findings' months, each taken from its nodes
    held = _dismissed(store, run_id)
    gone = _dismissed_in(held, s.lo, s.hi, None if start is None else _month_start(start), None if start is None
                         else fcut, undated=True)  # fmt: skip
    findings = per_node(is_fnd, (v1 * fnd_sign)[is_fnd]) - by_range(held.pos[gone], np.ones(int(gone.sum()), np.int64))
    is_ovd = (kind == 3) | (kind == 5)  # a month end's standing, and the changes of the cut's month up to it
    overdue = per_node(is_ovd, v1[is_ovd]) + by_range(pos[kind == 4], v1[kind == 4])
    out = nodes.with_columns(
        pl.Series("meetings", meetings),
        pl.Series("entitled", entitled),
        pl.Series("present", present),
        pl.Series("findings", findings),
        pl.Series("overdue", overdue),
    )
    return out.select(
        "org_id", "name", "parent_id", "depth", "organisations", "meetings", "entitled", "present",
        rate=pl.col("present") / pl.col("entitled"), findings="findings", overdue="overdue",
    )  # fmt: skip


# -- a page's reads at once ---------------------------------------------------------------------------------------
# A page's charts read independent things, and DuckDB releases the GIL while it runs a statement, so two
# of them can run at the same time on the two cores, each on a cursor of its own (a DuckDB connection is not shared
# across threads). One pool for the process: several sessions queue on it, as they would on the cores anyway.
_WORKERS = 2
_POOL = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="quorum-reads")


def concurrently(store: Store, calls: Sequence[Callable[[Store], Any]]) -> list[Any]:
    """Run independent reads ``call(store)`` two at a time, each on a cursor of its own; their results in order.

    Each call gets a :class:`Store` over a fresh cursor of ``store`` sharing its tree and rule names held in memory
    (read once here, before the threads start), so the calls return exactly what they return run one after another.
    An error in any call is raised here, after every call has finished."""
    tree = _tree(store)
    names = _RULE_NAMES.get(store)
    lanes = [Store(store.con.cursor(), store.path) for _ in calls]
    for lane in lanes:
        _TREES[lane] = tree
        if names is not None:
            _RULE_NAMES[lane] = names
    try:
        futures = [_POOL.submit(call, lane) for call, lane in zip(calls, lanes, strict=True)]
        wait(futures)
        return [f.result() for f in futures]
    finally:
        for lane in lanes:
            lane.con.close()


@dataclass(frozen=True)
class TrendsData:
    """What the Trends page shows for one filter state (see :func:`trends_page`)."""

    window: Period
    attendance: pl.DataFrame
    findings_by_rule: pl.DataFrame
    heatmap: pl.DataFrame
    rectifications: pl.DataFrame
    distribution: dict[str, Any]
    rollup: pl.DataFrame


def trends_page(
    store: Store,
    *,
    org_id: str | None,
    period: Period,
    as_of: date,
    run_id: str | None,
    first: date | None,
    year: int | None = None,
) -> TrendsData:
    """Every chart of the Trends page for a filter state, the six reads run two at a time (:func:`concurrently`).

    ``first`` is the first meeting's date (:func:`data_range`, which the page holds for the session); ``year`` the
    year of the members' distribution (the window's last year by default)."""
    window = trend_window(period, as_of, first)
    focus = focus_org(store, org_id)
    year = year if year is not None else (window.end or as_of).year
    _rule_names(store, run_id)  # held before the threads start, shared with them
    _dismissed(store, run_id)
    # The heaviest first, so the two workers end close together.
    rolled, heat, att, by_rule, rects, dist = concurrently(
        store,
        [
            lambda s: rollup(s, org_id=org_id, period=period, as_of=as_of, run_id=run_id),
            lambda s: findings_heatmap(s, run_id=run_id, org_id=focus, window=window, as_of=as_of),
            lambda s: attendance_by_month(s, org_id=focus, window=window, as_of=as_of),
            lambda s: findings_by_rule_month(s, run_id=run_id, org_id=org_id, window=window, as_of=as_of),
            lambda s: rectifications_over_time(s, org_id=org_id, window=window, as_of=as_of),
            lambda s: member_attendance_distribution(s, org_id=org_id, year=year),
        ],
    )
    return TrendsData(window, att, by_rule, heat, rects, dist, rolled)


def overview_page(
    store: Store, *, org_id: str | None, period: Period, as_of: date, run_id: str | None
) -> tuple[OverviewMetrics, OverviewMetrics | None, pl.DataFrame]:
    """The Overview page's reads for a filter state, two at a time (:func:`concurrently`): the period's metrics,
    the previous period's cut like it (None for everything, see :func:`previous_span`), and :func:`top_rules`."""
    span = previous_span(period, as_of)
    _rule_names(store, run_id)  # held before the threads start, shared with them
    calls: list[Callable[[Store], Any]] = [
        lambda s: overview(s, org_id=org_id, period=period, as_of=as_of, run_id=run_id),
        lambda s: top_rules(s, org_id=org_id, period=period, as_of=as_of, run_id=run_id),
    ]
    if span is not None:
        calls.append(lambda s: overview(s, org_id=org_id, period=span[0], as_of=as_of, run_id=run_id, until=span[1]))
    cur, top, *prev = concurrently(store, calls)
    return cur, (prev[0] if prev else None), top
