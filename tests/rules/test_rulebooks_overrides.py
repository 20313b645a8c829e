"""Rulebooks, overrides, --enable/--disable across rules: each organisation is judged by its own rulebook (else the
default); overrides apply on top of it to rules in force there; bad rulebooks and overrides raise RulebookError with
a Chinese line and an English line naming the culprit."""

import datetime as dt
import re
import textwrap

import pytest
from builders import TITLES, World, assert_contract, assert_rule_findings, cite, rule_findings

MON = "2025-03-10"
CJK = re.compile(r"[\u4e00-\u9fff]")


def rulebook_error():
    from analytics.engine import RulebookError

    return RulebookError


def quorum_world(present: int = 6, n: int = 10) -> World:
    w = World()
    org = w.org("A")
    org.members(n)
    org.meeting("2025-03-12", present=present)
    return w


def assert_bilingual(message: str, *names: str) -> None:
    """A Chinese line, then an English line, each naming the culprit (any of ``names``)."""
    lines = [line for line in message.splitlines() if line.strip()]
    assert len(lines) >= 2, f"expected a Chinese line and an English line: {message!r}"
    assert CJK.search(lines[0]), f"first line is not Chinese: {lines[0]!r}"
    assert not CJK.search(lines[-1]), f"last line is not English: {lines[-1]!r}"
    for line in (lines[0], lines[-1]):
        assert any(name in line for name in names), f"none of {names} named in {line!r}"


# -- overrides ---------------------------------------------------------------------------------------------
BAD_OVERRIDES = {
    "unknown_setting": ("MTG002.foo=1", ("MTG002.foo",)),
    "unknown_rule": ("XYZ999.share=1/2", ("XYZ999",)),
    "share_above_one": ("MTG002.share=3/2", ("MTG002.share", "3/2")),
    "share_not_a_fraction": ("MTG002.share=abc", ("MTG002.share", "abc")),
    "bad_bool": ("MTG002.inclusive=maybe", ("MTG002.inclusive", "maybe")),
    "unknown_category": ("MTG003.categories=personnel,bogus", ("MTG003.categories", "bogus")),
    "no_equals_sign": ("MTG002.share", ("MTG002.share",)),
    "bad_severity": ("MTG002.severity=fatal", ("MTG002.severity", "fatal")),
    "negative_days": ("DLM003.days=-1", ("DLM003.days", "-1")),
}


@pytest.mark.parametrize(("override", "names"), BAD_OVERRIDES.values(), ids=list(BAD_OVERRIDES))
def test_bad_override_raises(override, names):
    w = quorum_world()
    with pytest.raises(rulebook_error()) as err:
        w.check(overrides=[override])
    assert_bilingual(str(err.value), *names)


def test_mtg002_unknown_setting_message_names_it():
    w = quorum_world()
    with pytest.raises(rulebook_error()) as err:
        w.check(overrides=["MTG002.foo=1"])
    message = str(err.value)
    assert "未知的规则设置 MTG002.foo" in message
    assert "unknown setting MTG002.foo" in message


def test_mtg002_override_share_two_thirds():
    w = quorum_world(present=6)
    assert_rule_findings(rule_findings(w.check(), "MTG002"), set())
    w2 = quorum_world(present=6)
    found = rule_findings(w2.check(overrides=["MTG002.share=2/3"]), "MTG002")
    assert_rule_findings(found, {"A-2025-03-12"}, severity="violation")


def test_mtg002_override_applies_to_every_organisation_on_top_of_its_rulebook():
    w = World()
    for org_id, rulebook in (("A", None), ("B", "zhacun-town-2018"), ("C", "wuqia-county-2024")):
        org = w.org(org_id, rulebook=rulebook)
        org.members(10)
        org.meeting("2025-03-12", present=6)
    found = rule_findings(w.check(overrides=["MTG002.share=2/3"]), "MTG002")
    assert_rule_findings(found, {"A-2025-03-12", "B-2025-03-12", "C-2025-03-12"}, severity="violation")


