"""DLM002 democratic-life-attendance: a democratic life meeting was held with too few members present.

Flags:
    A `democratic_life` meeting whose present(m) is below `share` of entitled(m) (present·q < p·entitled when
    `inclusive`, <= otherwise).
Why:
    民主生活会应有三分之二以上班子成员参加 (004 第十四条（三）).
Example:
    `M-2024-DL` with 9 on the roster and 5 present: 5·3 < 2·9.
Not flagged:
    Exactly two thirds (以上 includes it); meetings whose roster is empty; other meeting kinds.
Settings:
    `share` (2/3), `inclusive` (true).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.rules.shared_sql import meeting_share_sql
from analytics.settings import Share


@dataclass(frozen=True)
class Settings:
    share: Share = field(default=Share(2, 3), metadata={"help": "share of the roster that must be present (p/q)"})
    inclusive: bool = field(
        default=True, metadata={"help": "true: exactly the share is enough (以上); false: more is needed (超过)"}
    )


SQL = meeting_share_sql("democratic_life")

RULE = Rule(
    id="DLM002",
    slug="democratic-life-attendance",
    name_zh="民主生活会到会人数",
    name_en="Democratic life attendance",
    severity="violation",
    subject=("meeting",),
    settings=Settings,
    sources=(Source("004", "第十四条（三）"),),
    sql=SQL,
    message_zh="{held_on} 民主生活会应到 {entitled} 人，实到 {present} 人，{shortfall_zh}",
    message_en="Democratic life meeting on {held_on}: {present} of {entitled} members present, {shortfall_en}",
    evidence=("entitled", "present", "share", "inclusive"),
    doc=__doc__,
)
