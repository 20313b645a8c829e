"""VOT004 recusal: a member who had to withdraw from an item voted on it.

Flags:
    A per-member vote on an item by a member recorded in `recusals` for that item.
Why:
    讨论与本人及其亲属有关的事项，应当回避 (000 第二十条; 001 第六条（四）; 002 第二十三条;
    003 党委领导班子会议事决策规则第七条（四）; 004 第十三条（三）).
Example:
    P07 recused from `I-2025-031-2` (a relative's appointment) but voted yes: `I-2025-031-2/P07`.
Not flagged:
    Votes on items of `emergency_decision` rows; recused members who did not vote.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
SELECT
    v.org_id,
    v.item_id || '/' || v.member_id AS subject_key,
    v.meeting_id,
    v.item_id,
    v.member_id,
    strftime(v.held_on, '%Y-%m-%d') AS period,
    v.held_on,
    v.choice,
    p.name AS member_name
FROM f_vote v
JOIN rule_settings s ON s.org_id = v.org_id
LEFT JOIN members p ON p.member_id = v.member_id
WHERE v.is_recused
  AND v.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
"""

RULE = Rule(
    id="VOT004",
    slug="recusal",
    name_zh="回避成员不得表决",
    name_en="Recusal",
    severity="violation",
    subject=("vote",),
    needs=("votes", "recusals"),
    sources=(
        Source("000", "第二十条"),
        Source("001", "第六条（四）"),
        Source("002", "第二十三条"),
        Source("003", "党委领导班子会议事决策规则第七条（四）"),
        Source("004", "第十三条（三）"),
    ),
    sql=SQL,
    message_zh="{member_name}（{member_id}）应回避 {held_on} 议题 {item_id}，却参加了表决（{choice}）",
    message_en="{member_name} ({member_id}) was recused from item {item_id} on {held_on} but voted ({choice})",
    evidence=("choice",),
    doc=__doc__,
)
