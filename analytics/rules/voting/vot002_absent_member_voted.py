"""VOT002 absent-votes: a vote was recorded for a member who was not at the meeting.

Flags:
    A per-member vote of a member without an attendance row with status `present` at the item's meeting (on leave,
    absent, or unrecorded).
Why:
    未到会党组成员的书面意见不得计入票数 (000 第二十一条（四）; 001 第六条（五）; 002 第二十四条;
    003 党委领导班子会议事决策规则第七条（五）; 004 第十三条（四）).
Example:
    P07 was on leave from `M-2025-031` but a yes vote is recorded for P07 on `I-2025-031-2`: `I-2025-031-2/P07`.
Not flagged:
    Votes on items of `emergency_decision` rows; votes of present members. A member both absent and recused gets
    this finding and VOT004's.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule
from analytics.rules.voting.vot001_majority_not_reached import SOURCES

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
    p.name AS member_name,
    coalesce(v.status, 'unrecorded') AS status
FROM f_vote v
JOIN rule_settings s ON s.org_id = v.org_id
LEFT JOIN members p ON p.member_id = v.member_id
WHERE NOT v.is_present  -- leave, absent or unrecorded
  AND v.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
"""

RULE = Rule(
    id="VOT002",
    slug="absent-votes",
    name_zh="未到会成员不得计票",
    name_en="Absent votes",
    severity="violation",
    subject=("vote",),
    needs=("votes",),
    sources=SOURCES,
    sql=SQL,
    message_zh="{member_name}（{member_id}）未出席 {held_on} 会议，却记有其对议题 {item_id} 的表决（{choice}）",
    message_en="{member_name} ({member_id}) was not present on {held_on} ({status}) but has a vote ({choice}) on "
    "item {item_id}",
    evidence=("choice", "status"),
    doc=__doc__,
)
