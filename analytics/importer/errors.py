"""What a refused import tells the user: one :class:`Problem` per bad cell, row, column or file, all at once.

Every problem names the file (or ``workbook.xlsx:sheet``), the row as the user sees it in Excel (header = row 1,
first data row = 2), the column as written in the file, the value, and what was expected, in Chinese and English.
The texts of "expected" live here, in one place, so the CLI, the dashboard and the docs read the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analytics.schema import ENUMS, TABLES, Column

#: Problems kept per file; the total count is always exact.
CAP_PER_FILE = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input. ``row`` is None for file- and column-level problems."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected_zh: str
    expected_en: str
    kind: str  # machine-readable: bad_date, unknown_enum, dangling_reference, duplicate_key, ...

    def format(self, lang: Literal["zh", "en"] = "zh") -> str:
        if lang == "zh":
            where = self.file
            if self.row is not None:
                where += f" 第 {self.row} 行"
            if self.column:
                where += f"「{self.column}」"
            value = f"：值“{self.value}”" if self.value is not None else ""
            return f"{where}{value} —— {self.expected_zh}"
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        value = f': value "{self.value}"' if self.value is not None else ""
        return f"{where}{value} — expected {self.expected_en}"


class ImportRejected(Exception):
    """The input breaks the records contract; nothing was written. ``problems`` is capped, ``total`` is not."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(self.format("en"))

    def format(self, lang: Literal["zh", "en"] = "zh") -> str:
        shown = len(self.problems)
        if lang == "zh":
            head = f"导入被拒绝：共发现 {self.total} 个问题"
            head += f"（以下列出 {shown} 个）" if shown < self.total else ""
            head += "。数据库未作任何修改，请改正后重新导入。"
        else:
            head = f"Import refused: {self.total} problem{'s' if self.total != 1 else ''} found"
            head += f" (showing {shown})" if shown < self.total else ""
            head += ". Nothing was written; correct the files and import again."
        lines = [head, *(f"  {p.format(lang)}" for p in self.problems)]
        return "\n".join(lines)


# -- "expected" texts --------------------------------------------------------------------------------------


def _labels_zh(enum: str) -> str:
    return "、".join(ENUMS[enum].labels.values())


def _codes_en(enum: str) -> str:
    e = ENUMS[enum]
    return ", ".join(f"{code} ({label})" for code, label in e.labels.items())


def expected_for_type(col: Column) -> tuple[str, str]:
    """What a well-formed value of this column looks like."""
    low = col.min_value
    if col.type == "date":
        return "应为日期，如 2025-03-12（也可写作 2025/3/12、2025.3.12、2025年3月12日）", "a date such as 2025-03-12"
    if col.type == "int":
        if low is not None:
            return f"应为不小于 {low} 的整数", f"a whole number from {low}"
        return "应为整数", "a whole number"
    if col.type == "number":
        if low is not None:
            return f"应为不小于 {low} 的数字", f"a number from {low}"
        return "应为数字", "a number"
    if col.type == "bool":
        return "应为 是/否（或 true/false、1/0）", "yes or no: 是/否, true/false or 1/0"
    if col.type == "enum":
        assert col.enum is not None
        return f"应为以下之一：{_labels_zh(col.enum)}", f"one of {_codes_en(col.enum)}"
    return "应为文字", "text"


def expected_required() -> tuple[str, str]:
    return "必填，不能为空", "a value (this column is required)"


def expected_reference(col: Column) -> tuple[str, str]:
    assert col.ref is not None
    table, key = col.ref.split(".")
    t = TABLES[table]
    zh_key = t.column(key).zh
    return (
        f"应为「{t.zh}」表中已有的{zh_key}（本次导入或数据库中已有）",
        f"a {key} present in {table} (in this import or already in the store)",
    )


def expected_unique(first_row: int) -> tuple[str, str]:
    return f"编号不能重复（与第 {first_row} 行重复）", f"a unique key (row {first_row} has the same)"


def expected_on_roster(org_id: str, held_on: str, member_org: str, joined: str, left: str | None) -> tuple[str, str]:
    left_zh = left or "—"
    left_en = left or "none"
    return (
        f"应为会议当日（{held_on}）在组织 {org_id} 成员名单上的成员"
        f"（该成员属组织 {member_org}，任职 {joined}，离任 {left_zh}）",
        f"a member on the roster of {org_id} on {held_on} (this member: org {member_org}, "
        f"joined {joined}, left {left_en})",
    )


def expected_after(other_zh: str, other_en: str, other_value: str) -> tuple[str, str]:
    return f"应晚于{other_zh}（{other_value}）", f"a date after {other_en} ({other_value})"


def expected_rulebook(installed: list[str]) -> tuple[str, str]:
    names = "、".join(installed)
    return (
        f"应为已安装的规则集之一：{names}；留空则用默认规则集",
        f"one of the installed rulebooks: {', '.join(installed)}",
    )
