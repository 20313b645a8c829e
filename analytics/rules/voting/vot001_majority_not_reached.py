"""VOT001 majority: an item was declared passed without enough yes votes.

Flags:
    An item with `decision` `passed` whose yes votes do not meet `share` of entitled(item) (the meeting's roster
    minus the members recused from the item): by default (超过) yes·q > p·entitled is needed, with `inclusive`
    yes·q >= p·entitled. Yes counts per-member `yes` votes of members present and not recused when any per-member
    vote is recorded for the item, else `yes_count`.
Why:
    赞成票超过应到会党组成员半数为通过 (000 第二十一条（四）; 001 第六条（五）; 002 第二十四条;
    003 党委领导班子会议事决策规则第七条（五）; 004 第十三条（四）). 超过 excludes the number itself.
Example:
    `I-2025-031-2` passed with 4 yes of 8 entitled: exactly half is not more than half.
Not flagged:
    Items without per-member votes and without a tally (VOT003 reports those); items whose entitled is 0; items
    on `emergency_decision` rows; votes of absent or recused members (VOT002/VOT004) count neither way.
Settings:
    `share` (1/2), `inclusive` (false).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.settings import Share


@dataclass(frozen=True)
class Settings:
    share: Share = field(
        default=Share(1, 2), metadata={"help": "share of entitled(item) the yes votes must reach (p/q)"}
    )
    inclusive: bool = field(
        default=False,
        metadata={"help": "false: more than the share is needed (超过); true: the share is enough (以上)"},
    )


SOURCES = (
    Source("000", "第二十一条（四）"),
    Source("001", "第六条（五）"),
    Source("002", "第二十四条"),
    Source("003", "党委领导班子会议事决策规则第七条（五）"),
    Source("004", "第十三条（四）"),
)

SQL = """
SELECT
    i.org_id,
    i.item_id AS subject_key,
    i.meeting_id,
    i.item_id,
    strftime(i.held_on, '%Y-%m-%d') AS period,
    i.held_on,
    i.yes,
    i.no,
    i.entitled,
    i.has_votes AS per_member_votes,
    s.share,
    s.inclusive,
    CASE WHEN s.inclusive THEN '未达' ELSE '未超过' END || s.share_zh AS shortfall_zh,
    CASE WHEN s.inclusive THEN 'below ' ELSE 'not more than ' END || s.share_en AS shortfall_en
FROM v_item i
JOIN rule_settings s ON s.org_id = i.org_id
WHERE i.decision = 'passed'
  AND i.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
  AND (i.has_votes OR i.has_tally)  -- nothing counted: VOT003 reports it
  AND i.entitled > 0  -- nobody entitled: not judged by the share rules
  AND CASE
      WHEN s.inclusive THEN i.yes * s.share_q < s.share_p * i.entitled
      ELSE i.yes * s.share_q <= s.share_p * i.entitled  -- 超过: exactly half is not a majority
  END
"""

RULE = Rule(
    id="VOT001",
    slug="majority",
    name_zh="表决过半数",
    name_en="Majority",
    severity="violation",
    subject=("item",),
    needs=("agenda_items",),
    settings=Settings,
    sources=SOURCES,
    sql=SQL,
    message_zh="{held_on} 议题 {item_id} 表决通过，但赞成 {yes} 票，应到会 {entitled} 人，{shortfall_zh}",
    message_en="Item {item_id} on {held_on} was passed with {yes} yes vote(s) of {entitled} entitled, {shortfall_en}",
    evidence=("yes", "no", "entitled", "per_member_votes", "share", "inclusive"),
    doc=__doc__,
)
