"""VOT003 item-by-item: a decision was recorded without any vote count.

Flags:
    An item whose `decision` is `passed` or `rejected` with neither per-member votes nor a tally (`yes_count`,
    `no_count`, `abstain_count` all empty).
Why:
    会议决定多个事项的，应逐项表决 (000 第二十一条（四）; 001 第六条（五）; 002 第二十四条;
    003 党委领导班子会议事决策规则第七条（四）; 004 第十三条（四）).
Example:
    `I-2025-031-2` recorded as passed with no votes and no tally.
Not flagged:
    `deferred` or `none` decisions; items on `emergency_decision` rows.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
SELECT
    i.org_id,
    i.item_id AS subject_key,
    i.meeting_id,
    i.item_id,
    strftime(i.held_on, '%Y-%m-%d') AS period,
    i.held_on,
    i.decision,
    d.label_zh AS decision_zh
FROM v_item i
JOIN rule_settings s ON s.org_id = i.org_id
JOIN enum_labels d ON d.enum_name = 'decision' AND d.code = i.decision
WHERE i.decision IN ('passed', 'rejected')  -- decided
  AND NOT i.has_votes
  AND NOT i.has_tally
  AND i.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
"""

RULE = Rule(
    id="VOT003",
    slug="item-by-item",
    name_zh="逐项表决",
    name_en="Item by item",
    severity="violation",
    subject=("item",),
    needs=("agenda_items",),
    sources=(
        Source("000", "第二十一条（四）"),
        Source("001", "第六条（五）"),
        Source("002", "第二十四条"),
        Source("003", "党委领导班子会议事决策规则第七条（四）"),
        Source("004", "第十三条（四）"),
    ),
    sql=SQL,
    message_zh="{held_on} 议题 {item_id} 记为{decision_zh}，但既无逐人表决记录也无计票",
    message_en="Item {item_id} on {held_on} is recorded as {decision} with neither per-member votes nor a tally",
    evidence=("decision",),
    doc=__doc__,
)
