"""MTG005 no-ad-hoc-items: an item was raised at a meeting without prior notice.

Flags:
    An agenda item with `ad_hoc` true at a meeting of any kind that is not `is_emergency`.
Why:
    会议不得临时动议 (000 第二十一条（一）; 002 第二十二条; 003 党委领导班子会议事决策规则第十二条（三）;
    004 第十三条（二）).
Example:
    `I-2025-031-4` raised at the meeting `M-2025-031` (2025-03-12): ad hoc.
Not flagged:
    Items of emergency meetings (`is_emergency`); items recorded on `emergency_decision` rows (no item rule judges
    those); items whose `ad_hoc` is empty (default false).
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
    i.seq
FROM f_item i
JOIN rule_settings s ON s.org_id = i.org_id
WHERE i.ad_hoc
  AND NOT i.is_emergency  -- an emergency meeting may take up what comes
  AND i.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by item rules
"""

RULE = Rule(
    id="MTG005",
    slug="no-ad-hoc-items",
    name_zh="不得临时动议",
    name_en="No ad hoc items",
    severity="violation",
    subject=("item",),
    needs=("agenda_items",),
    sources=(
        Source("000", "第二十一条（一）"),
        Source("002", "第二十二条"),
        Source("003", "党委领导班子会议事决策规则第十二条（三）"),
        Source("004", "第十三条（二）"),
    ),
    sql=SQL,
    message_zh="{held_on} 会议第 {seq} 项议题 {item_id} 为临时动议",
    message_en="Item {item_id} (no. {seq}) on {held_on} was raised ad hoc",
    evidence=("seq",),
    doc=__doc__,
)
