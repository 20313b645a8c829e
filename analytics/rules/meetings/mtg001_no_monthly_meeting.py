"""MTG001 monthly-meeting: a month passed without the organisation holding its party group meeting.

Flags:
    An org-month the organisation existed for the whole of (established on or before the 1st, not dissolved on
    or before the last day), complete before as_of, in which fewer than `min_per_month` `party_group` meetings
    were held.
Why:
    Every text sets a monthly meeting: 党组会议一般每月召开1次 (000 第十九条; 001 第六条（二）; 002 第二十一条;
    004 第十三条). 一般 there sets the usual number of meetings; it grants no month off, hence a violation.
Example:
    ORG-A held party group meetings in February and April 2025 but none in March: `ORG-A/2025-03`.
Not flagged:
    The month of as_of and later (not complete); months before the organisation was established or from its
    dissolution on; study, democratic life or other meetings (only `party_group` counts). Emergency party group
    meetings (`is_emergency`) count like any other.
Settings:
    `min_per_month`: meetings required each month (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.rules.shared_sql import monthly_meetings_sql


@dataclass(frozen=True)
class Settings:
    min_per_month: int = field(default=1, metadata={"help": "party group meetings required in each month"})


SQL = monthly_meetings_sql("party_group")

RULE = Rule(
    id="MTG001",
    slug="monthly-meeting",
    name_zh="每月召开党组会议",
    name_en="Monthly party group meeting",
    severity="violation",
    subject=("org-month",),
    sources=(
        Source("000", "第十九条"),
        Source("001", "第六条（二）"),
        Source("002", "第二十一条"),
        Source("004", "第十三条"),
    ),
    settings=Settings,
    sql=SQL,
    message_zh="{period} 召开党组会议 {held} 次，少于每月 {min_per_month} 次",
    message_en="{period}: {held} party group meeting(s) held, fewer than {min_per_month} a month",
    evidence=("held", "min_per_month"),
    doc=__doc__,
)
