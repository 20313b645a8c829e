"""Rule settings: their value types, strict parsing from rulebooks and ``--set`` strings, and their SQL columns.

Each rule declares its settings as a frozen dataclass whose fields carry a ``help`` string (and, for lists of
codes, the enumeration they come from). A rulebook's ``[settings.RULE]`` table and an override string such as
``MTG002.share=2/3`` are parsed against that dataclass here; anything unknown or malformed raises
:class:`RulebookError` naming it, in Chinese and then English.

In SQL a setting becomes columns of the rule's settings relation (one row per organisation): a share ``share``
becomes ``share_p``, ``share_q`` (integer arithmetic only) and ``share_zh``/``share_en`` (its words for messages).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from dataclasses import dataclass
from typing import Any

from analytics.schema import ENUMS

SEVERITIES: tuple[str, ...] = ("violation", "warning", "data_quality")
SEVERITY_ALIASES: dict[str, str] = {"违规": "violation", "提示": "warning", "数据质量": "data_quality"}
SEVERITY_ZH: dict[str, str] = {"violation": "违规", "warning": "提示", "data_quality": "数据质量"}


class RulebookError(ValueError):
    """A rulebook, override or rule switch that cannot be used; ``str()`` is Chinese, newline, English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh}\n{en}")
        self.zh = zh
        self.en = en


