"""Summary tables behind the dashboard: precomputed facts so a filter change reads hundreds of rows, not millions.

The records are big (tens of millions of attendance rows) but every dashboard view is an aggregate over an
organisation subtree and a period. Two ideas make those reads small:

- **Tree positions.** ``summary_org_tree`` numbers the organisations in pre-order (``pos``) and records the last
  position of each subtree (``last``), so "this organisation and everything below it" is the range
  ``pos BETWEEN lo AND hi``. Tables sorted by ``org_pos`` then answer a subtree with a range scan that DuckDB's
  zone maps prune.
- **Tree roll-ups.** ``summary_tree_month``, ``summary_tree_findings`` and ``summary_tree_rect`` hold, for every
  organisation *and each of its ancestors* (``ancestor_id``; ``'*'`` stands for all organisations), the monthly
  totals of the whole subtree. A view of a subtree and a period is then a handful of rows keyed by
  (ancestor_id, month).

Tables (all derived, rebuilt from the records and the check runs):

- ``summary_org_tree``: org_id, name, parent_id, level, depth, pos, last, established_on, dissolved_on.
- ``summary_org_closure``: (ancestor_id, org_id, depth) for every organisation and each ancestor, itself included.
- ``summary_meetings``: one row per meeting with its title, minutes number, roster size (entitled, 应到) and
  present / leave / absent / unrecorded counts of rostered members (emergency decisions are kept for the minutes
  sequence but have no attendance, and the attendance roll-ups leave them out).
- ``summary_org_month`` / ``summary_tree_month``: meetings and attendance per organisation (subtree) and month.
- ``summary_member_year``: per membership spell and year: meetings entitled and attended, study hours attended and
  held while on the roster (STU001's reading).
- ``summary_tree_rates``: per subtree and year, the members' (present, entitled) pairs with their counts: the exact
  distribution of attendance rates, so percentiles need a few hundred rows, not every member's year.
- ``summary_findings``: every check run's findings with the judged period parsed (period_start, period_end, and
  ``month``: the period's last month — a year's finding counts in December), the organisation's tree position and
  ``seq``, the finding's place in the run in tree order (so a page of a subtree's findings is a range of seq).
- ``summary_tree_findings``: findings per run, subtree, month, rule and severity; ``summary_tree_findings_total``
  the same summed over rules and severities (the heatmap and the roll-up read many subtrees at once).
- ``summary_tree_cum`` / ``summary_tree_findings_cum``: running totals of the tree roll-ups (meetings, entitled,
  present; findings per run) for every month from a subtree's first to the last, so a period's totals per
  organisation are two rows (the roll-up over the tree reads 752 rows for the whole tree instead of summing 45,000).
- ``summary_marked``: the findings of every run that carry an inspector's mark (small; subtracted from the counts).
- ``summary_rules``: the rules of each run with their names.
- ``summary_tree_rect``: open, overdue and closed rectifications at each month's end per subtree;
  ``summary_tree_rect_days`` the changes of open, overdue and closed per subtree and day, so a day inside a
  month is the previous month's end plus that month's changes up to the day.

They live in the store file, so a restarted dashboard does not rebuild them. :func:`ensure_summaries` compares a
cheap signature of the records, the check runs and the marks with the one stored at the last refresh and rebuilds
what changed; the dashboard calls it at start and after every import, check and mark. Every refresh changes
:func:`generation`, which readers holding a summary in memory (the organisation tree) compare against.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from analytics import facts as record_facts
from analytics.schema import TABLE_ORDER
from analytics.store import WORK_MEMORY_LIMIT_BYTES, Store

#: Bump when a summary's definition changes: stores summarised by an older version are rebuilt.
SUMMARY_VERSION = 6
ALL = "*"

# Bumped around every refresh in this process. Readers that keep a summary in memory (the organisation tree of
# ``analytics.queries``) compare it with the value they read at: a store file is held by one process at a time
# (DuckDB's lock), so every change to the summaries they see goes through the functions below.
_generation = 0


def generation() -> int:
    """A number that changes whenever any summary table is rebuilt in this process."""
    return _generation


def _bump() -> None:
    global _generation
    _generation += 1


SUMMARY_TABLES: tuple[str, ...] = (
    "summary_org_tree",
    "summary_org_closure",
    "summary_meetings",
    "summary_org_month",
    "summary_tree_month",
    "summary_tree_cum",
    "summary_member_year",
    "summary_tree_rates",
    "summary_rectifications",
    "summary_tree_rect",
    "summary_tree_rect_days",
    "summary_findings",
    "summary_tree_findings",
    "summary_tree_findings_total",
    "summary_tree_findings_cum",
    "summary_marked",
    "summary_rules",
)

_META_DDL = "CREATE TABLE IF NOT EXISTS summary_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"

# -- the organisation tree --------------------------------------------------------------------------------------
# Roots: no parent, a parent that is not recorded, or itself. The depth guard stops a parent_id cycle in imported
# data from recursing forever (organisations on a cycle are then not in the tree and not shown).
_TREE = """
CREATE OR REPLACE TABLE summary_org_tree AS
WITH RECURSIVE walk(org_id, depth, path, ids) AS (
    SELECT org_id, 0, [name || chr(1) || org_id], [org_id] FROM organizations
    WHERE parent_id IS NULL OR parent_id = org_id OR parent_id NOT IN (SELECT org_id FROM organizations)
    UNION ALL
    SELECT o.org_id, w.depth + 1, list_append(w.path, o.name || chr(1) || o.org_id), list_append(w.ids, o.org_id)
    FROM walk w JOIN organizations o ON o.parent_id = w.org_id
    WHERE w.depth < 64 AND o.org_id <> o.parent_id
),
ordered AS (SELECT org_id, depth, ids, (row_number() OVER (ORDER BY path) - 1)::INTEGER AS pos FROM walk),
-- every node counts once for itself and once for each ancestor on its path: the subtree sizes
sizes AS (SELECT unnest(ids) AS org_id, count(*) AS size FROM ordered GROUP BY 1)
SELECT o.org_id, o.name, o.parent_id, o.level, o.rulebook, o.established_on, o.dissolved_on, d.depth, d.pos,
       (d.pos + s.size - 1)::INTEGER AS last, s.size > 1 AS has_children, d.ids AS ancestors
