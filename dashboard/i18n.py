"""The message catalogue (``messages/zh.toml``, ``messages/en.toml``) and Chinese / English number and date formats.

Every user-facing string comes from the catalogue by a dotted key (``t("overview.title")``); both languages must
hold every key (a test enforces it). Simplified Chinese is the default language. Numbers and dates follow each
language's conventions: 2025年3月 / Mar 2025, 85.3% in both, 12,345 in both.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from analytics.queries import Period
from analytics.schema import ENUMS

LANGUAGES: dict[str, str] = {"zh": "简体中文", "en": "English"}
DEFAULT_LANG = "zh"
MESSAGES_DIR = Path(__file__).parent / "messages"


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flattened catalogue of a language: dotted key -> text."""
    with (MESSAGES_DIR / f"{lang}.toml").open("rb") as f:
        return _flatten(tomllib.load(f))


def current_lang() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def t(key: str, /, lang: str | None = None, **values: Any) -> str:
    """The text of ``key`` in the current language, with ``{placeholders}`` filled from ``values``.

    A key missing from the catalogue shows as the key itself (the catalogue test keeps that from shipping).
    """
    text = catalogue(lang or current_lang()).get(key, key)
    return text.format(**values) if values else text


def enum_label(enum: str, code: str | None, lang: str | None = None) -> str:
    """The label of an enumeration code from the catalogue (the Chinese ones are the records contract's labels);
    a code the catalogue lacks shows the contract's Chinese label, else the code itself."""
    if code is None:
        return ""
    found = catalogue(lang or current_lang()).get(f"enum.{enum}.{code}")
    if found is not None:
        return found
    return ENUMS[enum].labels.get(code, code) if enum in ENUMS else code


def enum_labels(enum: str, lang: str | None = None) -> dict[str, str]:
    """Every code of an enumeration with its label in the current language."""
    lang = lang or current_lang()
    codes = ENUMS[enum].codes if enum in ENUMS else ()
    return {code: enum_label(enum, code, lang) for code in codes}


def relabel(column: str, mapping: Mapping[str, str]) -> pl.Expr:
    """The column's codes replaced by their labels (unknown codes kept, nulls shown empty).

    Labels are looked up here, in the script's thread: a Polars UDF would run in Polars' own threads, where
    Streamlit's session state (and so the user's language) is not available.
    """
    col = pl.col(column).cast(pl.String)
    return col.replace_strict(dict(mapping), default=col, return_dtype=pl.String).fill_null("").alias(column)


# -- numbers and dates -------------------------------------------------------------------------------------------
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_int(value: int | float | None) -> str:
    return "—" if value is None else f"{int(value):,}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.853 -> 85.3%."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def fmt_num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"


def fmt_date(value: date | None, lang: str | None = None) -> str:
    """2025年3月12日 / 12 Mar 2025."""
    if value is None:
        return "—"
    if (lang or current_lang()) == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def fmt_month(value: date | None, lang: str | None = None) -> str:
    """2025年3月 / Mar 2025."""
    if value is None:
        return "—"
    if (lang or current_lang()) == "zh":
        return f"{value.year}年{value.month}月"
    return f"{_EN_MONTHS[value.month - 1]} {value.year}"


def fmt_period(period: Period | None, lang: str | None = None) -> str:
    """全部期间 / 2025年 / 2025年第1季度 / 2025年3月 (and the English forms)."""
    lang = lang or current_lang()
    if period is None or period.kind == "all" or period.start is None:
        return t("period.all", lang)
    if period.kind == "year":
        return t("period.year_label", lang, year=period.start.year)
    if period.kind == "quarter":
        return t("period.quarter_label", lang, year=period.start.year, q=(period.start.month - 1) // 3 + 1)
    if period.kind == "month":
        return fmt_month(period.start, lang)
    return f"{fmt_month(period.start, lang)} – {fmt_month(period.end, lang)}"


def fmt_finding_period(text: str | None, lang: str | None = None) -> str:
    """A finding's judged period (YYYY, YYYY-MM or YYYY-MM-DD) in the language's form."""
    if not text:
        return "—"
    try:
        if len(text) == 4:
            return t("period.year_label", lang, year=int(text))
        if len(text) == 7:
            return fmt_month(date.fromisoformat(text + "-01"), lang)
        return fmt_date(date.fromisoformat(text), lang)
    except ValueError:
        return text


def month_axis(values: list[date], lang: str | None = None) -> list[str]:
    """Tick labels for months on a chart axis."""
    return [fmt_month(v, lang) for v in values]
