"""REC003 rectification-measures: measures for a problem found at a democratic life meeting came late or never.

Flags:
    A rectification from a `democratic_life` source whose `measures_on` is empty (or after as_of) or after the
    deadline `found_on` + `months` months (the same day N months later, clamped to the month's end: 31 January +
    1 month = 28/29 February); judged once that deadline is before as_of.
Why:
    对于存在的问题，一般应在一个月内制订好整改措施 (003 党委民主生活会制度六).
Example:
    `R-017` found 2025-01-31, measures set 2025-03-01: the deadline was 2025-02-28.
Not flagged:
    Measures set on the deadline day; deadlines on or after as_of (not yet due); problems from other sources.
Settings:
    `months` (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    months: int = field(default=1, metadata={"help": "months after found_on by which measures are set"})


SQL = """
WITH judged AS (
    SELECT
        r.org_id,
        r.rect_id,
        r.found_on,
        r.measures_on,
        s.months,
        -- same day N months later; DuckDB clamps to the month's end (31 Jan + 1 month = 28/29 Feb)
        CAST(r.found_on + to_months(s.months) AS DATE) AS due_on
    FROM v_rectifications r  -- measures_on after as_of reads as empty
    JOIN rule_settings s ON s.org_id = r.org_id
    WHERE r.source = 'democratic_life'
)
SELECT
    org_id,
    rect_id AS subject_key,
    rect_id,
    strftime(due_on, '%Y-%m-%d') AS period,
    found_on,
    due_on,
    measures_on,
    months,
    CASE
        WHEN measures_on IS NULL THEN '尚未制定整改措施'
        ELSE strftime(measures_on, '%Y-%m-%d') || ' 才制定整改措施'
    END AS fact_zh,
    CASE
        WHEN measures_on IS NULL THEN 'no measures set'
        ELSE 'measures set only on ' || strftime(measures_on, '%Y-%m-%d')
    END AS fact_en
FROM judged
WHERE due_on < getvariable('as_of')  -- the deadline has passed
  AND (measures_on IS NULL OR measures_on > due_on)  -- set late or not at all
"""

RULE = Rule(
    id="REC003",
    slug="rectification-measures",
    name_zh="整改措施制定时限",
    name_en="Rectification measures",
    severity="violation",
    subject=("rectification",),
    needs=("rectifications",),
    settings=Settings,
    sources=(Source("003", "党委民主生活会制度六", "一般应在一个月内制订好整改措施"),),
    sql=SQL,
    message_zh="民主生活会查摆问题 {rect_id}（{found_on} 发现）应于 {due_on} 前制定整改措施，{fact_zh}",
    message_en="Rectification {rect_id} (found {found_on} at a democratic life meeting) needed measures by {due_on}: "
    "{fact_en}",
    evidence=("found_on", "due_on", "measures_on", "months"),
    doc=__doc__,
)
