"""Edges of the rules whose SQL finds neighbours with window functions or reads their organisations first.

MTG008 reads each decision's next party group meeting and first report from ``fact_emergency`` (one window over
the organisation's meetings, on the same day party group meetings sorting before the decision); MTG009 finds gaps
and shared numbers from each number's neighbours in the year's sorted numbers; both, like STU001, TLK001 and the
quota rules, narrow to the organisations where the rule is in force before the heavy work. These cases pin what
those rewrites could get wrong: ties on a day, one organisation's meetings standing in for another's, numbers out of
date order, an organisation under a rulebook that leaves the rule out beside one that has it.
"""

import pytest
from builders import Cases, run_case

mtg008 = Cases("MTG008", severity="violation")
E = "A-2025-03-10"


def org(w, org_id: str = "A", rulebook: str | None = None):
    o = w.org(org_id, rulebook=rulebook)
    o.members(5)
    return o


@mtg008()
def mtg008_same_day_meeting_is_not_the_next_one(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.meeting("2025-03-10")  # the same day: not "after" it
    o.meeting("2025-03-20").item("emergency_report", refers_to=e)


@mtg008(E)
def mtg008_same_day_meeting_then_next_without_report(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-10")
    o.meeting("2025-03-20")


@mtg008(E, "A-2025-03-12")
def mtg008_two_decisions_before_one_meeting_neither_reported(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.emergency_decision("2025-03-12")
    o.meeting("2025-03-20")


@mtg008()
def mtg008_another_organisations_meeting_is_not_the_next(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    org(w, "B").meeting("2025-03-15")
    o.meeting("2025-04-20").item("emergency_report", refers_to=e)


@mtg008(E)
def mtg008_report_at_another_organisations_meeting_does_not_count(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    org(w, "B").meeting("2025-03-15").item("emergency_report", refers_to=e)
    o.meeting("2025-03-20")


@mtg008(E)
def mtg008_report_after_the_next_meeting_does_not_count(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")
    o.meeting("2025-03-25").item("emergency_report", refers_to=e)


@mtg008(E)
def mtg008_only_organisations_where_in_force(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")
    b = org(w, "B", rulebook="wuqia-county-2024")  # MTG008 not in force there
    b.emergency_decision("2025-03-10")
    b.meeting("2025-03-20")


@pytest.mark.parametrize("case", mtg008.params())
def test_mtg008_windows(case):
    run_case(case)


def test_mtg008_message_names_the_first_meeting_strictly_after():
    from builders import World

    w = World(as_of="2025-06-01")
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-10")
    o.meeting("2025-03-20")
    o.meeting("2025-04-20")
    found = w.check().filter(rule_id="MTG008")
    assert found["subject_key"].to_list() == [E]
    assert "（2025-03-20）" in found["message_zh"][0]
    assert '"next_held_on": "2025-03-20"' in found["evidence"][0].replace('":"', '": "')


mtg009 = Cases("MTG009", severity="warning", rulebook="zhacun-town-2018")


def numbered_on(w, org_id: str, numbers, rulebook: str | None = None):
    """One party group meeting per number, on successive days from 1 March 2024."""
    o = w.orgs.get(org_id) or w.org(org_id, rulebook=rulebook)
    if not o.member_list:
        o.members(3, joined_on="2020-01-01")
    return [o.meeting(f"2024-03-{i + 1:02d}", minutes_no=n) for i, n in enumerate(numbers)]


@mtg009()
def mtg009_numbers_out_of_date_order_are_complete(w):
    numbered_on(w, "A", [3, 1, 2])


@mtg009("A/2024/#3", "A-2024-03-02", "A-2024-03-03")
def mtg009_shared_number_then_a_gap(w):
    numbered_on(w, "A", [1, 2, 2, 4])


@mtg009("A/2024/#1", "A-2024-03-01", "A-2024-03-02")
def mtg009_gap_before_a_shared_first_number(w):
    numbered_on(w, "A", [2, 2])


@mtg009("A/2024/#2", "A/2024/#3", "A/2024/#4")
def mtg009_several_missing_in_a_row(w):
    numbered_on(w, "A", [1, 5])


@mtg009("A/2024/#2")
def mtg009_only_organisations_where_in_force(w):
    numbered_on(w, "A", [1, 3])
    numbered_on(w, "B", [1, 3, 3], rulebook="standard")  # MTG009 not in force under standard


@pytest.mark.parametrize("case", mtg009.params())
def test_mtg009_windows(case):
    run_case(case)
