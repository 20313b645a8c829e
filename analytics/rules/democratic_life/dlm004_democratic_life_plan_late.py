"""DLM004 democratic-life-plan: a democratic life meeting's plan was not submitted for approval early enough.

Flags:
    A `democratic_life` meeting held on D for which no `democratic_life_plan` whose `meeting_id` is that meeting
    was submitted on or before D−`days`; judged once D−`days` is before as_of.
Why:
    民主生活会方案应提前10天报上级审批 (004 第十四条（二）).
Example:
    `M-2024-DL` held 2024-12-20 with the plan submitted 2024-12-15: 5 days ahead, not 10.
Not flagged:
    A plan submitted exactly `days` days before (on D−`days`); plans of other meetings; other report kinds.
Settings:
    `days` (10).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    days: int = field(default=10, metadata={"help": "days before the meeting by which the plan is submitted"})


SQL = """
WITH planned AS (
    SELECT meeting_id, min(submitted_on) AS first_submitted_on
    FROM v_reports
    WHERE kind = 'democratic_life_plan'
    GROUP BY meeting_id
)
SELECT
    m.org_id,
    m.meeting_id AS subject_key,
    m.meeting_id,
    strftime(m.held_on, '%Y-%m-%d') AS period,
    m.held_on,
    m.held_on - s.days AS due_on,
    p.first_submitted_on AS submitted_on,
    s.days
FROM f_meeting m
JOIN rule_settings s ON s.org_id = m.org_id
LEFT JOIN planned p ON p.meeting_id = m.meeting_id
WHERE m.kind = 'democratic_life'
  AND m.held_on - s.days < getvariable('as_of')  -- the deadline has passed
  AND (p.first_submitted_on IS NULL OR p.first_submitted_on > m.held_on - s.days)  -- at least N days before D
"""

RULE = Rule(
    id="DLM004",
    slug="democratic-life-plan",
    name_zh="民主生活会方案报审",
    name_en="Democratic life plan",
    severity="violation",
    subject=("meeting",),
    needs=("reports",),
    settings=Settings,
    sources=(Source("004", "第十四条（二）"),),
    sql=SQL,
    message_zh="{held_on} 民主生活会方案未在会前 {days} 日（{due_on} 前）报审",
    message_en="The plan of the democratic life meeting on {held_on} was not submitted {days} days ahead (by {due_on})",
    evidence=("due_on", "submitted_on", "days"),
    doc=__doc__,
)
