"""The democratic life meeting rules: DLM001 yearly (org-year, warning), DLM002 attendance (2/3 inclusive,
chengzhong), DLM003 report within ``days`` (15) after, DLM004 plan at least ``days`` (10) before (chengzhong)."""

import pytest
from builders import Cases, cite, run_case

CZ = "chengzhong-hrss-2021"
dlm001 = Cases("DLM001", severity="warning")
dlm002 = Cases("DLM002", severity="violation", rulebook=CZ)
dlm003 = Cases("DLM003", severity="violation")
dlm004 = Cases("DLM004", severity="violation", rulebook=CZ)


# -- DLM001 ------------------------------------------------------------------------------------------------
def org_since(w, joined_on="2024-01-01", **kw):
    o = w.org("A", **kw)
    o.members(3, joined_on=joined_on)
    return o


@dlm001("A/2024")
def dlm001_canonical_no_meeting_in_2024(w):
    org_since(w)


@dlm001()
def dlm001_held(w):
    org_since(w).democratic_life("2024-12-20")


@dlm001("A/2024")
def dlm001_party_group_meeting_does_not_count(w):
    org_since(w).meeting("2024-12-20")


@dlm001("A/2023")
def dlm001_each_whole_year_judged(w):
    org_since(w, joined_on="2023-01-01").democratic_life("2024-01-20")


@dlm001()
def dlm001_established_mid_year_not_judged(w):
    org_since(w, joined_on="2024-02-01")


@dlm001()
def dlm001_explicit_established_on(w):
    org_since(w, joined_on="2020-01-01", established_on="2024-01-02")


@dlm001()
def dlm001_dissolved_on_last_day_not_judged(w):
    org_since(w, dissolved_on="2024-12-31")


@dlm001("A/2024")
def dlm001_dissolved_the_day_after_judged(w):
    org_since(w, dissolved_on="2025-01-01")


@dlm001(as_of="2024-12-31")
def dlm001_year_not_complete_not_judged(w):
    org_since(w)


@dlm001("A/2024", as_of="2025-01-01", cites=cite("jiangyin-npc-2017", "第十二条"))
def dlm001_jiangyin_judged_on_first_of_january(w):
    org_since(w, rulebook="jiangyin-npc-2017")


@dlm001(rulebook="xx-district-office-2023")
def dlm001_not_in_force_under_xx_district(w):
    org_since(w)


@pytest.mark.parametrize("case", dlm001.params())
def test_dlm001(case):
    run_case(case)


# -- DLM002 ------------------------------------------------------------------------------------------------
D = "2025-01-15"
M = f"A-{D}"


def dl(w, n: int, present: int, kind: str = "democratic_life"):
    o = w.org("A")
    o.members(n)
    if kind == "democratic_life":
        return o.democratic_life(D, present=present)
    return o.meeting(D, kind, present=present)


@dlm002(M, cites=cite(CZ, "第十四条（三）"))
def dlm002_canonical_six_of_ten(w):
    dl(w, 10, 6)


@dlm002()
def dlm002_exactly_two_thirds_met(w):
    dl(w, 9, 6)


@dlm002(M, overrides=["DLM002.inclusive=false"])
def dlm002_exactly_two_thirds_exclusive(w):
    dl(w, 9, 6)


@dlm002()
def dlm002_two_of_three_met(w):
    dl(w, 3, 2)


@dlm002()
def dlm002_party_group_meeting_not_judged(w):
    dl(w, 10, 5, kind="party_group")


@dlm002()
def dlm002_empty_roster_not_judged(w):
    o = w.org("A")
    o.members(3, joined_on="2025-02-01")
    o.democratic_life(D)


@dlm002(M)
def dlm002_unrecorded_not_present(w):
    o = w.org("A")
    ms = o.members(9)
    o.democratic_life(D, unrecorded=ms[5:])


@dlm002(rulebook="standard")
def dlm002_not_in_force_under_standard(w):
    dl(w, 10, 5)


@dlm002(M, rulebook="standard", enable=["DLM002"])
def dlm002_enabled_under_standard(w):
    dl(w, 10, 5)


