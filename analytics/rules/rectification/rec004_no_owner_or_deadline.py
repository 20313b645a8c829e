"""REC004 rectification-accountable: a rectification has no one responsible or no deadline.

Flags:
    A rectification (found on or before as_of) without `owner_id` or without `due_on`.
Why:
    整改应明确责任人和完成时限 (003 党委民主生活会制度六; 004 第十四条（四）).
Example:
    `R-017` recorded without a 责任人.
Not flagged:
    Nothing else: there is no grace period, a rectification found on as_of itself is judged.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
SELECT
    r.org_id,
    r.rect_id AS subject_key,
    r.rect_id,
    strftime(r.found_on, '%Y-%m-%d') AS period,
    r.found_on,
    r.owner_id IS NULL AS no_owner,
    r.due_on IS NULL AS no_due_on,
    CASE
        WHEN r.owner_id IS NULL AND r.due_on IS NULL THEN '未明确责任人和完成时限'
        WHEN r.owner_id IS NULL THEN '未明确责任人'
        ELSE '未明确完成时限'
    END AS fact_zh,
    CASE
        WHEN r.owner_id IS NULL AND r.due_on IS NULL THEN 'has neither an owner nor a deadline'
        WHEN r.owner_id IS NULL THEN 'has no owner'
        ELSE 'has no deadline'
    END AS fact_en
FROM v_rectifications r
JOIN rule_settings s ON s.org_id = r.org_id
WHERE r.owner_id IS NULL OR r.due_on IS NULL  -- no grace period
"""

RULE = Rule(
    id="REC004",
    slug="rectification-accountable",
    name_zh="整改责任与时限",
    name_en="Rectification accountable",
    severity="violation",
    subject=("rectification",),
    needs=("rectifications",),
    sources=(Source("003", "党委民主生活会制度六"), Source("004", "第十四条（四）", "明确责任和完成时限")),
    sql=SQL,
    message_zh="整改事项 {rect_id}（{found_on} 发现）{fact_zh}",
    message_en="Rectification {rect_id} (found {found_on}) {fact_en}",
    evidence=("no_owner", "no_due_on"),
    doc=__doc__,
)
