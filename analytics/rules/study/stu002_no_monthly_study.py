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
from analytics.rules.shared_sql import monthly_meetings_sql


@dataclass(frozen=True)
class Settings:
    min_per_month: int = field(default=1, metadata={"help": "study meetings required in each month"})


SQL = monthly_meetings_sql("study")

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
