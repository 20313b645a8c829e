"""STU001 study-time-share: a member attended less than the required share of the year's collective study.

Flags:
    A member-year (complete before as_of) whose attended hours at the organisation's `study` meetings held while
    on its roster are below `share` of those meetings' total `duration_hours` (attended·q < p·total, or <= when
    not `inclusive`). Attended hours of a row: its `hours` when given (whatever the status: partial attendance),
    else the meeting's `duration_hours` when `present`, else 0; no row counts 0. Every member is judged,
    whole-year or not.
Why:
    党组成员全年参加集体学习的时间不少于规定时间的二分之一 (001 第八条（三）).
Example:
    P07 in 2024: 10 of 24 study hours attended: `P07/2024`.
Not flagged:
    Exactly half (不少于 includes it); member-years whose study meetings add up to 0 hours (skipped: nothing to
    share; DQ003 lists study meetings without a duration); study meetings held before joining or from leaving on;
    the year of as_of.
Settings:
    `share` (1/2), `inclusive` (true).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.settings import Share


@dataclass(frozen=True)
class Settings:
    share: Share = field(default=Share(1, 2), metadata={"help": "share of the year's study hours to attend (p/q)"})
    inclusive: bool = field(
        default=True, metadata={"help": "true: exactly the share is enough (不少于); false: more is needed"}
    )


# Hours are summed as DECIMAL so that the share comparison stays exact (no float rounding at the threshold).
SQL = """
WITH study AS (
    SELECT m.meeting_id, m.org_id, m.held_on, m.year, CAST(coalesce(m.duration_hours, 0) AS DECIMAL(18, 3)) AS duration
    FROM f_meeting m
    JOIN rule_settings s ON s.org_id = m.org_id  -- the organisations where the rule is in force only
    JOIN f_year y ON y.year = m.year  -- complete years only
    WHERE m.kind = 'study'
),
org_year AS (
    SELECT org_id, year, sum(duration) AS total_hours FROM study GROUP BY org_id, year
),
partial_year AS (  -- member spells that overlap a complete year without covering it
    SELECT p.member_id, p.org_id, p.joined_on, p.left_on, y.year
    FROM members p
    JOIN rule_settings s ON s.org_id = p.org_id
    JOIN f_year y ON p.joined_on <= y.year_end AND (p.left_on IS NULL OR p.left_on > y.year_start)
    WHERE NOT (p.joined_on <= y.year_start AND (p.left_on IS NULL OR p.left_on > y.year_end))
),
offered AS (  -- per member spell and year: hours of the study meetings held while on the roster
    -- on the roster all year: every study meeting of the year
    SELECT y.member_id, y.org_id, y.year, o.total_hours
    FROM f_member_year y
    JOIN org_year o ON o.org_id = y.org_id AND o.year = y.year
    UNION ALL
    -- joined or left during the year: the meetings from joined_on up to (not including) left_on
    SELECT py.member_id, py.org_id, py.year, sum(st.duration)
    FROM partial_year py
    JOIN study st ON st.org_id = py.org_id AND st.year = py.year
    WHERE st.held_on >= py.joined_on AND (py.left_on IS NULL OR st.held_on < py.left_on)
    GROUP BY py.member_id, py.org_id, py.year
)
SELECT
    o.org_id,
    o.member_id || '/' || CAST(o.year AS VARCHAR) AS subject_key,
    o.member_id,
    CAST(o.year AS VARCHAR) AS period,
    p.name AS member_name,
    CAST(coalesce(t.attended_hours, 0) AS DOUBLE) AS attended_hours,
    CAST(o.total_hours AS DOUBLE) AS total_hours,
    s.share,
    s.inclusive,
    CASE WHEN s.inclusive THEN '未达' ELSE '未超过' END || s.share_zh AS shortfall_zh,
    CASE WHEN s.inclusive THEN 'below ' ELSE 'not more than ' END || s.share_en AS shortfall_en
FROM offered o
JOIN rule_settings s ON s.org_id = o.org_id
JOIN members p ON p.member_id = o.member_id
LEFT JOIN f_study_hours t ON t.member_id = o.member_id AND t.year = o.year  -- hours attended while rostered
WHERE o.total_hours > 0  -- nothing to share: skipped
  AND CASE
      WHEN s.inclusive THEN coalesce(t.attended_hours, 0) * s.share_q < s.share_p * o.total_hours  -- 不少于
      ELSE coalesce(t.attended_hours, 0) * s.share_q <= s.share_p * o.total_hours
  END
"""

RULE = Rule(
    id="STU001",
    slug="study-time-share",
    name_zh="集体学习时间",
    name_en="Study time share",
    severity="violation",
    subject=("member-year",),
    settings=Settings,
    sources=(Source("001", "第八条（三）", "全年参加集体学习的时间不少于规定时间的二分之一"),),
    sql=SQL,
    message_zh="{member_name}（{member_id}）{period} 年参加集体学习 {attended_hours:g} 小时，"
    "全年集体学习共 {total_hours:g} 小时，{shortfall_zh}",
    message_en="{member_name} ({member_id}) attended {attended_hours:g} of {total_hours:g} collective study hours "
    "in {period}, {shortfall_en}",
    evidence=("attended_hours", "total_hours", "share", "inclusive"),
    doc=__doc__,
)
