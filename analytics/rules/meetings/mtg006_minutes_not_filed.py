"""MTG006 minutes-filed: a party group meeting has no minutes.

Flags:
    A `party_group` meeting held on or before as_of with an empty `minutes_no`.
Why:
    党组会议应形成会议纪要 (000 第二十二条; 001 第六条（五）; 002 第二十七条; 004 第十三条（五）).
Example:
    `M-2025-031` held 2025-03-12 without a minutes number.
Not flagged:
    Meetings after as_of (not yet seen); meetings of other kinds. There is no grace period: a meeting held on
    as_of itself without minutes is flagged.
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
    m.held_on
FROM f_meeting m
JOIN rule_settings s ON s.org_id = m.org_id
WHERE m.kind = 'party_group'
  AND m.minutes_no IS NULL  -- no grace period
"""

RULE = Rule(
    id="MTG006",
    slug="minutes-filed",
    name_zh="形成会议纪要",
    name_en="Minutes filed",
    severity="violation",
    subject=("meeting",),
    sources=(
        Source("000", "第二十二条"),
        Source("001", "第六条（五）"),
        Source("002", "第二十七条"),
        Source("004", "第十三条（五）"),
    ),
    sql=SQL,
    message_zh="{held_on} 党组会议未形成会议纪要（无纪要编号）",
    message_en="Party group meeting on {held_on} has no minutes (no minutes number)",
    evidence=("held_on",),
    doc=__doc__,
)
