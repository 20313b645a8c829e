"""VOT006 close-vote-deferred: an item passed by a narrow margin instead of being deferred.

Flags:
    An item with `decision` `passed` at a meeting that is not `is_emergency`, with per-member votes or a tally,
    where yes minus no is at most `margin` (yes and no counted as in VOT001).
Why:
    赞成与反对意见接近时，除紧急情况外应暂缓表决 (000 第二十一条（四）; 003 党委领导班子会议事决策规则第七条（四）;
    004 第十三条（四）). The texts leave room for judgement, so this is a warning.
Example:
    `I-2025-031-2` passed 5 to 4: margin 1.
Not flagged:
    Margins above `margin`; emergency meetings (`is_emergency`); items without votes or tally; items on
    `emergency_decision` rows. Written opinions of absent members are not counted (the records hold no position).
Settings:
    `margin` (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    margin: int = field(default=1, metadata={"help": "largest yes-minus-no difference that counts as close"})


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
    s.margin
FROM v_item i
JOIN rule_settings s ON s.org_id = i.org_id
WHERE i.decision = 'passed'
  AND NOT i.is_emergency  -- an emergency cannot wait for the next meeting
  AND i.kind <> 'emergency_decision'  -- decisions outside a meeting are not judged by vote rules
  AND (i.has_votes OR i.has_tally)  -- nothing counted: VOT003 reports it
  AND i.yes - i.no <= s.margin
"""

RULE = Rule(
    id="VOT006",
    slug="close-vote-deferred",
    name_zh="意见接近应暂缓",
    name_en="Close vote deferred",
    severity="warning",
    subject=("item",),
    needs=("agenda_items",),
    settings=Settings,
    sources=(
        Source("000", "第二十一条（四）"),
        Source("003", "党委领导班子会议事决策规则第七条（四）"),
        Source("004", "第十三条（四）"),
    ),
    sql=SQL,
    message_zh="{held_on} 议题 {item_id} 赞成 {yes} 票、反对 {no} 票，相差不超过 {margin} 票仍表决通过，未暂缓",
    message_en="Item {item_id} on {held_on} passed {yes} to {no}, within {margin} vote(s), instead of being deferred",
    evidence=("yes", "no", "margin"),
    doc=__doc__,
)
