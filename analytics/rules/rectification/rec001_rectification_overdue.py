"""REC001 rectification-overdue: a rectification is still open after its deadline.

Flags:
    A rectification (found on or before as_of) with `closed_on` empty — or dated after as_of, which reads as
    empty — whose `due_on` has passed (due_on < as_of).
Why:
    查摆出的问题应按时限整改落实 (001 第七条（四）; 003 党委民主生活会制度六, 党委工作督促检查落实制度五;
    004 第十四条（四）).
Example:
    `R-017` due 2025-03-31, still open on as_of 2025-04-01.
Not flagged:
    Due on as_of itself (the deadline day is still in time); no `due_on` (REC004 reports that); closed late (REC002).
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SOURCES = (
    Source("001", "第七条（四）"),
    Source("003", "党委民主生活会制度六"),
    Source("003", "党委工作督促检查落实制度五"),
    Source("004", "第十四条（四）"),
)

SQL = """
SELECT
    r.org_id,
    r.rect_id AS subject_key,
    r.rect_id,
    strftime(r.due_on, '%Y-%m-%d') AS period,
    r.found_on,
    r.due_on,
    getvariable('as_of') - r.due_on AS days_overdue
FROM v_rectifications r  -- closed_on after as_of reads as empty
JOIN rule_settings s ON s.org_id = r.org_id
WHERE r.closed_on IS NULL
  AND r.due_on < getvariable('as_of')  -- the deadline day itself is still in time
"""

RULE = Rule(
    id="REC001",
    slug="rectification-overdue",
    name_zh="整改逾期未办结",
    name_en="Rectification overdue",
    severity="violation",
    subject=("rectification",),
    needs=("rectifications",),
    sources=SOURCES,
    sql=SQL,
    message_zh="整改事项 {rect_id}（{found_on} 发现）完成时限 {due_on} 已过，仍未办结",
    message_en="Rectification {rect_id} (found {found_on}) is still open after its deadline {due_on}",
    evidence=("found_on", "due_on", "days_overdue"),
    doc=__doc__,
)
