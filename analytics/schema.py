"""The records contract (``shared/spec/records.md``) as data.

Everything that needs to know the tables — the store's DDL, the importer's header and enum aliases, the import
template, the simulator's writers — reads it from here, so the contract lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["text", "date", "int", "number", "bool", "enum"]

#: DuckDB type of each column type; enums are stored as their English codes.
SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "date": "DATE",
    "int": "BIGINT",
    "number": "DOUBLE",
    "bool": "BOOLEAN",
    "enum": "VARCHAR",
}


@dataclass(frozen=True)
class Enum:
    """An enumeration: English codes with their canonical Chinese labels (and extra accepted aliases)."""

    name: str
    labels: dict[str, str]  # code -> canonical Chinese label
    aliases: dict[str, str]  # extra accepted spelling -> code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling (code, label, alias; lower-cased) mapped to its code."""
        table = {code.lower(): code for code in self.labels}
        table.update({label.lower(): code for code, label in self.labels.items()})
        table.update({alias.lower(): code for alias, code in self.aliases.items()})
        return table


def _enum(name: str, labels: dict[str, str], **aliases: str) -> Enum:
    return Enum(name, labels, dict(aliases))


ENUMS: dict[str, Enum] = {
    e.name: e
    for e in (
        _enum(
            "role",
            {"secretary": "党组书记", "deputy_secretary": "党组副书记", "member": "党组成员"},
            书记="secretary",
            副书记="deputy_secretary",
            成员="member",
        ),
        _enum(
            "meeting_kind",
            {
                "party_group": "党组会议",
                "study": "集体学习",
                "democratic_life": "民主生活会",
                "secretary_office": "书记办公会",
                "emergency_decision": "临机处置",
                "other": "其他",
            },
            党组集体学习="study",
            党组理论学习中心组学习="study",
            理论学习中心组学习="study",
        ),
        _enum("status", {"present": "出席", "leave": "请假", "absent": "缺席"}),
        _enum(
            "category",
            {
                "first_topic": "第一议题",
                "personnel": "干部人事",
                "discipline": "纪律处分",
                "major_decision": "重大事项",
                "report": "通报汇报",
                "emergency_report": "临机处置报告",
                "general": "一般事项",
            },
        ),
        _enum("decision", {"passed": "通过", "rejected": "未通过", "deferred": "暂缓", "none": "无"}),
        _enum(
            "vote_method",
            {
                "oral": "口头表决",
                "show_of_hands": "举手表决",
                "secret_ballot": "无记名投票",
                "named_ballot": "记名投票",
            },
        ),
        _enum("choice", {"yes": "赞成", "no": "反对", "abstain": "弃权"}),
        _enum(
            "source",
            {"democratic_life": "民主生活会", "inspection": "督查巡察", "audit": "审计", "other": "其他"},
        ),
        _enum(
            "report_kind",
            {
                "annual_work": "年度工作报告",
                "democratic_life_report": "民主生活会情况报告",
                "democratic_life_plan": "民主生活会方案",
            },
        ),
        _enum(
            "activity_kind",
            {
                "study_article": "学习体会文章",
                "research_report": "调研报告",
                "talk": "谈心谈话",
                "grassroots_days": "基层调研天数",
            },
        ),
    )
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    zh: str
    required: bool = False
    enum: str | None = None  # key of ENUMS for enum columns
    min_value: int | None = None  # inclusive lower bound for numbers
    ref: str | None = None  # "table.column" this column must point to when given

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False  # the table itself must be imported
    big: bool = False  # fact table: no constraints, bulk loaded

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type_: ColumnType, zh: str, **kw: object) -> Column:
    return Column(name, type_, zh, **kw)  # type: ignore[arg-type]


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "organizations",
            "组织",
            (
                _c("org_id", "text", "组织编号", required=True),
                _c("name", "text", "组织名称", required=True),
                _c("parent_id", "text", "上级组织编号", ref="organizations.org_id"),
                _c("level", "text", "层级"),
                _c("rulebook", "text", "适用规则"),
                _c("established_on", "date", "成立日期"),
                _c("dissolved_on", "date", "撤销日期"),
            ),
            key=("org_id",),
            required=True,
        ),
        Table(
            "members",
            "成员",
            (
                _c("member_id", "text", "成员编号", required=True),
                _c("org_id", "text", "组织编号", required=True, ref="organizations.org_id"),
                _c("name", "text", "姓名", required=True),
                _c("role", "enum", "职务", required=True, enum="role"),
                _c("joined_on", "date", "任职日期", required=True),
                _c("left_on", "date", "离任日期"),
                _c("person_key", "text", "人员标识"),
            ),
            key=("member_id",),
            required=True,
        ),
        Table(
            "meetings",
            "会议",
            (
                _c("meeting_id", "text", "会议编号", required=True),
                _c("org_id", "text", "组织编号", required=True, ref="organizations.org_id"),
                _c("kind", "enum", "会议类型", required=True, enum="meeting_kind"),
                _c("held_on", "date", "召开日期", required=True),
                _c("title", "text", "会议名称"),
                _c("chair_id", "text", "主持人编号", ref="members.member_id"),
                _c("duration_hours", "number", "时长（小时）", min_value=0),
                _c("notice_sent_on", "date", "通知日期"),
                _c("minutes_no", "int", "纪要编号", min_value=1),
                _c("is_emergency", "bool", "是否紧急会议"),
            ),
            key=("meeting_id",),
            required=True,
        ),
        Table(
            "attendance",
            "出席",
            (
                _c("meeting_id", "text", "会议编号", required=True, ref="meetings.meeting_id"),
                _c("member_id", "text", "成员编号", required=True, ref="members.member_id"),
                _c("status", "enum", "出席情况", required=True, enum="status"),
                _c("hours", "number", "参加时长（小时）", min_value=0),
                _c("written_opinion", "bool", "是否提交书面意见"),
            ),
            key=("meeting_id", "member_id"),
            required=True,
            big=True,
        ),
        Table(
            "agenda_items",
            "议题",
            (
                _c("item_id", "text", "议题编号", required=True),
                _c("meeting_id", "text", "会议编号", required=True, ref="meetings.meeting_id"),
                _c("seq", "int", "议题序号", required=True, min_value=1),
                _c("title", "text", "议题名称"),
                _c("category", "enum", "议题类别", required=True, enum="category"),
                _c("ad_hoc", "bool", "是否临时动议"),
                _c("decision", "enum", "决定结果", enum="decision"),
                _c("vote_method", "enum", "表决方式", enum="vote_method"),
                _c("yes_count", "int", "赞成票数", min_value=0),
                _c("no_count", "int", "反对票数", min_value=0),
                _c("abstain_count", "int", "弃权票数", min_value=0),
                _c("refers_to_meeting_id", "text", "所报告临机处置编号", ref="meetings.meeting_id"),
            ),
            key=("item_id",),
        ),
        Table(
            "votes",
            "表决",
            (
                _c("item_id", "text", "议题编号", required=True, ref="agenda_items.item_id"),
                _c("member_id", "text", "成员编号", required=True, ref="members.member_id"),
                _c("choice", "enum", "表决意见", required=True, enum="choice"),
                _c("cast_order", "int", "发言顺序", min_value=1),
            ),
            key=("item_id", "member_id"),
            big=True,
        ),
        Table(
            "recusals",
            "回避",
            (
                _c("item_id", "text", "议题编号", required=True, ref="agenda_items.item_id"),
                _c("member_id", "text", "成员编号", required=True, ref="members.member_id"),
                _c("reason", "text", "回避原因"),
            ),
            key=("item_id", "member_id"),
        ),
        Table(
            "rectifications",
            "整改",
            (
                _c("rect_id", "text", "整改编号", required=True),
                _c("org_id", "text", "组织编号", required=True, ref="organizations.org_id"),
                _c("source", "enum", "问题来源", required=True, enum="source"),
                _c("source_meeting_id", "text", "来源会议编号", ref="meetings.meeting_id"),
                _c("found_on", "date", "发现日期", required=True),
                _c("description", "text", "问题描述"),
                _c("owner_id", "text", "责任人编号", ref="members.member_id"),
                _c("measures_on", "date", "措施制定日期"),
                _c("report_on", "date", "整改报告日期"),
                _c("due_on", "date", "完成时限"),
                _c("closed_on", "date", "办结日期"),
            ),
            key=("rect_id",),
        ),
        Table(
            "reports",
            "报告",
            (
                _c("report_id", "text", "报告编号", required=True),
                _c("org_id", "text", "组织编号", required=True, ref="organizations.org_id"),
                _c("kind", "enum", "报告类型", required=True, enum="report_kind"),
                _c("meeting_id", "text", "会议编号", ref="meetings.meeting_id"),
                _c("period_year", "int", "报告年度"),
                _c("submitted_on", "date", "报送日期", required=True),
            ),
            key=("report_id",),
        ),
        Table(
            "activities",
            "活动",
            (
                _c("activity_id", "text", "活动编号", required=True),
                _c("org_id", "text", "组织编号", required=True, ref="organizations.org_id"),
                _c("member_id", "text", "成员编号", required=True, ref="members.member_id"),
                _c("kind", "enum", "活动类型", required=True, enum="activity_kind"),
                _c("counterpart_id", "text", "谈话对象编号", ref="members.member_id"),
                _c("on_date", "date", "日期", required=True),
                _c("quantity", "number", "数量", min_value=0),
            ),
            key=("activity_id",),
        ),
    )
}

#: Tables in load order: every reference points to a table earlier in the list (or to itself).
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
REQUIRED_TABLES: tuple[str, ...] = tuple(name for name, t in TABLES.items() if t.required)
OPTIONAL_TABLES: tuple[str, ...] = tuple(name for name, t in TABLES.items() if not t.required)
