"""The rule catalogue against rules.md: every rule id, its default severity, the tables it needs, and the rules in
force under each rulebook (the table "Rulebooks (presets)"), with the presets' severity overrides."""

import pytest

ALL_RULES = (
    [f"MTG00{i}" for i in range(1, 10)]
    + ["ATT001", "STU001", "STU002", "STU003", "DLM001", "DLM002", "DLM003", "DLM004"]
    + [f"REC00{i}" for i in range(1, 6)]
    + [f"VOT00{i}" for i in range(1, 8)]
    + ["RPT001", "TLK001", "RES001", "RES002", "DQ001", "DQ002", "DQ003", "DQ004"]
)
DQ = {"DQ001", "DQ002", "DQ003", "DQ004"}
WARNINGS = {"STU002", "DLM001", "REC002", "VOT006", "VOT007"}

NEEDS = {
    "agenda_items": ["MTG003", "MTG005", "MTG007", "MTG008", "VOT001", "VOT003", "VOT006", "VOT007", "DQ004"],
    "votes": ["VOT002", "VOT004", "VOT005", "DQ002"],
    "recusals": ["VOT004"],
    "reports": ["DLM003", "DLM004", "RPT001"],
    "rectifications": ["REC001", "REC002", "REC003", "REC004", "REC005"],
    "activities": ["STU003", "TLK001", "RES001", "RES002"],
}


def _span(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}{i:03d}" for i in range(first, last + 1)]


#: rules.md, "Rulebooks (presets)": the rules in force (DQ checks run under every rulebook besides these).
IN_FORCE = {
    "standard": [
        *_span("MTG", 1, 6),
        "MTG008",
        "ATT001",
        "STU001",
        "STU002",
        "DLM001",
        "DLM003",
        *_span("REC", 1, 4),
        *_span("VOT", 1, 6),
        "RPT001",
    ],
    "xx-district-office-2023": [*_span("MTG", 1, 6), "MTG008", "ATT001", "REC001", "REC002", *_span("VOT", 1, 6)],
    "wuqia-county-2024": [
        *_span("MTG", 1, 7),
        "ATT001",
        *_span("STU", 1, 3),
        "DLM001",
        "REC001",
        "REC002",
        *_span("VOT", 1, 5),
        "RPT001",
    ],
    "jiangyin-npc-2017": [
        *_span("MTG", 1, 3),
        "MTG005",
        "MTG006",
        "ATT001",
        "DLM001",
        "DLM003",
        "REC001",
        "REC002",
        *_span("VOT", 1, 5),
        "RPT001",
        "TLK001",
    ],
    "zhacun-town-2018": [
        *_span("MTG", 2, 5),
        "MTG009",
        "ATT001",
        "DLM001",
        *_span("REC", 1, 3),
        "REC005",
        *_span("VOT", 1, 7),
        "TLK001",
    ],
    "chengzhong-hrss-2021": [
        *_span("MTG", 1, 6),
        "MTG008",
        "ATT001",
        *_span("DLM", 1, 4),
        "REC001",
        "REC002",
        "REC004",
        *_span("VOT", 1, 6),
        "RES001",
        "RES002",
    ],
}
PRESET_SEVERITY = {
    "zhacun-town-2018": {"MTG004": "warning", "MTG009": "warning"},
    "chengzhong-hrss-2021": {"MTG005": "warning"},
}


def catalogue(rulebook: str | None = None):
    from analytics.engine import rule_catalogue

    return rule_catalogue(rulebook) if rulebook else rule_catalogue()


def default_severity(rule: str) -> str:
    return "data_quality" if rule in DQ else "warning" if rule in WARNINGS else "violation"


def test_catalogue_has_every_rule_once():
    cat = catalogue()
    assert sorted(cat["rule_id"].to_list()) == sorted(ALL_RULES)
    for column in ("rule_id", "name_zh", "name_en", "severity", "subject", "settings", "citations_zh", "needs", "doc"):
        assert column in cat.columns


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r}-catalogue")
def test_catalogue_severity_and_needs(rule):
    row = catalogue().filter(catalogue()["rule_id"] == rule).row(0, named=True)
    assert row["severity"] == default_severity(rule)
    needed = {table for table, rules in NEEDS.items() if rule in rules}
    for table in needed:
        assert table in str(row["needs"]), f"{rule} needs {table}: {row['needs']!r}"
    for table in set(NEEDS) - needed:
        assert table not in str(row["needs"]), f"{rule} does not need {table}: {row['needs']!r}"


@pytest.mark.parametrize("rulebook", list(IN_FORCE))
def test_rules_in_force_under_rulebook(rulebook):
    cat = catalogue(rulebook)
    rules = set(cat["rule_id"].to_list())
    assert rules - DQ == set(IN_FORCE[rulebook]), (
        f"missing {sorted(set(IN_FORCE[rulebook]) - rules)}, extra {sorted(rules - DQ - set(IN_FORCE[rulebook]))}"
    )
    for row in cat.iter_rows(named=True):
        expected = PRESET_SEVERITY.get(rulebook, {}).get(row["rule_id"], default_severity(row["rule_id"]))
        assert row["severity"] == expected, f"{rulebook} {row['rule_id']}: {row['severity']} not {expected}"