_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """Chinese numeral for 0–9999 as used in fractions (三分之二, 十分之七)."""
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + (_ZH_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _ZH_DIGITS[n // 10] + "十" + (_ZH_DIGITS[n % 10] if n % 10 else "")
    return str(n)


@dataclass(frozen=True)
class Share:
    """A share threshold p/q (0 < p/q <= 1), kept as two integers: shares are compared as count*q vs p*n."""

    p: int
    q: int

    def __str__(self) -> str:
        return f"{self.p}/{self.q}"

    @property
    def zh(self) -> str:
        if self.p * 2 == self.q:
            return "半数"
        if self.p == self.q:
            return "全体"
        return f"{zh_number(self.q)}分之{zh_number(self.p)}"

    @property
    def en(self) -> str:
        named = {(1, 2): "half", (1, 1): "all", (2, 3): "two thirds", (1, 3): "one third", (3, 4): "three quarters"}
        return named.get((self.p, self.q), f"{self.p}/{self.q}")


@dataclass(frozen=True)
class MonthDay:
    """A day of the year such as 03-31 (a yearly due date); 02-29 is refused, it does not exist every year."""

    month: int
    day: int

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def setting_fields(settings_cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(settings_cls)


def setting_type(settings_cls: type, name: str) -> Any:
    return typing.get_type_hints(settings_cls)[name]


def render_value(value: object) -> str:
    """A setting value as a rulebook or ``--set`` would spell it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value) if value else "(none)"
    return str(value)


def _fail(rule_id: str, name: str, raw: object, zh: str, en: str) -> RulebookError:
    return RulebookError(
        f"规则设置 {rule_id}.{name} 的值 {raw!r} 无效：{zh}",
        f"invalid value {raw!r} for setting {rule_id}.{name}: {en}",
    )


_TRUE = {"true", "1", "是", "yes", "y", "on"}
_FALSE = {"false", "0", "否", "no", "n", "off"}


def parse_value(rule_id: str, settings_cls: type, name: str, raw: object) -> object:
    """Parse one setting value (a TOML value or an override's text) into its declared type, strictly."""
    typ = setting_type(settings_cls, name)
    field = next(f for f in setting_fields(settings_cls) if f.name == name)
    if typ is Share:
        text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
        m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text or "")
        if text is not None and re.fullmatch(r"\d+", text):
            m = re.fullmatch(r"(\d+)()", text)
        if not m:
            raise _fail(rule_id, name, raw, "应为分数 p/q，如 1/2、2/3", "expected a fraction p/q such as 1/2 or 2/3")
        p, q = int(m.group(1)), int(m.group(2) or 1)
        if not (0 < p <= q):
            raise _fail(rule_id, name, raw, "应大于 0 且不超过 1", "must be more than 0 and at most 1")
        return Share(p, q)
    if typ is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower() if isinstance(raw, str) else None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _fail(rule_id, name, raw, "应为 true 或 false", "expected true or false")
    if typ is int:
        if isinstance(raw, bool):
            raise _fail(rule_id, name, raw, "应为非负整数", "expected a whole number from 0")
        text = str(raw).strip() if isinstance(raw, (str, int)) else ""
        if not re.fullmatch(r"\d+", text):
            raise _fail(rule_id, name, raw, "应为非负整数", "expected a whole number from 0")
        return int(text)
    if typ is MonthDay:
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(raw).strip()) if isinstance(raw, str) else None
        try:
            if not m:
                raise ValueError
            day = dt.date(2001, int(m.group(1)), int(m.group(2)))  # a common year: 02-29 is refused
        except ValueError:
            raise _fail(rule_id, name, raw, "应为月-日，如 03-31", "expected a month-day such as 03-31") from None
        return MonthDay(day.month, day.day)
    if typing.get_origin(typ) is tuple:
        if isinstance(raw, str):
            items = [s.strip() for s in re.split(r"[,，、]", raw) if s.strip()]
        elif isinstance(raw, list) and all(isinstance(s, str) for s in raw):
            items = [s.strip() for s in raw]
        else:
            raise _fail(rule_id, name, raw, "应为代码列表", "expected a list of codes")
        lookup = ENUMS[field.metadata["enum"]].lookup()
        codes: list[str] = []
        for item in items:
            code = lookup.get(item.lower())
            if code is None:
                allowed = ", ".join(ENUMS[field.metadata["enum"]].codes)
                raise _fail(
                    rule_id, name, raw, f"未知的代码 {item}（可选：{allowed}）", f"unknown code {item} ({allowed})"
                )
            if code not in codes:
                codes.append(code)
        return tuple(codes)
    raise TypeError(f"{rule_id}.{name}: unsupported setting type {typ!r}")  # a rule author's mistake


def parse_severity(rule_id: str, raw: object) -> str:
    text = str(raw).strip().lower() if isinstance(raw, str) else ""
    severity = SEVERITY_ALIASES.get(text, text)
    if severity not in SEVERITIES:
        raise _fail(
            rule_id, "severity", raw, "应为 violation、warning 或 data_quality", "expected " + ", ".join(SEVERITIES)
        )
    return severity


def setting_columns(settings_cls: type, values: object) -> dict[str, object]:
    """The columns a settings value contributes to the rule's settings relation (see the module docstring)."""
    out: dict[str, object] = {}
    for f in setting_fields(settings_cls):
        value = getattr(values, f.name)
        typ = setting_type(settings_cls, f.name)
        if typ is Share:
            out |= {f.name: str(value), f"{f.name}_p": value.p, f"{f.name}_q": value.q}
            out |= {f"{f.name}_zh": value.zh, f"{f.name}_en": value.en}
        elif typ is MonthDay:
            out |= {f"{f.name}_month": value.month, f"{f.name}_day": value.day, f.name: str(value)}
        elif typing.get_origin(typ) is tuple:
            labels = ENUMS[f.metadata["enum"]].labels
            out |= {f.name: list(value), f"{f.name}_zh": "、".join(labels[c] for c in value) or "无"}
            out[f"{f.name}_en"] = ", ".join(value) or "none"
        else:
            out[f.name] = value
    return out


def setting_column_types(settings_cls: type) -> dict[str, str]:
    """DuckDB types of :func:`setting_columns`, so an empty settings relation still has its columns."""
    out: dict[str, str] = {}
    for f in setting_fields(settings_cls):
        typ = setting_type(settings_cls, f.name)
        if typ is Share:
            out |= {f.name: "VARCHAR", f"{f.name}_p": "BIGINT", f"{f.name}_q": "BIGINT"}
            out |= {f"{f.name}_zh": "VARCHAR", f"{f.name}_en": "VARCHAR"}
        elif typ is MonthDay:
            out |= {f"{f.name}_month": "INTEGER", f"{f.name}_day": "INTEGER", f.name: "VARCHAR"}
        elif typing.get_origin(typ) is tuple:
            out |= {f.name: "VARCHAR[]", f"{f.name}_zh": "VARCHAR", f"{f.name}_en": "VARCHAR"}
        elif typ is bool:
            out[f.name] = "BOOLEAN"
        else:
            out[f.name] = "INTEGER"
    return out
