"""RPT001 annual-report: no annual work report reached the superior for a year by its due date.

Flags:
    An org-year Y the organisation existed for the whole of, for which no `annual_work` report covering Y was
    submitted on or before the due date (`due` of year Y+1); judged once that due date is before as_of. A report
    covers its `period_year`; without one, the year before `submitted_on` when submitted on or before that year's
    `due`, else the year of `submitted_on`.
Why:
    党组每年向本级党委报告全面工作 (001 第五条（三）; 002 第十四条).
Example:
    ORG-A's report for 2024 was submitted 2025-04-10, after the due date 2025-03-31: `ORG-A/2024`.
Not flagged:
    A report submitted on the due date; years whose due date is on or after as_of; years the organisation did
    not exist for in whole.
Settings:
    `due` (03-31): month-day in the following year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.settings import MonthDay


@dataclass(frozen=True)
class Settings:
    due: MonthDay = field(
        default=MonthDay(3, 31), metadata={"help": "month-day of the following year by which the report is due"}
    )


SQL = """
WITH covered AS (
    SELECT
        r.org_id,
        r.submitted_on,
        CASE
            WHEN r.period_year IS NOT NULL THEN r.period_year
            -- submitted by this year's due date: it reports on the year before
            WHEN r.submitted_on <= make_date(year(r.submitted_on), s.due_month, s.due_day) THEN year(r.submitted_on) - 1
            ELSE year(r.submitted_on)
        END AS covers
    FROM v_reports r
    JOIN rule_settings s ON s.org_id = r.org_id
    WHERE r.kind = 'annual_work'
),
judged AS (
    SELECT y.org_id, y.year, make_date(y.year + 1, s.due_month, s.due_day) AS due_on
    FROM f_org_year y  -- years existed in whole
    JOIN rule_settings s ON s.org_id = y.org_id
)
SELECT
    j.org_id,
    j.org_id || '/' || CAST(j.year AS VARCHAR) AS subject_key,
    CAST(j.year AS VARCHAR) AS period,
    j.due_on,
    (SELECT min(c.submitted_on) FROM covered c WHERE c.org_id = j.org_id AND c.covers = j.year) AS submitted_on
FROM judged j
WHERE j.due_on < getvariable('as_of')  -- the due date has passed
  AND NOT EXISTS (
      SELECT 1 FROM covered c WHERE c.org_id = j.org_id AND c.covers = j.year AND c.submitted_on <= j.due_on
  )
"""

RULE = Rule(
    id="RPT001",
    slug="annual-report",
    name_zh="年度全面工作报告",
    name_en="Annual report",
    severity="violation",
    subject=("org-year",),
    needs=("reports",),
    settings=Settings,
    sources=(Source("001", "第五条（三）"), Source("002", "第十四条")),
    sql=SQL,
    message_zh="{period} 年度全面工作报告未在 {due_on} 前报送",
    message_en="The annual work report for {period} was not submitted by {due_on}",
    evidence=("due_on", "submitted_on"),
    doc=__doc__,
)
