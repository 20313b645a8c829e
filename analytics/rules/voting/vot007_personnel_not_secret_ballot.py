"""VOT007 personnel-secret-ballot: a personnel decision was not taken by secret ballot.

Flags:
    A `personnel` item decided (`passed` or `rejected`) with a `vote_method` other than `secret_ballot`, an empty
    one included.
Why:
    凡属干部任免等事项，应采取无记名投票方式表决 (003 党委领导班子会议事决策规则第七条（四）).
    A warning: the text leaves the method to the meeting for other matters.
Example:
    `I-2025-031-2` (appointment) passed by show of hands.
Not flagged:
    `deferred` or `none` decisions; other categories; items on `emergency_decision` rows.
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
    coalesce(i.vote_method, '') AS vote_method,
    coalesce(v.label_zh, '未记录') AS vote_method_zh
FROM f_item i
JOIN rule_settings s ON s.org_id = i.org_id
LEFT JOIN enum_labels v ON v.enum_name = 'vote_method' AND v.code = i.vote_method
WHERE i.category = 'personnel'
  AND i.decision IN ('passed', 'rejected')  -- decided
  AND i.vote_method IS DISTINCT FROM 'secret_ballot'  -- empty included
  AND i.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
"""

RULE = Rule(
    id="VOT007",
    slug="personnel-secret-ballot",
    name_zh="干部任免无记名投票",
    name_en="Personnel secret ballot",
    severity="warning",
    subject=("item",),
    needs=("agenda_items",),
    sources=(Source("003", "党委领导班子会议事决策规则第七条（四）"),),
    sql=SQL,
    message_zh="{held_on} 干部人事议题 {item_id} 表决方式为{vote_method_zh}，非无记名投票",
    message_en="Personnel item {item_id} on {held_on} was decided by '{vote_method}', not by secret ballot",
    evidence=("vote_method",),
    doc=__doc__,
)
