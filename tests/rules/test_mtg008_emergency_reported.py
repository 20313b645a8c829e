"""MTG008 emergency-reported: an emergency_decision not reported (an ``emergency_report`` item referring to it) at a
party_group meeting held on or after its date and no later than the first party_group meeting after its date;
judged once that meeting is before as_of."""

import pytest
from builders import Cases, cite, run_case

cases = Cases("MTG008", severity="violation")
E = "A-2025-03-10"


def org(w, rulebook: str | None = None):
    o = w.org("A", rulebook=rulebook)
    o.members(5)
    return o


@cases(E)
def canonical_not_reported_at_next_meeting(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")


@cases()
def reported_at_next_meeting(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20").item("emergency_report", refers_to=e)


@cases()
def reported_at_a_meeting_the_same_day(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.meeting("2025-03-10").item("emergency_report", refers_to=e)
    o.meeting("2025-03-20")


@cases(E)
def reported_one_meeting_late(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")
    o.meeting("2025-04-15").item("emergency_report", refers_to=e)


@cases(E)
def reported_before_the_decision_does_not_count(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.meeting("2025-03-05").item("emergency_report", refers_to=e)
    o.meeting("2025-03-20")


@cases(E)
def reported_at_a_study_meeting_does_not_count(w):
    o = org(w)
    e = o.emergency_decision("2025-03-10")
    o.study("2025-03-15").item("emergency_report", refers_to=e)
    o.meeting("2025-03-20")


@cases(E)
def report_referring_to_another_decision(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    other = o.emergency_decision("2025-03-01")
    o.meeting("2025-03-20").item("emergency_report", refers_to=other)


@cases()
def one_meeting_reports_two_decisions(w):
    o = org(w)
    e1 = o.emergency_decision("2025-03-10")
    e2 = o.emergency_decision("2025-03-11")
    m = o.meeting("2025-03-20")
    m.item("emergency_report", refers_to=e1)
    m.item("emergency_report", refers_to=e2)


@cases(as_of="2025-03-20")
def next_meeting_on_as_of_not_yet_judged(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")


@cases(E, as_of="2025-03-21")
def judged_the_day_after_the_next_meeting(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")


@cases()
def no_party_group_meeting_since_not_judged(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.study("2025-03-20")


@cases()
def next_meeting_after_as_of_ignored(w):
    o = org(w)
    o.emergency_decision("2025-05-30")
    o.meeting("2025-06-10")


@cases()
def decision_after_as_of_ignored(w):
    o = org(w)
    o.emergency_decision("2025-06-02")


@cases(E, cites=cite("chengzhong-hrss-2021", "第十三条（六）"))
def chengzhong(w):
    o = org(w, "chengzhong-hrss-2021")
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")


@cases(rulebook="wuqia-county-2024")
def not_in_force_under_wuqia(w):
    o = org(w)
    o.emergency_decision("2025-03-10")
    o.meeting("2025-03-20")


@pytest.mark.parametrize("case", cases.params())
def test_mtg008(case):
    run_case(case)
