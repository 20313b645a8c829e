"""STU002 monthly-study: a month passed without a collective study session.

Flags:
    An org-month the organisation existed for the whole of, complete before as_of, with fewer than
    `min_per_month` `study` meetings.
Why:
    党组集体学习一般每月1次 (001 第八条（一）). 一般 admits exceptions, so this is a warning.
Example:
    ORG-A held no study session in March 2025: `ORG-A/2025-03`.
Not flagged:
    The month of as_of and later; months outside the organisation's existence; other meeting kinds.
Settings:
    `min_per_month` (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    min_per_month: int = field(default=1, metadata={"help": "study meetings required in each month"})


SQL = """
WITH held AS (
    SELECT org_id, CAST(date_trunc('month', held_on) AS DATE) AS month_start, count(*) AS held
    FROM f_meeting
    WHERE kind = 'study'
    GROUP BY org_id, CAST(date_trunc('month', held_on) AS DATE)
)
SELECT
    om.org_id,
    om.org_id || '/' || strftime(om.month_start, '%Y-%m') AS subject_key,
    strftime(om.month_start, '%Y-%m') AS period,
    coalesce(h.held, 0) AS held,
    s.min_per_month
FROM f_org_month om  -- months existed in whole and complete before as_of
JOIN rule_settings s ON s.org_id = om.org_id
LEFT JOIN held h ON h.org_id = om.org_id AND h.month_start = om.month_start
WHERE coalesce(h.held, 0) < s.min_per_month
"""

RULE = Rule(
    id="STU002",
    slug="monthly-study",
    name_zh="每月集体学习",
    name_en="Monthly study",
    severity="warning",
    subject=("org-month",),
    settings=Settings,
    sources=(Source("001", "第八条（一）", "一般每月1次"),),
    sql=SQL,
    message_zh="{period} 组织集体学习 {held} 次，少于每月 {min_per_month} 次",
    message_en="{period}: {held} collective study session(s), fewer than {min_per_month} a month",
    evidence=("held", "min_per_month"),
    doc=__doc__,
)