@pytest.mark.parametrize("case", dlm002.params())
def test_dlm002(case):
    run_case(case)


# -- DLM003 ------------------------------------------------------------------------------------------------
def dl_report(w, report_on, held_on="2025-03-10", **kw):
    o = w.org("A", **kw)
    o.members(3)
    return o.democratic_life(held_on, report_on=report_on)


@dlm003("A-2025-03-10")
def dlm003_canonical_no_report(w):
    dl_report(w, None)


@dlm003()
def dlm003_report_on_day_fifteen(w):
    dl_report(w, "2025-03-25")


@dlm003("A-2025-03-10")
def dlm003_report_on_day_sixteen(w):
    dl_report(w, "2025-03-26")


@dlm003()
def dlm003_report_on_the_meeting_day(w):
    dl_report(w, "2025-03-10")


@dlm003("A-2025-03-10")
def dlm003_report_before_the_meeting_not_within_after(w):
    dl_report(w, "2025-03-09")


@dlm003("A-2025-03-10")
def dlm003_report_for_another_meeting(w):
    m = dl_report(w, None)
    w.orgs["A"].report("democratic_life_report", "2025-03-12", meeting="A-OTHER")
    assert m.id == "A-2025-03-10"


@dlm003("A-2025-03-10")
def dlm003_plan_is_not_a_report(w):
    m = dl_report(w, None)
    w.orgs["A"].report("democratic_life_plan", "2025-03-12", meeting=m)


@dlm003(as_of="2025-03-25")
def dlm003_deadline_day_is_as_of_not_judged(w):
    dl_report(w, None)


@dlm003("A-2025-03-10", as_of="2025-03-26")
def dlm003_judged_the_day_after_the_deadline(w):
    dl_report(w, None)


@dlm003(overrides=["DLM003.days=30"])
def dlm003_days_override(w):
    dl_report(w, "2025-04-09")


@dlm003()
def dlm003_meeting_after_as_of_ignored(w):
    dl_report(w, None, held_on="2025-06-02")


@dlm003("A-2025-03-10", cites=cite("jiangyin-npc-2017", "第十二条"))
def dlm003_jiangyin(w):
    dl_report(w, None, rulebook="jiangyin-npc-2017")


@dlm003(rulebook="wuqia-county-2024")
def dlm003_not_in_force_under_wuqia(w):
    dl_report(w, None)


@pytest.mark.parametrize("case", dlm003.params())
def test_dlm003(case):
    run_case(case)


# -- DLM004 ------------------------------------------------------------------------------------------------
def dl_plan(w, plan_on, held_on="2025-03-20"):
    o = w.org("A")
    o.members(3)
    return o.democratic_life(held_on, plan_on=plan_on)


@dlm004("A-2025-03-20", cites=cite(CZ, "第十四条（二）"))
def dlm004_canonical_no_plan(w):
    dl_plan(w, None)


@dlm004()
def dlm004_plan_ten_days_before(w):
    dl_plan(w, "2025-03-10")


@dlm004("A-2025-03-20")
def dlm004_plan_nine_days_before(w):
    dl_plan(w, "2025-03-11")


@dlm004("A-2025-03-20")
def dlm004_plan_after_the_meeting(w):
    dl_plan(w, "2025-03-25")


@dlm004("A-2025-03-20")
def dlm004_report_is_not_a_plan(w):
    m = dl_plan(w, None)
    w.orgs["A"].report("democratic_life_report", "2025-03-01", meeting=m)


@dlm004(overrides=["DLM004.days=5"])
def dlm004_days_override(w):
    dl_plan(w, "2025-03-15")


@dlm004("A-2025-06-01")
def dlm004_meeting_on_as_of_judged(w):
    dl_plan(w, None, held_on="2025-06-01")


@dlm004()
def dlm004_meeting_after_as_of_ignored(w):
    dl_plan(w, None, held_on="2025-06-02")


@dlm004(rulebook="standard")
def dlm004_not_in_force_under_standard(w):
    dl_plan(w, None)


@pytest.mark.parametrize("case", dlm004.params())
def test_dlm004(case):
    run_case(case)
