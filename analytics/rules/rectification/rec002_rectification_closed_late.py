"""REC002 rectification-late: a rectification was closed after its deadline.

Flags:
    A rectification whose `closed_on` (on or before as_of) is after its `due_on`.
Why:
    整改应在时限内完成 (001 第七条（四）; 003 党委民主生活会制度六, 党委工作督促检查落实制度五; 004 第十四条（四）).
    It was done in the end, so this is a warning.
Example:
    `R-017` due 2025-03-31, closed 2025-04-15.
Not flagged:
    Closed on the due day; still open (REC001); closed after as_of (reads as open: REC001 judges it).
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rectification.rec001_rectification_overdue import SOURCES
from analytics.rules.rule import Rule

SQL = """
SELECT
    r.org_id,
    r.rect_id AS subject_key,
    r.rect_id,
    strftime(r.due_on, '%Y-%m-%d') AS period,
    r.due_on,
    r.closed_on,
    r.closed_on - r.due_on AS days_late
FROM v_rectifications r  -- closed_on after as_of reads as empty
JOIN rule_settings s ON s.org_id = r.org_id
WHERE r.closed_on > r.due_on
"""

RULE = Rule(
    id="REC002",
    slug="rectification-late",
    name_zh="整改逾期办结",
    name_en="Rectification closed late",
    severity="warning",
    subject=("rectification",),
    needs=("rectifications",),
    sources=SOURCES,
    sql=SQL,
    message_zh="整改事项 {rect_id} 于 {closed_on} 办结，晚于完成时限 {due_on} {days_late} 天",
    message_en="Rectification {rect_id} was closed on {closed_on}, {days_late} day(s) after its deadline {due_on}",
    evidence=("due_on", "closed_on", "days_late"),
    doc=__doc__,
)