def test_mtg007_override_of_a_rule_not_in_force_is_no_error_and_no_finding():
    w = World()
    org = w.org("A")
    org.members(3)
    org.meeting("2025-03-12", first_topic=False).item("general")
    found = rule_findings(w.check(overrides=["MTG007.severity=warning"]), "MTG007")
    assert found.is_empty()


def test_mtg004_override_on_top_of_zhacun_keeps_its_other_settings():
    # Zhacun's MTG004 is a working-day warning; raising its severity keeps the working-day reading.
    w = World()
    org = w.org("A", rulebook="zhacun-town-2018")
    org.members(3)
    org.meeting(MON, notice_sent_on="2025-03-08")  # Saturday before a Monday: no working day
    org.meeting("2025-03-17", notice_sent_on="2025-03-14")  # Friday: one working day
    found = rule_findings(w.check(overrides=["MTG004.severity=violation"]), "MTG004")
    assert_rule_findings(found, {f"A-{MON}"}, severity="violation", cites=cite("zhacun-town-2018"))


# -- each organisation its own rulebook --------------------------------------------------------------------
def test_mtg004_each_organisation_judged_by_its_own_rulebook():
    w = World()
    for org_id, rulebook in (("A", "zhacun-town-2018"), ("B", None), ("C", "jiangyin-npc-2017")):
        org = w.org(org_id, rulebook=rulebook)
        org.members(3)
        org.meeting(MON, notice_sent_on="2025-03-08")  # Saturday
        org.meeting("2025-03-12", notice_sent_on=None)
    found = rule_findings(w.check(), "MTG004")
    # A: working days, Saturday notice short, warning; B: calendar days, only the meeting without notice;
    # C: jiangyin has no MTG004.
    assert_rule_findings(found.filter(found["org_id"] == "A"), {f"A-{MON}", "A-2025-03-12"}, severity="warning")
    assert_rule_findings(found.filter(found["org_id"] == "B"), {"B-2025-03-12"}, severity="violation")
    assert found.filter(found["org_id"] == "C").is_empty()


def test_mtg002_default_rulebook_applies_to_orgs_without_their_own():
    w = World()
    a = w.org("A")
    b = w.org("B", rulebook="standard")
    for org in (a, b):
        org.members(10)
        org.meeting("2025-03-12", present=4)
    found = rule_findings(w.check(rulebook="wuqia-county-2024"), "MTG002")
    assert_rule_findings(found.filter(found["org_id"] == "A"), {"A-2025-03-12"}, cites=cite("wuqia-county-2024"))
    b_rows = found.filter(found["org_id"] == "B")
    assert_rule_findings(b_rows, {"B-2025-03-12"})
    # B is judged by standard, which cites the article of each of the five texts.
    for title in TITLES.values():
        assert all(f"《{title}》" in c for c in b_rows["citation_zh"]), title


def test_mtg007_enable_and_disable():
    w = World()
    org = w.org("A")
    org.members(3)
    org.meeting("2025-03-12", first_topic=False).item("general")
    assert rule_findings(w.check(), "MTG007").is_empty()
    assert_rule_findings(rule_findings(w.check(enable=["MTG007"]), "MTG007"), {"A-2025-03-12"}, severity="violation")
    assert rule_findings(w.check(rulebook="wuqia-county-2024", disable=["MTG007"]), "MTG007").is_empty()


def test_dq001_disable_removes_only_that_rule():
    w = World()
    org = w.org("A")
    ms = org.members(3)
    org.meeting("2025-03-12", unrecorded=[ms[2]], notice_sent_on=None)
    findings = w.check(disable=["DQ001"])
    assert rule_findings(findings, "DQ001").is_empty()
    assert not rule_findings(findings, "MTG004").is_empty()