FROM ordered d JOIN organizations o USING (org_id) JOIN sizes s USING (org_id)
ORDER BY d.pos
"""

# anc_depth / anc_pos: the ancestor's own depth and tree position ('*' is -1 / -1). The roll-ups are sorted by them,
# so one subtree is one key and the children of an organisation are one range of a depth's block.
_CLOSURE = """
CREATE OR REPLACE TABLE summary_org_closure AS
WITH pairs AS (
    SELECT a.ancestor_id, t.org_id, (t.depth - a.i + 1)::INTEGER AS depth
    FROM summary_org_tree t,
         LATERAL (SELECT unnest(t.ancestors) AS ancestor_id, generate_subscripts(t.ancestors, 1) AS i) a
)
SELECT p.ancestor_id, p.org_id, p.depth, x.depth AS anc_depth, x.pos AS anc_pos
FROM pairs p JOIN summary_org_tree x ON x.org_id = p.ancestor_id
UNION ALL
SELECT '*', org_id, depth + 1, -1, -1 FROM summary_org_tree
ORDER BY anc_depth, anc_pos, org_id
"""

# -- meetings and attendance ------------------------------------------------------------------------------------
# Roster per records.md: joined_on <= held_on < left_on. Present counts rostered members only (rules.md).
#
# Counted from the record facts (analytics.facts: each meeting's roster size, and the rostered members who have no
# attendance row) and one pass over attendance joined to its meeting and member by id. Counting the roster as a
# members x meetings range join with attendance left-joined to every pair, once per meeting and once more per
# member-year, took 76 s and 35 s at 40M attendance rows (and 10 GiB of RSS uncapped); this takes ~10 s. One pass
# feeds both tables: GROUPING SETS aggregates the joined rows per meeting and per member-year at once.
_ATTENDANCE_COUNTS = """
CREATE OR REPLACE TEMP TABLE summary_attendance_counts AS
WITH rows AS (
    SELECT
        a.meeting_id,
        a.member_id,
        -- decisions outside a meeting have no attendance; a stray row there counts for its meeting only
        CASE WHEN m.kind <> 'emergency_decision' THEN year(m.held_on)::INTEGER END AS year,
        m.kind,
        m.duration_hours,
        a.status,
        a.hours,
        -- the roster test as a value, not a join condition: as a condition the optimiser would join members to
        -- meetings on org_id first and build every roster pair of the history (see analytics/rules/facts.sql)
        (p.org_id = m.org_id AND p.joined_on <= m.held_on AND (p.left_on IS NULL OR p.left_on > m.held_on)) IS TRUE
            AS rostered
    FROM attendance a
    JOIN (SELECT meeting_id, org_id, held_on, kind, duration_hours FROM meetings) m ON m.meeting_id = a.meeting_id
    JOIN (SELECT member_id, org_id, joined_on, left_on FROM members) p ON p.member_id = a.member_id
)
SELECT
    grouping(meeting_id) = 1 AS per_member_year,
    meeting_id,
    member_id,
    year,
    count(*) FILTER (WHERE rostered) AS recorded,
    count(*) FILTER (WHERE rostered AND status = 'present') AS present,
    count(*) FILTER (WHERE rostered AND status = 'leave') AS on_leave,
    count(*) FILTER (WHERE rostered AND status = 'absent') AS absent,
    count(*) FILTER (WHERE rostered AND kind = 'study') AS study_meetings,
    coalesce(sum(coalesce(duration_hours, 0)) FILTER (WHERE rostered AND kind = 'study'), 0) AS study_hours_total,
    coalesce(sum(CASE WHEN hours IS NOT NULL THEN hours
                      WHEN status = 'present' THEN coalesce(duration_hours, 0)
                      ELSE 0 END) FILTER (WHERE rostered AND kind = 'study'), 0) AS study_hours_attended
