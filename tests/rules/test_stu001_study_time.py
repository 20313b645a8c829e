"""STU001 study-time-share: over a complete year, hours a member attended at the organisation's study meetings held
while on its roster are below ``share`` (1/2, inclusive) of those meetings' total ``duration_hours``.

Attended hours: the row's ``hours`` when given (whatever the status), else the duration when present, else 0.
Every member is judged, whole-year or not; a member whose total is 0 is skipped.
"""

import pytest
from builders import Cases, cite, run_case

cases = Cases("STU001", severity="violation")
DATES = ("2024-03-10", "2024-05-10", "2024-09-10", "2024-11-10")  # four 2-hour sessions: 8 hours


def studies(w, rulebook: str | None = None, dates=DATES):
    o = w.org("A", rulebook=rulebook)
    ms = o.members(3)
    return o, ms, [o.study(d) for d in dates]


@cases("A3/2024")
def canonical_one_session_of_four(w):
    _, ms, ss = studies(w)
    for s in ss[1:]:
        s.attend(ms[2], "leave")


@cases()
def exactly_half_inclusive_met(w):
    _, ms, ss = studies(w)
    for s in ss[2:]:
        s.attend(ms[2], "leave")


@cases("A3/2024", overrides=["STU001.inclusive=false"])
def exactly_half_exclusive_not_met(w):
    _, ms, ss = studies(w)
    for s in ss[2:]:
        s.attend(ms[2], "leave")


@cases("A3/2024")
def partial_hours_count_as_given(w):
    # Present at all four but for 0.9 hours of each: 3.6 of 8.
    _, ms, ss = studies(w)
    for s in ss:
        s.attend(ms[2], "present", hours=0.9)


@cases()
def hours_on_a_leave_row_count(w):
    # Present at two sessions (4 h), on leave at the others but recorded as attending 0.5 h of each: 5 of 8.
    _, ms, ss = studies(w)
    for s in ss[1:]:
        s.attend(ms[2], "leave")
    ss[1].attend(ms[2], "present")
    ss[2].attend(ms[2], "leave", hours=0.5)
    ss[3].attend(ms[2], "leave", hours=0.5)


@cases("A3/2024")
def unrecorded_counts_zero_hours(w):
    _, ms, ss = studies(w)
    for s in ss[1:]:
        s.unrecord(ms[2])


@cases()
def joiner_judged_on_sessions_while_on_roster(w):
    # Joined 1 July: judged on the September and November sessions only, attended one (2 of 4 hours).
    o, _, ss = studies(w)
    late = o.member(joined_on="2024-07-01")
    ss[2].attend(late, "present")
    ss[3].attend(late, "leave")


@cases("A4/2024")
def joiner_missing_all_sessions_on_roster(w):
    o, _, ss = studies(w)
    late = o.member(joined_on="2024-07-01")
    ss[2].attend(late, "leave")
    ss[3].attend(late, "leave")


@cases()
def leaver_judged_on_sessions_before_leaving(w):
    o, _, ss = studies(w)
    gone = o.member(left_on="2024-06-01")
    for s in ss[:2]:
        s.attend(gone, "present")


@cases()
def joiner_after_the_last_session_total_zero_skipped(w):
    o, _, _ = studies(w)
    o.member(joined_on="2024-12-01")


@cases()
def sessions_without_duration_total_zero_skipped(w):
    o = w.org("A")
    ms = o.members(3)
    for d in DATES:
        o.study(d, duration_hours=None, leave=[ms[2]])


@cases("A3/2024")
def session_without_duration_adds_nothing_to_the_total(w):
    # 8 h of timed sessions plus an untimed one he attended: 2 of 8.
    o, ms, ss = studies(w)
    for s in ss[1:]:
        s.attend(ms[2], "leave")
    o.study("2024-12-10", duration_hours=None)


@cases()
def other_meetings_do_not_count(w):
    o, ms, _ = studies(w)
    for d in ("2024-04-10", "2024-06-10", "2024-08-10"):
        o.meeting(d, leave=[ms[2]], duration_hours=3.0)


@cases()
def year_not_complete_not_judged(w):
    o = w.org("A")
    ms = o.members(3)
    o.study("2025-03-10", leave=[ms[2]])


@cases("A3/2024", rulebook="wuqia-county-2024", cites=cite("wuqia-county-2024", "第八条（三）"))
def wuqia(w):
    _, ms, ss = studies(w)
    for s in ss[1:]:
        s.attend(ms[2], "leave")


@cases(rulebook="jiangyin-npc-2017")
def not_in_force_under_jiangyin(w):
    _, ms, ss = studies(w)
    for s in ss[1:]:
        s.attend(ms[2], "leave")


@pytest.mark.parametrize("case", cases.params())
def test_stu001(case):
    run_case(case)
