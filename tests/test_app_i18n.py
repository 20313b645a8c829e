"""The message catalogue: both languages hold every key, placeholders agree, every key the code uses exists, and
numbers and dates follow each language's conventions."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from analytics.queries import Period
from analytics.schema import ENUMS
from dashboard.i18n import (
    LANGUAGES,
    catalogue,
    enum_label,
    fmt_date,
    fmt_finding_period,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_period,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "dashboard").rglob("*.py"))]
KEY_PREFIXES = (
    "nav|sidebar|period|common|error|severity|status|mark|overview|findings|evidence|col|axis|trends|import|rules"
    "|subject|welcome|enum"
)
# Literal keys in t("…") calls and in (column, "col.…") label pairs.
LITERAL_KEY = re.compile(rf"""["']((?:{KEY_PREFIXES})\.[a-z_.]+[a-z_])["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys() -> None:
    zh, en = set(catalogue("zh")), set(catalogue("en"))
    assert not zh - en, f"missing in en.toml: {sorted(zh - en)}"
    assert not en - zh, f"missing in zh.toml: {sorted(en - zh)}"


def test_placeholders_agree() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    # Plotly hover templates use %{...}; compare only Python placeholders.
    strip = re.compile(r"%\{[^}]*\}")
    for key in zh:
        assert _placeholders(strip.sub("", zh[key])) == _placeholders(strip.sub("", en[key])), key


def test_every_key_the_code_uses_exists() -> None:
    used: set[str] = set()
    for path in SOURCES:
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys: the pattern is broken"
    for lang in LANGUAGES:
        missing = sorted(k for k in used if k not in catalogue(lang))
        assert not missing, f"{lang}: {missing}"


@pytest.mark.parametrize("prefix", ["severity", "mark", "period.kind", "status"])
def test_keys_built_at_run_time_exist(prefix: str) -> None:
    needed = {
        "severity": ["violation", "warning", "data_quality"],
        "mark": ["unmarked", "confirmed", "dismissed"],
        "period.kind": ["all", "year", "quarter", "month"],
        "status": ["unrecorded", "not_on_roster"],
    }[prefix]
    for lang in LANGUAGES:
        for name in needed:
            assert f"{prefix}.{name}" in catalogue(lang)


def test_every_enum_code_has_a_label() -> None:
    for lang in LANGUAGES:
        for enum in ENUMS.values():
            for code in enum.codes:
                assert f"enum.{enum.name}.{code}" in catalogue(lang), (lang, enum.name, code)
    # The Chinese labels are the records contract's.
    for enum in ENUMS.values():
        for code, label in enum.labels.items():
            assert enum_label(enum.name, code, "zh") == label


def test_chinese_conventions() -> None:
    assert fmt_month(date(2025, 3, 1), "zh") == "2025年3月"
    assert fmt_date(date(2025, 3, 12), "zh") == "2025年3月12日"
    assert fmt_period(Period.quarter(2025, 1), "zh") == "2025年第1季度"
    assert fmt_period(Period.year(2025), "zh") == "2025年"
    assert fmt_period(Period.all(), "zh") == "全部期间"
    assert fmt_finding_period("2025-03", "zh") == "2025年3月"
    assert fmt_pct(0.8531) == "85.3%"
    assert fmt_int(12345) == "12,345"


def test_english_conventions() -> None:
    assert fmt_month(date(2025, 3, 1), "en") == "Mar 2025"
    assert fmt_date(date(2025, 3, 12), "en") == "12 Mar 2025"
    assert fmt_period(Period.quarter(2025, 1), "en") == "Q1 2025"
    assert fmt_finding_period("2024", "en") == "2024"
    assert fmt_pct(None) == "—"
