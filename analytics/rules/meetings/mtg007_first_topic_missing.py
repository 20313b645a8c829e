"""MTG007 first-topic: a party group meeting did not open with the 第一议题.

Flags:
    A `party_group` meeting with agenda items none of which has `seq` 1 and category `first_topic`.
Why:
    坚持第一议题制度：党组会议第一项议题学习习近平总书记最新重要讲话和指示批示精神 (001 第六条（一）).
Example:
    `M-2025-031` whose item 1 is a personnel item and whose first_topic item is item 3.
Not flagged:
    Meetings without agenda items (DQ004 lists those); meetings of other kinds.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
SELECT
    m.org_id,
    m.meeting_id AS subject_key,
    m.meeting_id,
    strftime(m.held_on, '%Y-%m-%d') AS period,
    m.held_on,
    m.items
FROM f_meeting m
JOIN rule_settings s ON s.org_id = m.org_id
WHERE m.kind = 'party_group'
  AND m.items > 0  -- a meeting without items is DQ004's
  AND m.first_topics_first = 0  -- no item with seq 1 and category first_topic
"""

RULE = Rule(
    id="MTG007",
    slug="first-topic",
    name_zh="第一议题",
    name_en="First topic",
    severity="violation",
    subject=("meeting",),
    needs=("agenda_items",),
    sources=(Source("001", "第六条（一）", "第一议题制度"),),
    sql=SQL,
    message_zh="{held_on} 党组会议 {items} 项议题中，第 1 项不是第一议题",
    message_en="Party group meeting on {held_on}: item 1 of {items} is not the first topic",
    evidence=("items",),
    doc=__doc__,
)
