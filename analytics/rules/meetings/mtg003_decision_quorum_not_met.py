"""MTG003 decision-quorum: a personnel or discipline item was on the agenda of a meeting short of its quorum.

Flags:
    An agenda item whose `category` is in `categories`, whatever its decision, on a meeting of any kind but
    `emergency_decision`, where present(m) is below `share` of entitled(m) (the meeting's roster, not the item's).
Why:
    讨论决定干部任免、处分党员等事项须有三分之二以上党组成员到会 (000 第二十条; 001 第六条（四）; 002 第二十三条 (人事);
    003 党委领导班子会议事决策规则第六条 (干部); 004 第十三条（三） (干部任免)).
Example:
    `I-2025-031-2` (personnel) at a meeting with 9 on the roster and 5 present: 5·3 < 2·9.
Not flagged:
    Exactly two thirds present (以上 includes it); items in other categories; `emergency_decision` rows (decisions
    outside a meeting have no quorum); meetings whose roster is empty.
Settings:
    `share` (2/3), `inclusive` (true), `categories` (personnel, discipline).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.settings import Share


@dataclass(frozen=True)
class Settings:
    share: Share = field(default=Share(2, 3), metadata={"help": "share of the roster that must be present (p/q)"})
    inclusive: bool = field(
        default=True, metadata={"help": "true: exactly the share is enough (以上); false: more is needed (超过)"}
    )
    categories: tuple[str, ...] = field(
        default=("personnel", "discipline"),
        metadata={"help": "agenda item categories that need the higher quorum", "enum": "category"},
    )


SQL = """
SELECT
    i.org_id,
    i.item_id AS subject_key,
    i.meeting_id,
    i.item_id,
    strftime(i.held_on, '%Y-%m-%d') AS period,
    i.held_on,
    i.category,
    c.label_zh AS category_zh,
    i.meeting_entitled AS entitled,
    i.meeting_present AS present,
    s.share,
    s.inclusive,
    CASE WHEN s.inclusive THEN '未达' ELSE '未超过' END || s.share_zh AS shortfall_zh,
    CASE WHEN s.inclusive THEN 'below ' ELSE 'not more than ' END || s.share_en AS shortfall_en
FROM f_item i
-- one row per organisation and category in `categories`: an equi-join picks the items
JOIN (SELECT s.*, unnest(s.categories) AS category FROM rule_settings s) s
    ON s.org_id = i.org_id AND s.category = i.category
JOIN enum_labels c ON c.enum_name = 'category' AND c.code = i.category
WHERE i.kind <> 'emergency_decision'  -- a decision outside a meeting has no quorum
  AND i.meeting_entitled > 0  -- an empty roster is not judged by the share rules
  AND CASE
      WHEN s.inclusive THEN i.meeting_present * s.share_q < s.share_p * i.meeting_entitled  -- 以上 includes it
      ELSE i.meeting_present * s.share_q <= s.share_p * i.meeting_entitled
  END
"""

RULE = Rule(
    id="MTG003",
    slug="decision-quorum",
    name_zh="研究重要事项到会人数",
    name_en="Decision quorum",
    severity="violation",
    subject=("item",),
    needs=("agenda_items",),
    sources=(
        Source("000", "第二十条"),
        Source("001", "第六条（四）"),
        Source("002", "第二十三条", "人事"),
        Source("003", "党委领导班子会议事决策规则第六条", "干部"),
        Source("004", "第十三条（三）", "干部任免"),
    ),
    settings=Settings,
    sql=SQL,
    message_zh="{held_on} 会议研究{category_zh}议题 {item_id}，应到 {entitled} 人，实到 {present} 人，{shortfall_zh}",
    message_en="{category} item {item_id} on {held_on}: {present} of {entitled} members present, {shortfall_en}",
    evidence=("category", "entitled", "present", "share", "inclusive"),
    doc=__doc__,
)