FROM rows
GROUP BY GROUPING SETS ((meeting_id), (member_id, year))
HAVING grouping(meeting_id) = 0 OR year IS NOT NULL
"""

# entitled, present and recorded are the record facts' (fact_meeting: the rules read the same counts); on leave and
# absent come from the pass above.
_MEETINGS = """
CREATE OR REPLACE TABLE summary_meetings AS
SELECT
    m.meeting_id,
    m.org_id,
    t.pos AS org_pos,
    m.kind,
    m.held_on,
    date_trunc('month', m.held_on)::DATE AS month,
    m.is_emergency,
    r.title,
    m.minutes_no,
    m.entitled::INTEGER AS entitled,
    m.present::INTEGER AS present,
    coalesce(c.on_leave, 0)::INTEGER AS on_leave,
    coalesce(c.absent, 0)::INTEGER AS absent,
    (m.entitled - m.recorded)::INTEGER AS unrecorded
FROM fact_meeting m
JOIN summary_org_tree t USING (org_id)
JOIN (SELECT meeting_id, title FROM meetings) r USING (meeting_id)
LEFT JOIN (SELECT * FROM summary_attendance_counts WHERE NOT per_member_year) c USING (meeting_id)
ORDER BY month, org_pos  -- the as_of month is read by month, an organisation's months by both
"""

_MEASURES = """count(*)::INTEGER AS meetings,
       count(*) FILTER (WHERE kind = 'party_group')::INTEGER AS party_group,
       count(*) FILTER (WHERE kind = 'study')::INTEGER AS study,
       count(*) FILTER (WHERE kind = 'democratic_life')::INTEGER AS democratic_life,
       sum(entitled)::BIGINT AS entitled, sum(present)::BIGINT AS present, sum(on_leave)::BIGINT AS on_leave,
       sum(absent)::BIGINT AS absent, sum(unrecorded)::BIGINT AS unrecorded"""

_ORG_MONTH = f"""
CREATE OR REPLACE TABLE summary_org_month AS
SELECT org_pos, org_id, month, {_MEASURES}
FROM summary_meetings
WHERE kind <> 'emergency_decision'  -- decisions outside a meeting have no attendance
GROUP BY ALL ORDER BY org_pos, month
"""

_TREE_MONTH = """
CREATE OR REPLACE TABLE summary_tree_month AS
SELECT c.ancestor_id, c.anc_depth, c.anc_pos, m.month,
       sum(meetings)::BIGINT AS meetings, sum(party_group)::BIGINT AS party_group, sum(study)::BIGINT AS study,
       sum(democratic_life)::BIGINT AS democratic_life, sum(entitled)::BIGINT AS entitled,
       sum(present)::BIGINT AS present, sum(on_leave)::BIGINT AS on_leave, sum(absent)::BIGINT AS absent,
       sum(unrecorded)::BIGINT AS unrecorded
