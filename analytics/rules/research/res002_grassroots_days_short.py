"""RES002 grassroots-time: a member spent fewer days at the grassroots in a year than required.

Flags:
    A whole-year member whose `grassroots_days` activities in the year add up (`quantity`, days) to fewer than
    `min_days`.
Why:
    党组成员每年到基层调研时间不少于2个月 (004 第十六条).
Example:
    P07 recorded 45 days in 2024: `P07/2024`.
Not flagged:
    Exactly `min_days`; members who joined or left during the year; the year of as_of.
Settings:
    `min_days` (60), two months counted as 60 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    min_days: int = field(default=60, metadata={"help": "days at the grassroots each whole-year member spends a year"})


SQL = """
WITH spent AS (
    SELECT member_id, CAST(year(on_date) AS INTEGER) AS year, sum(quantity) AS days
    FROM v_activities
    WHERE kind = 'grassroots_days'
    GROUP BY member_id, CAST(year(on_date) AS INTEGER)
)
SELECT
    y.org_id,
    y.member_id || '/' || CAST(y.year AS VARCHAR) AS subject_key,
    y.member_id,
    CAST(y.year AS VARCHAR) AS period,
    p.name AS member_name,
    coalesce(d.days, 0) AS days,
    s.min_days
FROM f_member_year y  -- whole-year members, complete years
JOIN rule_settings s ON s.org_id = y.org_id
JOIN members p ON p.member_id = y.member_id
LEFT JOIN spent d ON d.member_id = y.member_id AND d.year = y.year
WHERE coalesce(d.days, 0) < s.min_days
"""

RULE = Rule(
    id="RES002",
    slug="grassroots-time",
    name_zh="基层调研时间",
    name_en="Grassroots time",
    severity="violation",
    subject=("member-year",),
    needs=("activities",),
    settings=Settings,
    sources=(Source("004", "第十六条", "不少于2个月"),),
    sql=SQL,
    message_zh="{member_name}（{member_id}）{period} 年到基层调研 {days:g} 天，少于 {min_days} 天",
    message_en="{member_name} ({member_id}) spent {days:g} day(s) at the grassroots in {period}, fewer than {min_days}",
    evidence=("days", "min_days"),
    doc=__doc__,
)
