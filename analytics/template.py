"""The import template offices download: a workbook (or a folder of CSV files) with a sheet per table, Chinese
headers, drop-downs for every enumeration, and a first sheet 说明 explaining every column.

A filled template imports without edits: its sheet and file names are the tables' Chinese names and its headers the
canonical Chinese column names of ``analytics.schema``; the 说明 sheet or file is not a table and is skipped (and
named in the import summary).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import xlsxwriter

from analytics.schema import ENUMS, TABLE_ORDER, TABLES, Column

#: Meaning of every column (Chinese, English), after shared/spec/records.md.
MEANINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("organizations", "org_id"): ("组织的唯一编号，由本单位自定", "key"),
    ("organizations", "name"): ("组织全称，如 乌恰县人民政府党组", "name, e.g. 乌恰县人民政府党组"),
    ("organizations", "parent_id"): ("上级组织的编号（须已存在），用于汇总和权限范围", "the superior organisation"),
    ("organizations", "level"): ("层级：省、市、县、乡镇、部门等，自由填写", "free text: province / city / county …"),
    ("organizations", "rulebook"): (
        "适用的规则集编号；留空则用系统默认规则集",
        "installed rulebook id; empty = default",
    ),
    ("organizations", "established_on"): ("成立之日；留空则取其最早记录的日期", "first day it exists"),
    ("organizations", "dissolved_on"): ("撤销之日（此日起不再存在）", "first day it no longer exists"),
    ("members", "member_id"): ("一段任职的唯一编号（同一人在两个组织或离任后再任，各占一行）", "key: one spell"),
    ("members", "org_id"): ("所在组织的编号", "→ organizations"),
    ("members", "name"): ("姓名", "name"),
    ("members", "role"): ("在党组中的职务", "secretary, deputy_secretary or member"),
    ("members", "joined_on"): ("任职第一天", "first day of membership"),
    ("members", "left_on"): ("离任之日（此日起不再是成员）；在任留空", "first day no longer a member"),
    ("members", "person_key"): ("同一人多段任职填相同标识", "same value = same person"),
    ("meetings", "meeting_id"): ("会议的唯一编号", "key"),
    ("meetings", "org_id"): ("召开会议的组织编号", "→ organizations"),
    ("meetings", "kind"): ("会议类型；临机处置指会外作出的决定", "meeting kind"),
    ("meetings", "held_on"): ("召开日期", "date held"),
    ("meetings", "title"): ("会议名称", "title"),
    ("meetings", "chair_id"): ("主持人的成员编号", "→ members: who presided"),
    ("meetings", "duration_hours"): ("会议时长（小时）；集体学习必须填写", "length in hours; needed for study"),
    ("meetings", "notice_sent_on"): ("议题书面通知成员的日期", "when the agenda was sent in writing"),
    ("meetings", "minutes_no"): ("会议纪要在本组织当年的序号；未形成纪要留空", "minutes number; empty = none"),
    ("meetings", "is_emergency"): ("是否为紧急会议；留空视为否", "convened for an emergency; default no"),
    ("attendance", "meeting_id"): ("会议编号", "→ meetings"),
    ("attendance", "member_id"): ("成员编号；须在会议当日为该组织成员", "→ members, on the meeting's roster"),
    ("attendance", "status"): ("出席：到会；请假：会前请假；缺席：未请假未到会", "present, leave or absent"),
    ("attendance", "hours"): (
        "实际参加时长（小时），用于部分时间参加集体学习",
        "hours attended, for partial attendance",
    ),
    ("attendance", "written_opinion"): ("未到会成员是否提交了书面意见", "an absent member's written opinion"),
    ("agenda_items", "item_id"): ("议题的唯一编号", "key"),
    ("agenda_items", "meeting_id"): ("所属会议编号", "→ meetings"),
    ("agenda_items", "seq"): ("在议程中的顺序，从 1 开始", "order on the agenda, from 1"),
    ("agenda_items", "title"): ("议题名称", "title"),
    ("agenda_items", "category"): ("议题类别；第一议题指学习党中央最新精神", "category"),
    ("agenda_items", "ad_hoc"): ("是否为会上临时动议（未事先通知）", "raised without prior notice"),
    ("agenda_items", "decision"): ("决定结果；未作决定填“无”或留空", "passed, rejected, deferred or none"),
    ("agenda_items", "vote_method"): ("表决方式", "how the vote was taken"),
    ("agenda_items", "yes_count"): ("赞成票数（未逐人记录表决时填写）", "tally when per-member votes are not recorded"),
    ("agenda_items", "no_count"): ("反对票数", "tally"),
    ("agenda_items", "abstain_count"): ("弃权票数", "tally"),
    ("agenda_items", "refers_to_meeting_id"): (
        "临机处置报告所报告的临机处置编号",
        "→ meetings: the emergency decision",
    ),
    ("votes", "item_id"): ("议题编号", "→ agenda_items"),
    ("votes", "member_id"): ("成员编号", "→ members"),
    ("votes", "choice"): ("表决意见", "yes, no or abstain"),
    ("votes", "cast_order"): ("发表意见的先后顺序，从 1 开始（用于“书记末位表态”）", "order positions were stated"),
    ("recusals", "item_id"): ("议题编号", "→ agenda_items"),
    ("recusals", "member_id"): ("回避的成员编号", "→ members"),
    ("recusals", "reason"): ("回避原因", "reason"),
    ("rectifications", "rect_id"): ("整改事项的唯一编号", "key"),
    ("rectifications", "org_id"): ("负责整改的组织编号", "→ organizations"),
    ("rectifications", "source"): ("问题来源", "where the problem was found"),
    ("rectifications", "source_meeting_id"): ("发现问题的会议编号", "→ meetings"),
    ("rectifications", "found_on"): ("发现问题的日期", "when the problem was found"),
    ("rectifications", "description"): ("问题描述", "description"),
    ("rectifications", "owner_id"): ("责任人的成员编号", "→ members: the person responsible"),
    ("rectifications", "measures_on"): ("制定整改措施的日期", "when measures were set"),
    ("rectifications", "report_on"): ("报送书面整改报告的日期", "when the written report was filed"),
    ("rectifications", "due_on"): ("完成时限", "deadline"),
    ("rectifications", "closed_on"): ("验收办结的日期；未办结留空", "when verified as done; empty = open"),
    ("reports", "report_id"): ("报告的唯一编号", "key"),
    ("reports", "org_id"): ("报送报告的组织编号", "→ organizations"),
    ("reports", "kind"): ("报告类型", "kind of report"),
    ("reports", "meeting_id"): ("所涉及的民主生活会编号", "→ meetings: the democratic life meeting"),
    ("reports", "period_year"): ("年度工作报告所属年度", "the year an annual report covers"),
    ("reports", "submitted_on"): ("报送上级的日期", "date submitted"),
    ("activities", "activity_id"): ("活动记录的唯一编号", "key"),
    ("activities", "org_id"): ("组织编号", "→ organizations"),
    ("activities", "member_id"): ("完成该活动的成员编号", "→ members: who did it"),
    ("activities", "kind"): ("活动类型", "kind of activity"),
    ("activities", "counterpart_id"): ("谈心谈话的对象（成员编号）", "→ members: the other party of a talk"),
    ("activities", "on_date"): ("日期", "date"),
    ("activities", "quantity"): ("数量，留空视为 1；基层调研填天数", "default 1 (days for grassroots_days)"),
}

_TYPE_ZH = {"text": "文字", "date": "日期", "int": "整数", "number": "数字", "bool": "是/否", "enum": "选项"}

_INTRO = (
    "填写说明：每张工作表对应一张数据表，第一行为表头，请勿修改表头和工作表名称。"
    "日期可写作 2025-03-12、2025/3/12、2025.3.12 或 2025年3月12日；是/否列可填 是/否、true/false、1/0；"
    "选项列请从下拉列表中选择。组织、成员、会议、出席四张表首次导入时必须填写，其余表没有记录可以留空。"
    "表中多出的列（如 序号、备注）不会被读取，导入结果中会列出。"
)

_GUIDE_HEADER = ["表（工作表）", "列名", "英文列名", "类型", "是否必填", "可选值", "说明", "Meaning"]


def _allowed(col: Column) -> str:
    if col.enum:
        return "、".join(ENUMS[col.enum].labels.values())
    if col.type == "bool":
        return "是、否"
    if col.min_value is not None:
        return f"≥ {col.min_value}"
    if col.ref:
        table, key = col.ref.split(".")
        return f"「{TABLES[table].zh}」表中已有的{TABLES[table].column(key).zh}"
    return ""


def guide_rows() -> list[list[str]]:
    """One row per column of every table: what the 说明 sheet and 说明.csv hold."""
    rows = []
    for name in TABLE_ORDER:
        t = TABLES[name]
        for c in t.columns:
            zh, en = MEANINGS[(name, c.name)]
            rows.append(
                [
                    f"{t.zh}（{name}）",
                    c.zh,
                    c.name,
                    _TYPE_ZH[c.type],
                    "必填" if c.required else "",
                    _allowed(c),
                    zh,
                    en,
                ]
            )
    return rows


def write_template_xlsx(path: str | Path) -> Path:
    """Write the import template workbook to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required_fmt = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = wb.add_format({"num_format": "@"})  # ids like 001 stay text

    guide = wb.add_worksheet("说明")
    guide.merge_range(0, 0, 0, len(_GUIDE_HEADER) - 1, _INTRO, wrap)
    guide.set_row(0, 75)
    guide.write_row(2, 0, _GUIDE_HEADER, bold)
    for i, row in enumerate(guide_rows(), start=3):
        guide.write_row(i, 0, row, wrap)
    for col, width in enumerate((18, 18, 22, 8, 9, 36, 48, 40)):
        guide.set_column(col, col, width)
    guide.freeze_panes(3, 0)

    last_row = 1_048_575
    for name in TABLE_ORDER:
        t = TABLES[name]
        ws = wb.add_worksheet(t.zh)
        for j, c in enumerate(t.columns):
            ws.write_string(0, j, c.zh, required_fmt if c.required else bold)
            fmt = date_fmt if c.type == "date" else text_fmt if c.type == "text" else None
            ws.set_column(j, j, max(12, 2 * len(c.zh) + 2), fmt)
            if c.enum or c.type == "bool":
                source = list(ENUMS[c.enum].labels.values()) if c.enum else ["是", "否"]
                ws.data_validation(
                    1,
                    j,
                    last_row,
                    j,
                    {
                        "validate": "list",
                        "source": source,
                        "error_title": "请从下拉列表中选择",
                        "error_message": "可选值：" + "、".join(source),
                    },
                )
            elif c.type == "date":
                ws.data_validation(
                    1,
                    j,
                    last_row,
                    j,
                    {
                        "validate": "date",
                        "criteria": "between",
                        "minimum": dt.date(1900, 1, 1),
                        "maximum": dt.date(2100, 12, 31),
                        "error_type": "warning",  # typed text dates (2025年3月12日) are accepted on import too
                        "error_message": "请填写日期，如 2025-03-12",
                    },
                )
            ws.write_comment(0, j, f"{c.name}：{MEANINGS[(name, c.name)][0]}")
        ws.freeze_panes(1, 0)
    wb.close()
    return path


def write_template_csv(directory: str | Path) -> list[Path]:
    """Write the template as CSV files (UTF-8 with BOM, so Excel shows Chinese) plus 说明.csv; return the files."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    guide = directory / "说明.csv"
    with guide.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([_INTRO])
        w.writerow(_GUIDE_HEADER)
        w.writerows(guide_rows())
    written.append(guide)
    for name in TABLE_ORDER:
        t = TABLES[name]
        out = directory / f"{t.zh}.csv"
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerow([c.zh for c in t.columns])
        written.append(out)
    return written
