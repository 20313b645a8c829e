"""REC005 inspection-report: no written rectification report within days of an inspection finding.

Flags:
    A rectification from an `inspection` source with no `report_on` (or one after as_of) on a day
    `found_on` … `found_on`+`days`; judged once `found_on`+`days` is before as_of.
Why:
    督查发现问题的，被督查单位应在7日内写出书面整改报告 (003 党委工作督促检查落实制度五.1).
Example:
    `R-021` found 2025-03-03 at an inspection, report filed 2025-03-12 (day 9).
Not flagged:
    A report on day `days` exactly; findings whose last day in time is on or after as_of; other sources.
Settings:
    `days` (7).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    days: int = field(default=7, metadata={"help": "days after found_on by which the written report is filed"})


SQL = """
SELECT
    r.org_id,
    r.rect_id AS subject_key,
    r.rect_id,
    strftime(r.found_on, '%Y-%m-%d') AS period,
    r.found_on,
    r.found_on + s.days AS due_on,
    r.report_on,
    s.days
FROM v_rectifications r  -- report_on after as_of reads as empty
JOIN rule_settings s ON s.org_id = r.org_id
WHERE r.source = 'inspection'
  AND r.found_on + s.days < getvariable('as_of')  -- the last day in time has passed
  AND (r.report_on IS NULL OR r.report_on NOT BETWEEN r.found_on AND r.found_on + s.days)  -- days X … X+N
"""

RULE = Rule(
    id="REC005",
    slug="inspection-report",
    name_zh="督查整改书面报告",
    name_en="Inspection report",
    severity="violation",
    subject=("rectification",),
    needs=("rectifications",),
    settings=Settings,
    sources=(Source("003", "党委工作督促检查落实制度五.1"),),
    sql=SQL,
    message_zh="督查发现问题 {rect_id}（{found_on} 发现）未在 {days} 日内（{due_on} 前）写出书面整改报告",
    message_en="Inspection finding {rect_id} (found {found_on}) had no written report within {days} days (by {due_on})",
    evidence=("found_on", "due_on", "report_on", "days"),
    doc=__doc__,
)
