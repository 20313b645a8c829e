"""DQ004 meeting-without-agenda: a party group meeting has no agenda items.

Flags:
    A `party_group` meeting without any agenda item.
Why:
    The item rules (MTG003, MTG005, MTG007, the vote rules) cannot judge a meeting whose agenda was not recorded.
Example:
    `M-2025-031` held 2025-03-12 with no items.
Not flagged:
    Meetings of other kinds.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule

SQL = """
SELECT
    m.org_id,
    m.meeting_id AS subject_key,
    m.meeting_id,
    strftime(m.held_on, '%Y-%m-%d') AS period,
    m.held_on
FROM f_meeting m
JOIN rule_settings s ON s.org_id = m.org_id
WHERE m.kind = 'party_group'
  AND m.items = 0
"""

RULE = Rule(
    id="DQ004",
    slug="meeting-without-agenda",
    name_zh="党组会议无议题记录",
    name_en="Meeting without agenda",
    severity="data_quality",
    subject=("meeting",),
    needs=("agenda_items",),
    sql=SQL,
    message_zh="{held_on} 党组会议未记录议题",
    message_en="Party group meeting on {held_on} has no agenda items",
    evidence=("held_on",),
    doc=__doc__,
)
