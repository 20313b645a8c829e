"""Meta-tests over the rule registry: ids, documentation, settings, citations, presets, docs freshness."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from analytics.docs import RULES_MD, render_rules_md
from analytics.engine import RulebookError, load_rulebook, parse_override, parse_rulebook, rule_catalogue
from analytics.regulations import REGULATIONS
from analytics.rulebooks import installed_rulebook_ids, load_rulebook_raw
from analytics.rules import DQ_RULE_IDS, RULES, RULES_BY_ID
from analytics.rules.rule import DOC_SECTIONS, RULE_ID, SUBJECT_IDS
from analytics.schema import ENUMS, OPTIONAL_TABLES
from analytics.settings import MonthDay, Share, setting_column_types, setting_fields

SPEC = Path("/work/shared/spec/rules.md")
REGULATIONS_DIR = Path("/work/shared/regulations")
RULES_DIR = Path(__file__).resolve().parent.parent / "analytics" / "rules"


def _spec_text() -> str:
    if not SPEC.exists():
        pytest.skip("shared/spec/rules.md is not available here")
    return SPEC.read_text(encoding="utf-8")


def _expand(text: str) -> set[str]:
    """ "MTG001–MTG003, ATT001" -> {MTG001, MTG002, MTG003, ATT001}; parenthesised remarks are dropped."""
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)
    ids: set[str] = set()
    for first, last in re.findall(r"([A-Z]{2,3}\d{3})(?:[–-]([A-Z]{2,3}\d{3}))?", text):
        if not last:
            ids.add(first)
            continue
        prefix, a, b = first[:-3], int(first[-3:]), int(last[-3:])
        ids |= {f"{prefix}{n:03d}" for n in range(a, b + 1)}
    return ids


def test_ids_well_formed_unique_and_sorted():
    ids = [r.id for r in RULES]
    assert all(RULE_ID.match(i) for i in ids), ids
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
    assert set(RULES_BY_ID) == set(ids)


def test_every_spec_rule_is_implemented():
    text = _spec_text()
    table_ids = set(re.findall(r"^\| ([A-Z]{3}\d{3}) \|", text, flags=re.M))
    dq_ids = set(re.findall(r"\(`(DQ\d{3})`", text))
    assert len(table_ids) >= 30 and dq_ids == {"DQ001", "DQ002", "DQ003", "DQ004"}
    assert {r.id for r in RULES} == table_ids | dq_ids


def test_spec_severity_and_subject_match():
    text = _spec_text()
    for row in re.findall(r"^\| ([A-Z]{3}\d{3}) \| ([\w-]+) \| ([^|]+) \|.*\| (violation|warning) \|", text, re.M):
        rule_id, slug, subject, severity = row
        rule = RULES_BY_ID[rule_id]
        assert rule.slug == slug, rule_id
        assert rule.severity == severity, rule_id
        assert tuple(s.strip() for s in subject.split(",")) == rule.subject, rule_id
    assert all(RULES_BY_ID[i].severity == "data_quality" for i in DQ_RULE_IDS)


def test_spec_needs_match():
    text = _spec_text()
    paragraph = text[text.index("**Rules and the optional tables they need**") :]
    paragraph = paragraph[: paragraph.index("\n\n")]
    expected: dict[str, set[str]] = {}
    for table, ids in re.findall(r"(\w+) → ([A-Z0-9–, ]+?)(?:;|\.|\s*\()", paragraph.replace("\n", " ")):
        for rule_id in _expand(ids):
            expected.setdefault(rule_id, set()).add(table)
    assert expected, "could not read the needs paragraph"
    for rule in RULES:
        assert set(rule.needs) == expected.get(rule.id, set()), rule.id
        assert set(rule.needs) <= set(OPTIONAL_TABLES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_module_is_documented(rule):
    assert rule.doc.strip().startswith(f"{rule.id} {rule.slug}:"), "first docstring line: 'ID slug: summary'"
    for section in DOC_SECTIONS:
        assert rule.doc_section(section), f"{rule.id}: docstring section {section} missing or empty"
    assert rule.name_zh and rule.name_en
    assert set(rule.subject) <= set(SUBJECT_IDS)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_module_lives_in_its_family_folder(rule):
    matches = list(RULES_DIR.glob(f"*/{rule.id.lower()}_*.py"))
    assert len(matches) == 1, f"{rule.id}: expected one module named {rule.id.lower()}_*.py"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_settings_are_frozen_documented_and_used(rule):
    params = getattr(rule.settings, "__dataclass_params__", None)
    assert params is not None and params.frozen, f"{rule.id}: settings must be a frozen dataclass"
    hints = typing.get_type_hints(rule.settings)
    for f in setting_fields(rule.settings):
        assert f.metadata.get("help"), f"{rule.id}.{f.name} has no help"
        assert f.default is not dataclasses.MISSING, f"{rule.id}.{f.name} has no default"
        assert hints[f.name] in (Share, MonthDay, bool, int) or typing.get_origin(hints[f.name]) is tuple
        if typing.get_origin(hints[f.name]) is tuple:
            assert f.metadata.get("enum") in ENUMS
        # a setting the SQL never reads would be a knob that does nothing
        used = [c for c in setting_column_types(rule.settings) if c == f.name or c.startswith(f"{f.name}_")]
        assert any(re.search(rf"\bs\.{c}\b", rule.sql) for c in used), f"{rule.id}.{f.name} is not used by its SQL"


def test_spec_settings_names_and_defaults():
    text = _spec_text()
    for rule_id, settings in re.findall(r"^\| ([A-Z]{3}\d{3}) \|(?:[^|]*\|){3} ([^|]*) \|", text, re.M):
        rule = RULES_BY_ID[rule_id]
        declared = {f.name: f.default for f in setting_fields(rule.settings)}
        named = dict(re.findall(r"`(\w+)` \(([^)]*)\)", settings))
        assert set(named) == set(declared), rule_id
        defaults = rule.settings()
        for name, default in named.items():
            value = getattr(defaults, name)
            rendered = ", ".join(value) if isinstance(value, tuple) else str(value).lower()
            assert rendered == (default if default != "none" else ""), f"{rule_id}.{name}"


def test_settings_columns_do_not_clash_between_rules():
    # All rules' settings share one relation per run: a column name must mean the same type everywhere.
    seen: dict[str, tuple[str, str]] = {}
    for rule in RULES:
        for column, sql_type in setting_column_types(rule.settings).items():
            if column in seen:
                assert seen[column][1] == sql_type, f"{column}: {seen[column][0]} and {rule.id} disagree"
            seen[column] = (rule.id, sql_type)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_sources_point_at_existing_regulations(rule):
    if rule.severity == "data_quality":
        assert not rule.sources
        return
    assert rule.sources, rule.id
    for source in rule.sources:
        assert source.regulation in REGULATIONS
        assert source.article and "(" not in source.article, "full-width brackets in citations: 第六条（四）"
        if REGULATIONS_DIR.exists():
            text = (REGULATIONS_DIR / REGULATIONS[source.regulation].file).read_text(encoding="utf-8")
            article = re.match(r"\D*?(第[一二三四五六七八九十百]+条)", source.article)
            if article:  # the article number cited exists in that regulation's text
                assert article.group(1) in text, f"{rule.id}: {source.regulation} {source.article}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_sources_match_the_spec(rule):
    text = _spec_text()
    row = re.search(rf"^\| {rule.id} \|.*\| ([^|]*) \|$", text, re.M)
    if row is None:
        return  # DQ checks have no row
    cell = row.group(1)
    if cell.startswith("same as"):
        cell = re.search(rf"^\| {cell.split()[2]} \|.*\| ([^|]*) \|$", text, re.M).group(1)  # type: ignore[union-attr]
    assert {s.regulation for s in rule.sources} == set(re.findall(r"\b(00\d)\b", cell))


def test_each_rulebook_matches_the_spec_table():
    text = _spec_text()
    section = text[text.index("## Rulebooks (presets)") :]
    rows = dict(re.findall(r"^\| `([\w-]+)` \| [^|]* \| ([^|]*) \|$", section, re.M))
    assert set(rows) == set(installed_rulebook_ids())
    for book_id, cell in rows.items():
        book = load_rulebook(book_id)
        assert set(book.rules) == _expand(cell), book_id


def test_preset_settings_match_the_spec():
    assert load_rulebook("xx-district-office-2023").settings["MTG004"] == {"min_days": 1}
    jiangyin = load_rulebook("jiangyin-npc-2017").settings
    assert jiangyin["MTG003"] == {"categories": ("personnel", "major_decision")}
    zhacun = load_rulebook("zhacun-town-2018").settings
    assert zhacun["MTG003"] == {"categories": ("personnel",)}
    assert zhacun["MTG004"] == {"working_days": True, "exempt_categories": ("personnel",), "severity": "warning"}
    assert zhacun["MTG009"] == {"severity": "warning"}
    assert zhacun["TLK001"] == {"min_per_year": 2}
    chengzhong = load_rulebook("chengzhong-hrss-2021").settings
    assert chengzhong["MTG003"] == {"categories": ("personnel",)}
    assert chengzhong["MTG005"] == {"severity": "warning"}
    assert load_rulebook("standard").settings == {}


def test_every_rulebook_in_force_includes_data_quality():
    for book_id in installed_rulebook_ids():
        assert set(DQ_RULE_IDS) <= set(load_rulebook(book_id).in_force())


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("MTG002.foo=1", "MTG002.foo"),
        ("MTG099.share=1/2", "MTG099"),
        ("MTG002.share=3/2", "MTG002.share"),
        ("MTG002.share=abc", "MTG002.share"),
        ("MTG002.share=0/3", "MTG002.share"),
        ("MTG002.inclusive=maybe", "MTG002.inclusive"),
        ("MTG003.categories=personnel,parties", "parties"),
        ("MTG004.severity=fatal", "MTG004.severity"),
        ("MTG004.min_days=-1", "MTG004.min_days"),
        ("RPT001.due=02-30", "RPT001.due"),
        ("MTG002 share 2/3", "MTG002 share 2/3"),
    ],
)
def test_bad_overrides_are_refused_with_a_message_naming_them(override, named):
    with pytest.raises(RulebookError) as err:
        parse_override(override)
    zh, en = str(err.value).split("\n")
    assert named in zh and named in en
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en.split("(")[0])


def test_good_overrides_parse():
    assert parse_override("MTG002.share=2/3") == ("MTG002", "share", Share(2, 3))
    assert parse_override("MTG002.inclusive=false") == ("MTG002", "inclusive", False)
    assert parse_override("MTG003.categories=personnel,discipline") == (
        "MTG003",
        "categories",
        ("personnel", "discipline"),
    )
    assert parse_override("MTG003.categories=干部人事") == ("MTG003", "categories", ("personnel",))
    assert parse_override("MTG004.severity=warning") == ("MTG004", "severity", "warning")
    assert parse_override("RPT001.due=04-30") == ("RPT001", "due", MonthDay(4, 30))


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"id": "x", "rules": ["MTG099"]}, "MTG099"),
        ({"id": "x", "rules": ["MTG002"], "settings": {"MTG002": {"foo": 1}}}, "MTG002.foo"),
        ({"id": "x", "rules": ["MTG002"], "settings": {"MTG002": {"share": "3/2"}}}, "MTG002.share"),
        ({"id": "x", "regulations": ["009"]}, "009"),
        ({"id": "x", "colour": "red"}, "colour"),
        ({"rules": []}, "id"),
    ],
)
def test_bad_rulebooks_are_refused(raw, named):
    with pytest.raises(RulebookError) as err:
        parse_rulebook(raw, "mine.toml")
    assert named in str(err.value)


def test_installed_rulebooks_parse_and_keep_their_ids():
    for book_id in installed_rulebook_ids():
        assert load_rulebook_raw(book_id)["id"] == book_id
        assert load_rulebook(book_id).id == book_id


def test_catalogue_lists_every_rule_and_rulebook_subsets():
    catalogue = rule_catalogue()
    assert catalogue["rule_id"].to_list() == [r.id for r in RULES]
    assert catalogue.columns[:9] == [
        "rule_id",
        "name_zh",
        "name_en",
        "severity",
        "subject",
        "settings",
        "citations_zh",
        "needs",
        "doc",
    ]
    zhacun = rule_catalogue("zhacun-town-2018")
    assert set(zhacun["rule_id"]) == set(load_rulebook("zhacun-town-2018").in_force())
    row = zhacun.filter(zhacun["rule_id"] == "MTG004").row(0, named=True)
    assert row["severity"] == "warning" and "working_days=true" in row["settings"]
    assert row["citations_zh"].startswith("《柞村镇镇级班子工作制度（莱州市）》")


def test_docs_rules_md_is_current():
    assert RULES_MD.exists(), (
        "docs/rules.md missing: run python -c 'from analytics.docs import write_rules_md; write_rules_md()'"
    )
    assert RULES_MD.read_text(encoding="utf-8") == render_rules_md(), (
        "docs/rules.md is stale: run python -c 'from analytics.docs import write_rules_md; write_rules_md()'"
    )
