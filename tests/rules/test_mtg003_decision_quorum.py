"""MTG003 decision-quorum: an item in ``categories`` (personnel, discipline) on the agenda of a meeting whose
present(m) is below ``share`` (2/3, inclusive) of entitled(m); any meeting kind but emergency_decision.
"""

import pytest
from builders import Cases, cite, run_case

cases = Cases("MTG003", severity="violation")
ITEM = "A-2025-03-12#2"  # the first_topic item is #1


def meeting(w, n: int, present: int, kind: str = "party_group", rulebook: str | None = None):
    org = w.org("A", rulebook=rulebook)
    org.members(n)
    return org.meeting("2025-03-12", kind, present=present)


@cases(ITEM)
def canonical_personnel_six_of_ten(w):
    meeting(w, 10, 6).item("personnel", decision="passed")


@cases()
def exactly_two_thirds_inclusive_met(w):
    meeting(w, 9, 6).item("personnel", decision="passed")


@cases(ITEM, overrides=["MTG003.inclusive=false"])
def exactly_two_thirds_exclusive_not_met(w):
    meeting(w, 9, 6).item("personnel", decision="passed")


@cases()
def seven_of_ten_met(w):
    meeting(w, 10, 7).item("personnel", decision="passed")


@cases(ITEM)
def discipline_item(w):
    meeting(w, 10, 6).item("discipline", decision="passed")


@cases()
def general_item_not_in_categories(w):
    meeting(w, 10, 5).item("general", decision="passed")


@cases()
def major_decision_not_in_default_categories(w):
    meeting(w, 10, 5).item("major_decision", decision="passed")


@cases(ITEM)
def major_decision_under_jiangyin(w):
    meeting(w, 10, 6, rulebook="jiangyin-npc-2017").item("major_decision", decision="passed")


@cases()
def discipline_not_in_zhacun_categories(w):
    meeting(w, 10, 6, rulebook="zhacun-town-2018").item("discipline", decision="passed")


@cases(ITEM, cites=cite("chengzhong-hrss-2021", "第十三条（三）"))
def personnel_under_chengzhong(w):
    meeting(w, 10, 6, rulebook="chengzhong-hrss-2021").item("personnel", decision="passed")


@cases()
def discipline_not_in_chengzhong_categories(w):
    meeting(w, 10, 6, rulebook="chengzhong-hrss-2021").item("discipline", decision="passed")


@cases(ITEM, overrides=["MTG003.categories=general"])
def categories_override(w):
    m = meeting(w, 10, 6)
    m.item("general")
    m.item("personnel", decision="passed", seq=3)


@cases(ITEM)
def deferred_item_still_on_the_agenda(w):
    meeting(w, 10, 6).item("personnel", decision="deferred")


@cases(ITEM, "A-2025-03-12#3")
def every_item_in_categories_flagged(w):
    m = meeting(w, 10, 6)
    m.item("personnel", decision="passed")
    m.item("discipline", decision="passed")


@cases("A-2025-03-12#1")
def secretary_office_meeting_judged(w):
    meeting(w, 10, 6, kind="secretary_office").item("personnel", decision="passed")


@cases(ITEM)
def is_emergency_meeting_still_judged(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-03-12", present=6, is_emergency=True).item("personnel", decision="passed")


@cases()
def emergency_decision_not_judged(w):
    org = w.org("A")
    org.members(10)
    org.emergency_decision("2025-03-12").item("personnel", decision="passed")


@cases(ITEM)
def recusal_does_not_lower_entitled_m(w):
    # The table judges present(m) against entitled(m): 6 of 10, a recusal from the item changes nothing.
    m = meeting(w, 10, 6)
    org = w.orgs["A"]
    m.item("personnel", decision="passed").recuse(org.member_list[9])


@cases()
def empty_roster_not_judged(w):
    org = w.org("A")
    org.members(3, joined_on="2025-04-01")
    org.meeting("2025-03-12").item("personnel")


@cases()
def meeting_after_as_of_ignored(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-06-02", present=2).item("personnel")


@pytest.mark.parametrize("case", cases.params())
def test_mtg003(case):
    run_case(case)
