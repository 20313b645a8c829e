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
from analytics.rules.shared_sql import yearly_quota_sql


@dataclass(frozen=True)
class Settings:
    min_days: int = field(default=60, metadata={"help": "days at the grassroots each whole-year member spends a year"})


SQL = yearly_quota_sql("grassroots_days", total="days", minimum="min_days")

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