FROM summary_org_month m JOIN summary_org_closure c USING (org_id)
GROUP BY ALL ORDER BY anc_depth, anc_pos, month
"""

# Running totals of summary_tree_month per subtree, one row for every month from the subtree's first month with
# meetings to the last month of any: a period's totals are the row at its last month minus the row before its first,
# so the roll-up reads two rows per organisation instead of summing up to 120 months of each (the whole tree over
# ten years: 45,000 rows grouped -> 752 rows read). Sorted by depth, then month: a depth's organisations at one month
# are one range.
_TREE_CUM = """
CREATE OR REPLACE TABLE summary_tree_cum AS
WITH firsts AS (SELECT anc_depth, anc_pos, min(month) AS first FROM summary_tree_month GROUP BY ALL),
grid AS (
    SELECT f.anc_depth, f.anc_pos,
           unnest(generate_series(f.first, (SELECT max(month) FROM summary_tree_month), INTERVAL 1 MONTH))::DATE
               AS month
    FROM firsts f
)
SELECT g.anc_depth, g.anc_pos, g.month,
       (sum(coalesce(t.meetings, 0)) OVER w)::BIGINT AS meetings,
       (sum(coalesce(t.entitled, 0)) OVER w)::BIGINT AS entitled,
       (sum(coalesce(t.present, 0)) OVER w)::BIGINT AS present
FROM grid g LEFT JOIN summary_tree_month t USING (anc_depth, anc_pos, month)
WINDOW w AS (PARTITION BY g.anc_depth, g.anc_pos ORDER BY g.month)
ORDER BY anc_depth, month, anc_pos
"""

# Attended hours as rules.md reads them for STU001: the row's hours when given, else the meeting's duration when
# present, else 0; the total is the duration of the study meetings held while on the roster. A member-year is every
# meeting (not an emergency decision) held while on the roster: the rows recorded plus the meetings where the member
# has no row (fact_unrecorded, DQ001's facts).
_MEMBER_YEAR = """
CREATE OR REPLACE TABLE summary_member_year AS
WITH per_year AS (
    SELECT member_id, year, recorded AS entitled, present, on_leave, absent, study_meetings, study_hours_total,
           study_hours_attended
    FROM summary_attendance_counts
    WHERE per_member_year
    UNION ALL
    SELECT u.member_id, year(u.held_on)::INTEGER, count(*), 0, 0, 0, count(*) FILTER (WHERE u.kind = 'study'),
           coalesce(sum(coalesce(r.duration_hours, 0)) FILTER (WHERE u.kind = 'study'), 0), 0
    FROM fact_unrecorded u
    JOIN (SELECT meeting_id, duration_hours FROM meetings) r USING (meeting_id)
    GROUP BY ALL
)
SELECT
    p.member_id,
    p.org_id,
    t.pos AS org_pos,
    y.year,
    sum(y.entitled)::INTEGER AS entitled,
    sum(y.present)::INTEGER AS present,
    sum(y.on_leave)::INTEGER AS on_leave,
    sum(y.absent)::INTEGER AS absent,
    sum(y.study_meetings)::INTEGER AS study_meetings,
    sum(y.study_hours_total)::DOUBLE AS study_hours_total,
    sum(y.study_hours_attended)::DOUBLE AS study_hours_attended
