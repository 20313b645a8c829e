"""DLM003 democratic-life-reported: a democratic life meeting was not reported to the superior in time.

Flags:
    A `democratic_life` meeting held on D for which no `democratic_life_report` whose `meeting_id` is that meeting
    was submitted on a day D … D+`days`; judged once D+`days` is before as_of.
Why:
    民主生活会结束后15日内向上级报送情况报告 (002 第十二条; 004 第十四条（五）).
Example:
    `M-2024-DL` held 2024-12-20 and reported 2025-01-10 (day 21): flagged once as_of is after 2025-01-04.
Not flagged:
    A report on day `days` exactly (still in time); meetings whose last day in time is on or after as_of (not
    yet due); reports of other kinds or naming another meeting do not count.
Settings:
    `days` (15).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    days: int = field(default=15, metadata={"help": "days after the meeting by which the report is submitted"})


SQL = """
WITH reported AS (
    SELECT meeting_id, min(submitted_on) AS first_submitted_on
    FROM v_reports
    WHERE kind = 'democratic_life_report'
    GROUP BY meeting_id
)
SELECT
    m.org_id,
    m.meeting_id AS subject_key,
    m.meeting_id,
    strftime(m.held_on, '%Y-%m-%d') AS period,
    m.held_on,
    m.held_on + s.days AS due_on,
    r.first_submitted_on AS submitted_on,
    s.days
FROM f_meeting m
JOIN rule_settings s ON s.org_id = m.org_id
LEFT JOIN reported r ON r.meeting_id = m.meeting_id
WHERE m.kind = 'democratic_life'
  AND m.held_on + s.days < getvariable('as_of')  -- the last day in time has passed
  AND NOT EXISTS (  -- within N days after D: days D … D+N
      SELECT 1 FROM v_reports x
      WHERE x.kind = 'democratic_life_report'
        AND x.meeting_id = m.meeting_id
        AND x.submitted_on BETWEEN m.held_on AND m.held_on + s.days
  )
"""

RULE = Rule(
    id="DLM003",
    slug="democratic-life-reported",
    name_zh="民主生活会情况报告",
    name_en="Democratic life meeting reported",
    severity="violation",
    subject=("meeting",),
    needs=("reports",),
    settings=Settings,
    sources=(Source("002", "第十二条"), Source("004", "第十四条（五）")),
    sql=SQL,
    message_zh="{held_on} 民主生活会未在 {days} 日内（{due_on} 前）报送情况报告",
    message_en="Democratic life meeting on {held_on} was not reported within {days} days (by {due_on})",
    evidence=("due_on", "submitted_on", "days"),
    doc=__doc__,
)
