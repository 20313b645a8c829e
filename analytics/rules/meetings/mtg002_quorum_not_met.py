"""MTG002 quorum: a party group meeting was held with too few of its members present.

Flags:
    A `party_group` meeting whose present(m) (rostered members with status `present`) is below `share` of
    entitled(m) (the roster on `held_on`): with `inclusive` (以上) when present·q < p·entitled, otherwise (超过)
    when present·q <= p·entitled.
Why:
    党组会议须有半数以上党组成员到会方可召开 (000 第二十条; 001 第六条（四）; 002 第二十三条;
    003 党委领导班子会议事决策规则第六条; 004 第十三条（三）).
    以上 includes the number itself, so exactly half is enough.
Example:
    `M-2025-031` held 2025-03-12 with 9 members on the roster and 4 present: 4·2 < 1·9.
Not flagged:
    Exactly half present under the default (以上); meetings whose roster is empty (nothing to judge); meetings
    of other kinds (`emergency_decision` has no quorum; DLM002 judges democratic life meetings); attendance rows
    of members who were not on the roster that day.
Settings:
    `share` (1/2) and `inclusive` (true).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.rules.shared_sql import meeting_share_sql
from analytics.settings import Share


@dataclass(frozen=True)
class Settings:
    share: Share = field(default=Share(1, 2), metadata={"help": "share of the roster that must be present (p/q)"})
    inclusive: bool = field(
        default=True, metadata={"help": "true: exactly the share is enough (以上); false: more is needed (超过)"}
    )


SQL = meeting_share_sql("party_group")

RULE = Rule(
    id="MTG002",
    slug="quorum",
    name_zh="党组会议到会人数",
    name_en="Meeting quorum",
    severity="violation",
    subject=("meeting",),
    sources=(
        Source("000", "第二十条"),
        Source("001", "第六条（四）"),
        Source("002", "第二十三条"),
        Source("003", "党委领导班子会议事决策规则第六条"),
        Source("004", "第十三条（三）"),
    ),
    settings=Settings,
    sql=SQL,
    message_zh="{held_on} 党组会议应到 {entitled} 人，实到 {present} 人，{shortfall_zh}",
    message_en="Party group meeting on {held_on}: {present} of {entitled} members present, {shortfall_en}",
    evidence=("entitled", "present", "share", "inclusive"),
    doc=__doc__,
)
