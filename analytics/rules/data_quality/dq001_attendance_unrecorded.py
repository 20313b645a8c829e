"""DQ001 attendance-unrecorded: a member on a meeting's roster has no attendance row.

Flags:
    A member on the roster of a meeting (joined_on <= held_on < left_on) of any kind but `emergency_decision`
    without an attendance row for that meeting.
Why:
    The quorum and leave rules count an unrecorded member as not present; the inspector should know which
    findings rest on missing records (records.md, attendance).
Example:
    P07 was on ORG-A's roster on 2025-03-12 but `M-2025-031` has no row for P07: `M-2025-031/P07`.
Not flagged:
    `emergency_decision` rows (decisions outside a meeting have no attendance); members who joined after or left
    on or before the meeting day.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule

# f_unrecorded holds the rostered members without a row at meetings other than emergency decisions (facts.sql).
SQL = """
SELECT
    r.org_id,
    r.meeting_id || '/' || r.member_id AS subject_key,
    r.meeting_id,
    r.member_id,
    strftime(r.held_on, '%Y-%m-%d') AS period,
    r.held_on,
    p.name AS member_name,
    k.label_zh AS kind_zh,
    r.kind
FROM f_unrecorded r
JOIN rule_settings s ON s.org_id = r.org_id
JOIN members p ON p.member_id = r.member_id
JOIN enum_labels k ON k.enum_name = 'meeting_kind' AND k.code = r.kind
"""

RULE = Rule(
    id="DQ001",
    slug="attendance-unrecorded",
    name_zh="出席情况未记录",
    name_en="Attendance unrecorded",
    severity="data_quality",
    subject=("attendance",),
    sql=SQL,
    message_zh="{held_on} {kind_zh}未记录{member_name}（{member_id}）的出席情况",
    message_en="No attendance row for {member_name} ({member_id}) at the {kind} meeting on {held_on}",
    evidence=("kind",),
    doc=__doc__,
)
