"""Data-quality checks, run under every rulebook: DQ001 rostered member without an attendance row (not at an
emergency_decision), DQ002 tally count differing from the per-member votes of that choice, DQ003 study meeting
without ``duration_hours``, DQ004 party_group meeting without agenda items."""

import pytest
from builders import Cases, run_case

dq001 = Cases("DQ001", severity="data_quality")
dq002 = Cases("DQ002", severity="data_quality")
dq003 = Cases("DQ003", severity="data_quality")
dq004 = Cases("DQ004", severity="data_quality")
D = "2025-03-12"
M = f"A-{D}"
ITEM = f"{M}#2"


def org(w, n=5, rulebook=None):
    o = w.org("A", rulebook=rulebook)
    return o, o.members(n)


# -- DQ001 -------------------------------------------------------------------------------------------------
@dq001(f"{M}/A3")
def dq001_canonical_unrecorded(w):
    o, ms = org(w)
    o.meeting(D, unrecorded=[ms[2]])


@dq001()
def dq001_everyone_recorded(w):
    o, ms = org(w)
    o.meeting(D, leave=[ms[2]], absent=[ms[3]])


@dq001(f"{M}/A3", f"{M}/A4")
def dq001_any_kind_but_emergency_decision(w):
    o, ms = org(w)
    o.study(D, unrecorded=[ms[2], ms[3]])
    o.emergency_decision("2025-03-13")


@dq001()
def dq001_member_off_the_roster_needs_no_row(w):
    o, _ = org(w)
    o.member(left_on="2025-03-12")
    o.member(joined_on="2025-03-13")
    o.meeting(D)


@dq001()
def dq001_meeting_after_as_of_ignored(w):
    o, ms = org(w)
    o.meeting("2025-06-02", unrecorded=ms)


@dq001(f"{M}/A3", rulebook="zhacun-town-2018")
def dq001_runs_under_every_rulebook(w):
    o, ms = org(w)
    o.meeting(D, unrecorded=[ms[2]])


@dq001(disable=["DQ001"])
def dq001_disabled(w):
    o, ms = org(w)
    o.meeting(D, unrecorded=[ms[2]])


@pytest.mark.parametrize("case", dq001.params())
def test_dq001(case):
    run_case(case)


# -- DQ002 -------------------------------------------------------------------------------------------------
@dq002(ITEM)
def dq002_canonical_yes_count_differs(w):
    o, ms = org(w)
    o.meeting(D).item(decision="passed", yes=5, no=0).cast(yes=ms[:4], no=ms[4:])


@dq002()
def dq002_tally_agrees(w):
    o, ms = org(w)
    o.meeting(D).item(decision="passed", yes=4, no=1, abstain=0).cast(yes=ms[:4], no=ms[4:])


@dq002()
def dq002_empty_tally(w):
    o, ms = org(w)
    o.meeting(D).item(decision="passed", yes=None, no=None, abstain=None).cast(yes=ms[:4], no=ms[4:])


@dq002()
def dq002_tally_without_per_member_votes(w):
    o, _ = org(w)
    o.meeting(D).item(decision="passed", yes=4, no=1)


@dq002()
def dq002_absent_and_recused_votes_counted(w):
    # 3 present yes, one absent yes, one recused yes: all five recorded votes are compared with the tally.
    o, ms = org(w)
    m = o.meeting(D, absent=[ms[3]])
    m.item(decision="passed", yes=5).cast(yes=ms).recuse(ms[4])


@dq002(ITEM)
def dq002_no_count_differs(w):
    o, ms = org(w)
    o.meeting(D).item(decision="passed", yes=4, no=2).cast(yes=ms[:4], no=ms[4:])


@dq002(ITEM)
def dq002_zero_is_a_non_empty_count(w):
    o, ms = org(w)
    o.meeting(D).item(decision="passed", yes=4, no=0).cast(yes=ms[:4], no=ms[4:])


@dq002(ITEM)
def dq002_abstain_count_differs(w):
    o, ms = org(w)
    o.meeting(D).item(decision="passed", yes=4, abstain=2).cast(yes=ms[:4], abstain=ms[4:])


@dq002(f"{M}#1")
def dq002_emergency_decision_tallies_still_compared(w):
    o, ms = org(w)
    o.emergency_decision(D).item(decision="passed", yes=3).cast(yes=ms[:2])


@dq002(f"{M}#1", rulebook="wuqia-county-2024")
def dq002_runs_under_every_rulebook(w):
    o, ms = org(w)
    o.meeting(D, first_topic=False).item(decision="passed", yes=3).cast(yes=ms[:2])


@pytest.mark.parametrize("case", dq002.params())
def test_dq002(case):
    run_case(case)


# -- DQ003 -------------------------------------------------------------------------------------------------
@dq003(M)
def dq003_canonical_study_without_duration(w):
    org(w)[0].study(D, duration_hours=None)


@dq003()
def dq003_study_with_duration(w):
    org(w)[0].study(D, duration_hours=1.5)


@dq003()
def dq003_zero_hours_is_a_duration(w):
    org(w)[0].study(D, duration_hours=0)


@dq003()
def dq003_other_kinds_need_none(w):
    org(w)[0].meeting(D, duration_hours=None)


@dq003()
def dq003_meeting_after_as_of_ignored(w):
    org(w)[0].study("2025-06-02", duration_hours=None)


@dq003(M, rulebook="xx-district-office-2023")
def dq003_runs_under_every_rulebook(w):
    org(w)[0].study(D, duration_hours=None)


@pytest.mark.parametrize("case", dq003.params())
def test_dq003(case):
    run_case(case)


# -- DQ004 -------------------------------------------------------------------------------------------------
@dq004(M)
def dq004_canonical_party_group_without_items(w):
    org(w)[0].meeting(D, first_topic=False)


@dq004()
def dq004_with_items(w):
    org(w)[0].meeting(D)


@dq004()
def dq004_other_kinds_need_none(w):
    o = org(w)[0]
    o.study(D)
    o.emergency_decision("2025-03-13")
    o.meeting("2025-03-14", "secretary_office")


@dq004()
def dq004_meeting_after_as_of_ignored(w):
    org(w)[0].meeting("2025-06-02", first_topic=False)


@dq004(M, rulebook="chengzhong-hrss-2021")
def dq004_runs_under_every_rulebook(w):
    org(w)[0].meeting(D, first_topic=False)


@pytest.mark.parametrize("case", dq004.params())
def test_dq004(case):
    run_case(case)
