"""MTG009 minutes-sequence: the year's minutes numbers are not one unbroken sequence.

Flags:
    In a year complete before as_of, the `minutes_no` (> 0) of the organisation's meetings of any kind, grouped by
    the year of `held_on`, are not exactly 1..max: each missing number n is a finding `org/YYYY/#n` (n unpadded),
    and each meeting sharing its number with another meeting of that year is a finding of its own (`M`).
Why:
    《会议纪要》按独立序列实行年度编号 (003 党委领导班子会议事决策规则第九条).
Example:
    ORG-A's 2024 minutes are numbered 1, 2, 4, 4: `ORG-A/2024/#3`, and both meetings numbered 4.
Not flagged:
    The year of as_of (not complete); years without any numbered meeting; meetings without minutes (MTG006 judges
    party group meetings); numbers restarting at 1 in a new year.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
WITH numbered AS (  -- each numbered meeting beside its neighbours in the year's sorted numbers
    SELECT
        m.org_id,
        y.year,
        m.meeting_id,
        m.minutes_no,
        lag(m.minutes_no, 1, 0) OVER w AS prev_no,  -- the number before it in the year's sorted numbers (0: first)
        lead(m.minutes_no) OVER w AS next_no,
        max(m.minutes_no) OVER (PARTITION BY m.org_id, y.year) AS max_no
    FROM f_meeting m
    JOIN rule_settings s ON s.org_id = m.org_id  -- the organisations where the rule is in force, first
    JOIN f_year y ON y.year = m.year  -- complete years only
    WHERE m.minutes_no > 0  -- emergency decisions with a number are part of the sequence too
    WINDOW w AS (PARTITION BY m.org_id, y.year ORDER BY m.minutes_no)
),
gaps AS (  -- the numbers missing between a number and the one before it
    SELECT org_id, year, max_no, unnest(generate_series(prev_no + 1, minutes_no - 1)) AS n
    FROM numbered
    WHERE minutes_no > prev_no + 1
),
shared AS (  -- meetings whose number another meeting of the year also has
    SELECT
        org_id, year, meeting_id, minutes_no, max_no,
        count(*) OVER (PARTITION BY org_id, year, minutes_no) AS meetings
    FROM numbered
    WHERE minutes_no = prev_no OR minutes_no = next_no
)
SELECT
    e.org_id,
    e.org_id || '/' || CAST(e.year AS VARCHAR) || '/#' || CAST(e.n AS VARCHAR) AS subject_key,
    CAST(NULL AS VARCHAR) AS meeting_id,
    CAST(e.year AS VARCHAR) AS period,
    e.n AS minutes_no,
    e.max_no,
    0 AS meetings,
    CAST(e.year AS VARCHAR) || ' 年会议纪要编号缺少第 ' || CAST(e.n AS VARCHAR) || ' 号（最大编号 '
        || CAST(e.max_no AS VARCHAR) || '）' AS fact_zh,
    'minutes number ' || CAST(e.n AS VARCHAR) || ' of ' || CAST(e.year AS VARCHAR) || ' is missing (highest '
        || CAST(e.max_no AS VARCHAR) || ')' AS fact_en
FROM gaps e
UNION ALL
SELECT
    u.org_id,
    u.meeting_id AS subject_key,
    u.meeting_id,
    CAST(u.year AS VARCHAR) AS period,
    u.minutes_no,
    u.max_no,
    u.meetings,
    CAST(u.year AS VARCHAR) || ' 年会议纪要编号第 ' || CAST(u.minutes_no AS VARCHAR) || ' 号由 '
        || CAST(u.meetings AS VARCHAR) || ' 次会议共用' AS fact_zh,
    'minutes number ' || CAST(u.minutes_no AS VARCHAR) || ' of ' || CAST(u.year AS VARCHAR) || ' is shared by '
        || CAST(u.meetings AS VARCHAR) || ' meetings' AS fact_en
FROM shared u
"""

RULE = Rule(
    id="MTG009",
    slug="minutes-sequence",
    name_zh="会议纪要年度编号",
    name_en="Minutes sequence",
    severity="violation",
    subject=("minutes gap", "meeting"),
    sources=(Source("003", "党委领导班子会议事决策规则第九条", "按独立序列实行年度编号"),),
    sql=SQL,
    message_zh="{fact_zh}",
    message_en="{fact_en}",
    evidence=("minutes_no", "max_no", "meetings"),
    doc=__doc__,
)
