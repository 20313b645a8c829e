"""ATT001 leave-requested: a member stayed away from a meeting without asking for leave.

Flags:
    An attendance row of a member on the meeting's roster whose `status` is `absent` (no leave asked), at a
    meeting whose kind is in `kinds`.
Why:
    党组成员因故不能参加会议的，应当向主持人请假 (000 第二十条; 001 第六条（四）; 002 第二十三条;
    003 党委领导班子会议事决策规则第十二条（五）; 004 第十三条（三）).
Example:
    P07 marked 缺席 at the party group meeting `M-2025-031`: `M-2025-031/P07`.
Not flagged:
    `leave` (leave asked); rostered members without a row (unrecorded: DQ001 lists them); a written opinion does
    not excuse the absence, so it changes nothing here; meetings of kinds outside `kinds`.
Settings:
    `kinds` (party_group, study, democratic_life).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    kinds: tuple[str, ...] = field(
        default=("party_group", "study", "democratic_life"),
        metadata={"help": "meeting kinds at which an absence needs leave", "enum": "meeting_kind"},
    )


# f_absence holds the rostered members' absent rows (facts.sql): leave asked is not flagged, and a written opinion
# does not excuse.
SQL = """
SELECT
    a.org_id,
    a.meeting_id || '/' || a.member_id AS subject_key,
    a.meeting_id,
    a.member_id,
    strftime(a.held_on, '%Y-%m-%d') AS period,
    a.held_on,
    a.kind,
    k.label_zh AS kind_zh,
    p.name AS member_name,
    a.written_opinion
FROM f_absence a
JOIN rule_settings s ON s.org_id = a.org_id
JOIN members p ON p.member_id = a.member_id
JOIN enum_labels k ON k.enum_name = 'meeting_kind' AND k.code = a.kind
WHERE list_contains(s.kinds, a.kind)
"""

RULE = Rule(
    id="ATT001",
    slug="leave-requested",
    name_zh="缺席须请假",
    name_en="Leave requested",
    severity="violation",
    subject=("attendance",),
    settings=Settings,
    sources=(
        Source("000", "第二十条"),
        Source("001", "第六条（四）"),
        Source("002", "第二十三条"),
        Source("003", "党委领导班子会议事决策规则第十二条（五）"),
        Source("004", "第十三条（三）"),
    ),
    sql=SQL,
    message_zh="{member_name}（{member_id}）{held_on} 未请假缺席{kind_zh}",
    message_en="{member_name} ({member_id}) was absent without leave from the {kind} meeting on {held_on}",
    evidence=("kind", "written_opinion"),
    doc=__doc__,
)
