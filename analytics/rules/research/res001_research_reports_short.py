"""RES001 research-reports: a member filed fewer research reports in a year than required.

Flags:
    A whole-year member whose `research_report` activities in the year add up (`quantity`) to fewer than
    `min_per_year`.
Why:
    党组成员每人每年完成1至2篇调研报告 (004 第十六条).
Example:
    P07 filed no research report in 2024: `P07/2024`.
Not flagged:
    Members who joined or left during the year; the year of as_of.
Settings:
    `min_per_year` (1), the lower bound of 1至2篇.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.rules.shared_sql import yearly_quota_sql


@dataclass(frozen=True)
class Settings:
    min_per_year: int = field(default=1, metadata={"help": "research reports each whole-year member files a year"})


SQL = yearly_quota_sql("research_report", total="filed", minimum="min_per_year")

RULE = Rule(
    id="RES001",
    slug="research-reports",
    name_zh="调研报告",
    name_en="Research reports",
    severity="violation",
    subject=("member-year",),
    needs=("activities",),
    settings=Settings,
    sources=(Source("004", "第十六条", "每人每年完成1至2篇"),),
    sql=SQL,
    message_zh="{member_name}（{member_id}）{period} 年完成调研报告 {filed:g} 篇，少于 {min_per_year} 篇",
    message_en="{member_name} ({member_id}) filed {filed:g} research report(s) in {period}, fewer than {min_per_year}",
    evidence=("filed", "min_per_year"),
    doc=__doc__,
)