FROM per_year y
JOIN members p USING (member_id)
JOIN summary_org_tree t ON t.org_id = p.org_id
GROUP BY ALL
HAVING sum(y.entitled) > 0
ORDER BY org_pos, year, p.member_id
"""

# Members' yearly attendance rates per subtree, exactly: a rate is present / entitled with small whole numbers, so
# the (present, entitled) pairs with their member counts are the whole distribution, and its percentiles, mean and
# histogram follow from a few hundred rows instead of a scan of every member's year (1.3M rows at 40M attendance).
_TREE_RATES = """
CREATE OR REPLACE TABLE summary_tree_rates AS
SELECT c.anc_depth, c.anc_pos, y.year, y.present, y.entitled, count(*)::BIGINT AS members
FROM summary_member_year y JOIN summary_org_closure c USING (org_id)
WHERE y.entitled > 0
GROUP BY ALL ORDER BY anc_depth, anc_pos, year  -- the reader sorts its few rows by rate
"""

# -- rectifications ----------------------------------------------------------------------------------------------
_RECT = """
CREATE OR REPLACE TABLE summary_rectifications AS
SELECT r.rect_id, r.org_id, t.pos AS org_pos, r.found_on, r.due_on, r.closed_on
FROM rectifications r JOIN summary_org_tree t USING (org_id)
ORDER BY org_pos
"""

# At each month's end d: open = found on or before d and not closed by d; overdue = open and due before d (the due
# day itself is still in time); closed = closed in the month. A rectification contributes one row per month-end it
# is open at, so the table grows with open time, not with months x rectifications.
_TREE_RECT = """
CREATE OR REPLACE TABLE summary_tree_rect AS
WITH bounds AS (
    -- month ends up to a year past the latest date anyone looks at (records, today, the latest check's as_of)
    SELECT (date_trunc('month', greatest(max(found_on), max(coalesce(closed_on, found_on)),
                                         max(coalesce(due_on, found_on)), current_date,
                                         coalesce((SELECT max(as_of) FROM check_runs), current_date)))
            + INTERVAL 12 MONTH)::DATE AS last_month
    FROM summary_rectifications
),
open_at AS (
    SELECT r.org_id, m.month,
           (r.due_on IS NOT NULL AND r.due_on < last_day(m.month)) AS overdue
    FROM summary_rectifications r, bounds b,
         LATERAL (SELECT unnest(generate_series(date_trunc('month', r.found_on)::DATE,
                                               least(coalesce(date_trunc('month', r.closed_on - 1)::DATE,
                                                              b.last_month), b.last_month),
                                               INTERVAL 1 MONTH))::DATE AS month) m
    -- open at the month's end: found by then and not closed by then
    WHERE r.found_on <= last_day(m.month) AND (r.closed_on IS NULL OR r.closed_on > last_day(m.month))
),
per_org AS (
    SELECT org_id, month, count(*)::BIGINT AS open, count(*) FILTER (WHERE overdue)::BIGINT AS overdue,
           0::BIGINT AS closed
    FROM open_at GROUP BY ALL
    UNION ALL
    SELECT org_id, date_trunc('month', closed_on)::DATE, 0, 0, count(*)::BIGINT
    FROM summary_rectifications WHERE closed_on IS NOT NULL GROUP BY ALL
)
SELECT c.ancestor_id, c.anc_depth, c.anc_pos, p.month, sum(open)::BIGINT AS open, sum(overdue)::BIGINT AS overdue,
       sum(closed)::BIGINT AS closed
FROM per_org p JOIN summary_org_closure c USING (org_id)
GROUP BY ALL ORDER BY anc_depth, anc_pos, month
"""

# The changes of the rectifications' standing day by day, per subtree: at the end of a day a rectification is open
# from found_on until closed_on, overdue from the day after due_on (or found_on, if later) until closed_on, and
# closed on closed_on. Open and overdue at a day d inside a month are those at the previous month's end
# (summary_tree_rect) plus this table's rows of d's month up to d, and the month's closures up to d are its closed
# column: a subtree reads at most a row per day of the month, where it counted every rectification with an event
# in the month (40,000 of them for the whole tree on a 1 January, when a year's due dates pass). Rows whose changes
# cancel out are left out.
_RECT_DAYS = """
CREATE OR REPLACE TABLE summary_tree_rect_days AS
WITH spans AS (
    SELECT org_id, found_on, closed_on,
           -- (greatest() skips NULLs: a rectification with no found_on is never open, so never overdue)
           CASE WHEN due_on IS NOT NULL AND found_on IS NOT NULL THEN greatest(found_on, due_on + 1) END
               AS overdue_from
    FROM summary_rectifications
),
deltas AS (
    SELECT org_id, found_on AS day, 1 AS open, 0 AS overdue, 0 AS closed FROM spans
    WHERE closed_on IS NULL OR closed_on > found_on
    UNION ALL
    SELECT org_id, closed_on, -1, 0, 0 FROM spans WHERE closed_on > found_on
    UNION ALL
    SELECT org_id, overdue_from, 0, 1, 0 FROM spans WHERE closed_on IS NULL OR closed_on > overdue_from
    UNION ALL
    SELECT org_id, closed_on, 0, -1, 0 FROM spans WHERE closed_on > overdue_from
    UNION ALL
    SELECT org_id, closed_on, 0, 0, 1 FROM spans WHERE closed_on IS NOT NULL
),
per_org AS (
    SELECT org_id, day, sum(open) AS open, sum(overdue) AS overdue, sum(closed) AS closed
    FROM deltas WHERE day IS NOT NULL GROUP BY ALL
)
SELECT c.anc_depth, c.anc_pos, date_trunc('month', p.day)::DATE AS month, p.day,
       sum(p.open)::BIGINT AS open, sum(p.overdue)::BIGINT AS overdue, sum(p.closed)::BIGINT AS closed
FROM per_org p JOIN summary_org_closure c USING (org_id)
GROUP BY ALL
HAVING sum(p.open) <> 0 OR sum(p.overdue) <> 0 OR sum(p.closed) <> 0
ORDER BY anc_depth, month, anc_pos, day  -- a depth's organisations in one month are one range
"""

# The last month summary_tree_rect covers (its month ends reach that far; later readings scan the rectifications).
_RECT_LAST = "SELECT coalesce(max(month), DATE '1900-01-01')::VARCHAR FROM summary_tree_rect WHERE ancestor_id = '*'"

# -- findings ----------------------------------------------------------------------------------------------------------
# period is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (the engine's contract); anything else parses to NULL, and such a
# finding then shows under every period rather than under none.
_FINDINGS_SELECT = """
WITH ordered AS (  -- the tree order on the narrow keys: sorting whole findings (texts, evidence) took twice as long
    SELECT r.run_id, r.rule_id, r.subject_key, t.pos AS org_pos,
           (row_number() OVER (PARTITION BY r.run_id ORDER BY t.pos, r.rule_id, r.subject_key) - 1)::BIGINT AS seq
    FROM finding_rows r JOIN summary_org_tree t USING (org_id)
)
SELECT f.*, o.org_pos, mb.name AS member_name,
       CASE length(f.period)
           WHEN 4 THEN try_cast(f.period || '-01-01' AS DATE)
           WHEN 7 THEN try_cast(f.period || '-01' AS DATE)
           ELSE try_cast(f.period AS DATE)
       END AS period_start,
       CASE length(f.period)
           WHEN 4 THEN try_cast(f.period || '-12-31' AS DATE)
           WHEN 7 THEN last_day(try_cast(f.period || '-01' AS DATE))
           ELSE try_cast(f.period AS DATE)
       END AS period_end,
       date_trunc('month', period_end)::DATE AS month,
       o.seq
FROM findings f
-- a finding is one (run, rule, subject): the engine's key
JOIN ordered o ON o.run_id = f.run_id AND o.rule_id = f.rule_id AND o.subject_key = f.subject_key
LEFT JOIN members mb ON mb.member_id = f.member_id  -- the list shows names: one join here, none per page
"""

_TREE_FINDINGS_SELECT = """
SELECT f.run_id, c.ancestor_id, c.anc_depth, c.anc_pos, f.month, f.rule_id, f.severity, count(*)::BIGINT AS n
FROM summary_findings f JOIN summary_org_closure c USING (org_id)
{where}
GROUP BY ALL
"""

# The same counts summed over rules and severities: the heatmap and the roll-up read every child of a subtree over
# many months, and without the rule dimension that is ~8x fewer rows.
_TREE_TOTAL_SELECT = """
SELECT run_id, anc_depth, anc_pos, any_value(ancestor_id) AS ancestor_id, month, sum(n)::BIGINT AS n
FROM summary_tree_findings {where}
GROUP BY run_id, anc_depth, anc_pos, month
"""

# The same running totals for the findings of each run (summary_tree_findings_total): per subtree, every month from
# its first finding's to the run's last, and the findings without a parsed month (which count in every period) as a
# row with month NULL.
_TREE_FINDINGS_CUM_SELECT = """
WITH src AS (SELECT run_id, anc_depth, anc_pos, month, n FROM summary_tree_findings_total {where}),
last AS (SELECT run_id, max(month) AS last FROM src GROUP BY run_id),
firsts AS (SELECT run_id, anc_depth, anc_pos, min(month) AS first FROM src WHERE month IS NOT NULL GROUP BY ALL),
grid AS (
    SELECT f.run_id, f.anc_depth, f.anc_pos,
           unnest(generate_series(f.first, l.last, INTERVAL 1 MONTH))::DATE AS month
    FROM firsts f JOIN last l USING (run_id)
)
SELECT g.run_id, g.anc_depth, g.anc_pos, g.month,
       (sum(coalesce(t.n, 0)) OVER (PARTITION BY g.run_id, g.anc_depth, g.anc_pos ORDER BY g.month))::BIGINT AS n
FROM grid g LEFT JOIN src t USING (run_id, anc_depth, anc_pos, month)
UNION ALL
SELECT run_id, anc_depth, anc_pos, NULL, n FROM src WHERE month IS NULL
"""

_RULES_SELECT = """
SELECT run_id, rule_id, any_value(rule_name_zh) AS rule_name_zh, any_value(rule_name_en) AS rule_name_en
FROM findings {where} GROUP BY ALL
"""

_MARKED = """
CREATE OR REPLACE TABLE summary_marked AS
SELECT f.run_id, f.rule_id, f.subject_key, f.org_id, f.org_pos, f.month, f.severity, f.member_id, k.mark
FROM finding_marks k JOIN summary_findings f USING (rule_id, subject_key)
ORDER BY run_id, org_pos
"""


def _signature(store: Store, part: str) -> str:
    con = store.con
    if part == "records":
        counts = store.row_counts()
        imported = con.execute("SELECT coalesce(max(last_imported_at)::VARCHAR, '') FROM recorded_tables").fetchall()
        data: object = [SUMMARY_VERSION, [counts[t] for t in TABLE_ORDER], imported[0][0]]
    elif part == "runs":
        data = con.execute(
            "SELECT count(*), coalesce(string_agg(run_id || '@' || finished_at::VARCHAR, ',' ORDER BY run_id), '') "
            "FROM check_runs"
        ).fetchall()[0]
    else:
        data = con.execute(
            "SELECT count(*), coalesce(max(marked_at)::VARCHAR, ''), "
            "coalesce(sum(hash(rule_id || chr(1) || subject_key || chr(1) || mark)), 0)::VARCHAR FROM finding_marks"
        ).fetchall()[0]
    return json.dumps(data, default=str)


def _meta(store: Store, key: str) -> str | None:
    row = store.con.execute("SELECT value FROM summary_meta WHERE key = $k", {"k": key}).fetchall()
    return row[0][0] if row else None


def _set_meta(store: Store, key: str, value: str) -> None:
    store.con.execute(
        "INSERT INTO summary_meta VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = $v", {"k": key, "v": value}
    ).fetchall()


def _tables_exist(store: Store) -> bool:
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN $names",
        {"names": list(SUMMARY_TABLES)},
    ).fetchall()
    return row[0][0] == len(SUMMARY_TABLES)


def refresh_records_summaries(store: Store) -> None:
    """Rebuild the summaries of the records (tree, meetings, org-months, member-years, rectifications) and, since
    tree positions may have moved, of the findings too; one transaction."""
    _bump()
    record_facts.ensure(store)  # the meetings' and member-years' counts start from them
    with store.bulk_work(WORK_MEMORY_LIMIT_BYTES), store.transaction() as con:
        con.execute(_META_DDL)
        for statement in (
            _TREE, _CLOSURE, _ATTENDANCE_COUNTS, _MEETINGS, _ORG_MONTH, _TREE_MONTH, _TREE_CUM, _MEMBER_YEAR,
            _TREE_RATES, _RECT, _TREE_RECT, _RECT_DAYS,
        ):  # fmt: skip
            con.execute(statement)
        con.execute("DROP TABLE summary_attendance_counts")
        _set_meta(store, "rect_last_month", con.execute(_RECT_LAST).fetchall()[0][0])
        _rebuild_findings(store)
        _set_meta(store, "records", _signature(store, "records"))
        _set_meta(store, "runs", _signature(store, "runs"))
        _set_meta(store, "marks", _signature(store, "marks"))
    _bump()


# The per-run tree summaries: (table, its SELECT with a {where} slot, the run column it filters, its order). Built
# whole by a refresh of everything, and a run at a time after a check.
_RUN_TREE_SUMMARIES = (
    ("summary_tree_findings", _TREE_FINDINGS_SELECT, "f.run_id", "run_id, anc_depth, anc_pos, month"),
    ("summary_tree_findings_total", _TREE_TOTAL_SELECT, "run_id", "run_id, anc_depth, anc_pos, month"),
    ("summary_tree_findings_cum", _TREE_FINDINGS_CUM_SELECT, "run_id", "run_id, anc_depth, month, anc_pos"),
)


def _rebuild_findings(store: Store) -> None:
    con = store.con
    con.execute(f"CREATE OR REPLACE TABLE summary_findings AS {_FINDINGS_SELECT} ORDER BY run_id, seq")
    for table, select, _run_column, order in _RUN_TREE_SUMMARIES:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS {select.format(where='')} ORDER BY {order}")
    con.execute("CREATE OR REPLACE TABLE summary_rules AS " + _RULES_SELECT.format(where=""))
    con.execute(_MARKED)


def refresh_findings_summary(store: Store) -> None:
    """Bring the findings summaries in line with ``check_runs``: add new runs, drop replaced ones.

    Saved runs do not change (a re-run with the same options replaces the run), so only new runs are parsed; a run
    id whose finding count differs from the summary's is treated as new.
    """
    _bump()
    with store.bulk_work(WORK_MEMORY_LIMIT_BYTES), store.transaction() as con:
        con.execute(_META_DDL)
        stale = """SELECT c.run_id FROM check_runs c
                   LEFT JOIN (SELECT run_id, count(*) AS n FROM summary_findings GROUP BY run_id) s USING (run_id)
                   LEFT JOIN (SELECT run_id, count(*) AS n FROM findings GROUP BY run_id) f USING (run_id)
                   WHERE coalesce(s.n, 0) <> coalesce(f.n, 0)"""
        con.execute(f"CREATE OR REPLACE TEMP TABLE _stale_runs AS {stale}")
        for table in ("summary_findings", "summary_tree_findings", "summary_tree_findings_total",
                      "summary_tree_findings_cum", "summary_rules"):  # fmt: skip
            con.execute(
                f"DELETE FROM {table} WHERE run_id NOT IN (SELECT run_id FROM check_runs) "
                "OR run_id IN (SELECT run_id FROM _stale_runs)"
            )
        con.execute(
            f"""INSERT INTO summary_findings SELECT * FROM ({_FINDINGS_SELECT})
                WHERE run_id IN (SELECT run_id FROM _stale_runs) ORDER BY run_id, seq"""
        )
        for table, select, run_column, order in _RUN_TREE_SUMMARIES:
            where = f"WHERE {run_column} IN (SELECT run_id FROM _stale_runs)"
            con.execute(f"INSERT INTO {table} {select.format(where=where)} ORDER BY {order}")
        con.execute(
            "INSERT INTO summary_rules "
            + _RULES_SELECT.format(where="WHERE run_id IN (SELECT run_id FROM _stale_runs)")
        )
        con.execute(_MARKED)
        con.execute("DROP TABLE _stale_runs")
        _set_meta(store, "runs", _signature(store, "runs"))
        _set_meta(store, "marks", _signature(store, "marks"))
    _bump()


def summaries_ready(store: Store) -> bool:
    """Whether the summary tables exist in this store (a store the dashboard never opened has none)."""
    exists = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'summary_meta'"
    ).fetchall()
    return bool(exists[0][0]) and _tables_exist(store)


def refresh_marks(store: Store) -> None:
    """Rebuild ``summary_marked`` (the marked findings of every run; small) after marks changed."""
    _bump()
    with store.transaction() as con:
        con.execute(_META_DDL)
        con.execute(_MARKED)
        _set_meta(store, "marks", _signature(store, "marks"))
    _bump()


def ensure_summaries(store: Store, *, force: bool = False, progress: Callable[[str], None] | None = None) -> bool:
    """Refresh whatever summary is out of date (all of them with ``force``); return whether anything was rebuilt."""
    store.con.execute(_META_DDL)
    if force or not _tables_exist(store) or _meta(store, "records") != _signature(store, "records"):
        if progress:
            progress("records")
        refresh_records_summaries(store)
        return True
    if _meta(store, "runs") != _signature(store, "runs"):
        if progress:
            progress("findings")
        refresh_findings_summary(store)
        return True
    if _meta(store, "marks") != _signature(store, "marks"):
        refresh_marks(store)
        return True
    return False
