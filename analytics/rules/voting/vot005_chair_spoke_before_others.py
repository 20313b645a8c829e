"""VOT005 chair-speaks-last: the chair stated a position before someone else on the item.

Flags:
    An item where the meeting chair's vote has a `cast_order` and another vote on the item (anyone's) has a
    strictly greater `cast_order`.
Why:
    主持人应最后表态 (000 第二十一条（三）（四）; 001 第六条（五）; 002 第二十四条;
    003 党委领导班子会议事决策规则第七条（三）;
    004 第十三条（四）).
Example:
    At `I-2025-031-2` the chair P01 spoke 2nd of 7.
Not flagged:
    The chair speaking last or tied for last; a chair vote without `cast_order`; meetings without a `chair_id`;
    items of `emergency_decision` rows.
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
    i.chair_id,
    i.chair_order,  -- the chair's vote's cast_order (facts.sql, with the item's last and the votes in order)
    i.max_order,
    i.ordered_votes
FROM f_item i
JOIN rule_settings s ON s.org_id = i.org_id
WHERE i.chair_order IS NOT NULL  -- the chair voted and its order is recorded: else nothing to judge
  AND i.max_order > i.chair_order  -- someone spoke after the chair
  AND i.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
"""

RULE = Rule(
    id="VOT005",
    slug="chair-speaks-last",
    name_zh="主持人末位表态",
    name_en="Chair speaks last",
    severity="violation",
    subject=("item",),
    needs=("votes",),
    sources=(
        Source("000", "第二十一条（三）（四）"),
        Source("001", "第六条（五）"),
        Source("002", "第二十四条"),
        Source("003", "党委领导班子会议事决策规则第七条（三）"),
        Source("004", "第十三条（四）"),
    ),
    sql=SQL,
    message_zh="{held_on} 议题 {item_id} 主持人（{chair_id}）第 {chair_order} 个表态，"
    "其后仍有成员表态（最后为第 {max_order} 个）",
    message_en="Item {item_id} on {held_on}: the chair ({chair_id}) spoke {chair_order}th, before the last "
    "({max_order}th)",
    evidence=("chair_id", "chair_order", "max_order"),
    doc=__doc__,
)
