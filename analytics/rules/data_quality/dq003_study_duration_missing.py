"""DQ003 study-duration-missing: a study meeting has no duration.

Flags:
    A `study` meeting with an empty `duration_hours`.
Why:
    The study-time rule (STU001) counts hours; a session without a length counts 0 hours in the year's total
    (records.md, meetings: required for study meetings).
Example:
    `M-2025-S03` held 2025-03-20 without a duration.
Not flagged:
    A duration of 0 (recorded, if odd); other meeting kinds.
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
WHERE m.kind = 'study'
  AND m.duration_hours IS NULL
"""

RULE = Rule(
    id="DQ003",
    slug="study-duration-missing",
    name_zh="集体学习未记录时长",
    name_en="Study duration missing",
    severity="data_quality",
    subject=("meeting",),
    sql=SQL,
    message_zh="{held_on} 集体学习未记录时长",
    message_en="Study meeting on {held_on} has no duration",
    evidence=("held_on",),
    doc=__doc__,
)