# -- bad rulebooks -----------------------------------------------------------------------------------------
def test_unknown_default_rulebook_raises():
    with pytest.raises(rulebook_error()) as err:
        quorum_world().check(rulebook="no-such-rulebook")
    assert "no-such-rulebook" in str(err.value)


def test_enable_unknown_rule_raises():
    with pytest.raises(rulebook_error()) as err:
        quorum_world().check(enable=["XYZ999"])
    assert "XYZ999" in str(err.value)


def _write(tmp_path, text: str):
    path = tmp_path / "my-book.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_rulebook_file_unknown_rule_raises(tmp_path):
    path = _write(
        tmp_path,
        """
        id = "my-book"
        name_zh = "本单位规则"
        name_en = "Our rules"
        regulations = ["001"]
        rules = ["MTG002", "XYZ999"]
        """,
    )
    with pytest.raises(rulebook_error()) as err:
        quorum_world().check(rulebook_file=path)
    assert "XYZ999" in str(err.value)


def test_rulebook_file_unknown_setting_raises(tmp_path):
    path = _write(
        tmp_path,
        """
        id = "my-book"
        name_zh = "本单位规则"
        name_en = "Our rules"
        regulations = ["001"]
        rules = ["MTG002"]

        [settings.MTG002]
        quorum = "2/3"
        """,
    )
    with pytest.raises(rulebook_error()) as err:
        quorum_world().check(rulebook_file=path)
    assert "MTG002.quorum" in str(err.value) or "quorum" in str(err.value)


MY_BOOK = """
    id = "my-book"
    name_zh = "本单位规则"
    name_en = "Our rules"
    regulations = ["001"]
    rules = ["MTG002"]

    [settings.MTG002]
    share = "2/3"
    """


def test_mtg002_rulebook_file_named_by_an_organisation(tmp_path):
    path = _write(tmp_path, MY_BOOK)
    w = World()
    for org_id, rulebook in (("A", "my-book"), ("B", None)):
        org = w.org(org_id, rulebook=rulebook)
        org.members(10)
        org.meeting("2025-03-12", present=6, notice_sent_on=None)
    # The default is named: whether a rulebook file alone becomes the default is left open by the contract.
    findings = w.check(rulebook_file=path, rulebook="standard")
    assert_contract(findings)
    assert_rule_findings(rule_findings(findings, "MTG002"), {"A-2025-03-12"}, severity="violation")
    # Only MTG002 (and the DQ checks) are in force for A.
    assert set(findings.filter(findings["org_id"] == "A")["rule_id"]) <= {"MTG002", "DQ001", "DQ002", "DQ003", "DQ004"}
    assert not rule_findings(findings.filter(findings["org_id"] == "B"), "MTG004").is_empty()


def test_mtg002_rulebook_file_as_the_default(tmp_path):
    path = _write(tmp_path, MY_BOOK)
    w = quorum_world(present=6)
    findings = w.check(rulebook_file=path, rulebook="my-book")
    assert_rule_findings(rule_findings(findings, "MTG002"), {"A-2025-03-12"}, severity="violation")


# -- the run -----------------------------------------------------------------------------------------------
def test_run_check_and_check_agree_and_are_deterministic():
    w = quorum_world(present=4)
    w.orgs["A"].meeting("2025-04-12", notice_sent_on=None, minutes_no=None)
    run = w.run()
    assert run.as_of == dt.date(2025, 6, 1)
    assert isinstance(run.run_id, str) and run.run_id
    first = w.check()
    assert_contract(first)
    assert run.findings.equals(first)
    assert w.check(as_of="2025-06-01").equals(first)
    assert w.check(as_of=dt.date(2025, 6, 1)).equals(first)


def test_save_false_writes_nothing():
    w = quorum_world(present=4)
    w.check(save=False)
    store = w.store()
    assert store.con.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    assert store.con.execute("SELECT count(*) FROM check_runs").fetchone() == (0,)
