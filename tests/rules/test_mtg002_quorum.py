"""MTG002 quorum: a party_group meeting held with present below ``share`` (1/2, inclusive) of entitled.

entitled(m) = the roster on held_on; present(m) = rostered members whose row says ``present``.
"""

import pytest
from builders import Cases, cite, run_case

cases = Cases("MTG002", severity="violation")
M = "A-2025-03-12"


@cases(M)
def canonical_four_of_ten(w):
    w.org("A").members(10)
    w.orgs["A"].meeting("2025-03-12", present=4)


@cases()
def exactly_half_inclusive_met(w):
    w.org("A").members(10)
    w.orgs["A"].meeting("2025-03-12", present=5)


@cases(M, overrides=["MTG002.inclusive=false"])
def exactly_half_exclusive_not_met(w):
    w.org("A").members(10)
    w.orgs["A"].meeting("2025-03-12", present=5)


@cases(overrides=["MTG002.inclusive=false"])
def just_over_half_exclusive_met(w):
    w.org("A").members(10)
    w.orgs["A"].meeting("2025-03-12", present=6)


@cases(overrides=["MTG002.share=2/3"])
def share_two_thirds_two_of_three_met(w):
    # Integer arithmetic: 2·3 >= 2·3.
    w.org("A").members(3)
    w.orgs["A"].meeting("2025-03-12", present=2)


@cases(M, overrides=["MTG002.share=2/3"])
def share_two_thirds_five_of_nine_not_met(w):
    w.org("A").members(9)
    w.orgs["A"].meeting("2025-03-12", present=5)


@cases(M, overrides=["MTG002.share=2/3", "MTG002.inclusive=false"])
def share_two_thirds_exclusive_six_of_nine_not_met(w):
    w.org("A").members(9)
    w.orgs["A"].meeting("2025-03-12", present=6)


@cases(M)
def unrecorded_members_are_entitled_not_present(w):
    # 4 present, 1 on leave, 5 without a row: entitled is the roster (10), not the rows (5).
    org = w.org("A")
    ms = org.members(10)
    org.meeting("2025-03-12", present=4, unrecorded=ms[5:])


@cases(M)
def leave_is_not_present(w):
    org = w.org("A")
    ms = org.members(10)
    org.meeting("2025-03-12", present=4, leave=ms[4:])


@cases(M)
def present_row_of_a_former_member_not_counted(w):
    org = w.org("A")
    org.members(10)
    former = org.member(joined_on="2024-01-01", left_on="2025-01-01")
    m = org.meeting("2025-03-12", present=4)
    m.attend(former, "present")


@cases()
def member_leaving_on_the_day_is_off_the_roster(w):
    # Two members left on held_on: roster 8, 4 present meets one half.
    org = w.org("A")
    org.members(8)
    org.member(left_on="2025-03-12")
    org.member(left_on="2025-03-12")
    org.meeting("2025-03-12", present=4)


@cases()
def member_joining_on_the_day_is_on_the_roster(w):
    # Roster 10 (two joined on held_on); 5 present including the two newcomers: met.
    org = w.org("A")
    old = org.members(8)
    new = [org.member(joined_on="2025-03-12"), org.member(joined_on="2025-03-12")]
    org.meeting("2025-03-12", present=[*old[:3], *new])


@cases()
def empty_roster_not_judged(w):
    org = w.org("A")
    org.members(5, joined_on="2025-04-01")
    org.meeting("2025-03-12")


@cases()
def study_meeting_not_judged(w):
    org = w.org("A")
    org.members(10)
    org.study("2025-03-12", present=1)


@cases()
def emergency_decision_not_judged(w):
    org = w.org("A")
    org.members(10)
    org.emergency_decision("2025-03-12")


@cases(M)
def is_emergency_meeting_still_judged(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-03-12", present=3, is_emergency=True)


@cases()
def meeting_after_as_of_ignored(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-06-02", present=1)


@cases("A-2025-06-01")
def meeting_on_as_of_judged(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-06-01", present=1)


@cases(M, severity="violation", cites=cite("wuqia-county-2024", "第六条（四）"))
def org_under_wuqia_cites_article_six_four(w):
    org = w.org("A", rulebook="wuqia-county-2024")
    org.members(10)
    org.meeting("2025-03-12", present=4)


@cases(M, cites=cite("zhacun-town-2018", "第六条"), rulebook="zhacun-town-2018")
def default_rulebook_zhacun_cites_its_text(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-03-12", present=4)


@cases(M, overrides=["MTG002.severity=warning"], severity="warning")
def severity_override(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-03-12", present=4)


@cases(disable=["MTG002"])
def disabled(w):
    org = w.org("A")
    org.members(10)
    org.meeting("2025-03-12", present=4)


@pytest.mark.parametrize("case", cases.params())
def test_mtg002(case):
    run_case(case)
