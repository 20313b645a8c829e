"""Yearly personal quotas of whole-year members (quantities add up):
TLK001 secretary-talks (non-secretaries: ``min_per_year`` talks with a secretary of the organisation, recorded by
either side; jiangyin 1, zhacun 2), RES001 research reports (1), RES002 grassroots days (60) (chengzhong)."""

import pytest
from builders import Cases, cite, run_case

JY, ZC, CZ = "jiangyin-npc-2017", "zhacun-town-2018", "chengzhong-hrss-2021"
tlk001 = Cases("TLK001", severity="violation", rulebook=JY)
res001 = Cases("RES001", severity="violation", rulebook=CZ)
res002 = Cases("RES002", severity="violation", rulebook=CZ)


# -- TLK001 ------------------------------------------------------------------------------------------------
def talks(w, rulebook=None):
    """Secretary A1, members A2 and A3; A3 talks with the secretary once in 2024."""
    o = w.org("A", rulebook=rulebook)
    ms = o.members(3)
    o.activity(ms[2], "talk", "2024-05-10", counterpart=ms[0])
    return o, ms


@tlk001("A2/2024", cites=cite(JY, "第十三条"))
def tlk001_canonical_no_talk(w):
    talks(w)


@tlk001()
def tlk001_recorded_by_the_secretary(w):
    o, ms = talks(w)
    o.activity(ms[0], "talk", "2024-06-10", counterpart=ms[1])


@tlk001("A2/2024")
def tlk001_talk_with_another_member_does_not_count(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10", counterpart=ms[2])


@tlk001("A2/2024")
def tlk001_talk_without_counterpart_does_not_count(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10")


@tlk001("A2/2024", "A4/2024")
def tlk001_deputy_secretary_is_judged_and_is_no_secretary(w):
    o, ms = talks(w)
    deputy = o.member(role="deputy_secretary")
    o.activity(ms[1], "talk", "2024-06-10", counterpart=deputy)


@tlk001("A2/2024")
def tlk001_talk_in_another_year_does_not_count(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2023-12-31", counterpart=ms[0])
    o.activity(ms[1], "talk", "2025-01-02", counterpart=ms[0])


@tlk001("A2/2024")
def tlk001_secretary_of_another_organisation_does_not_count(w):
    o, ms = talks(w)
    b = w.org("B")
    other = b.members(1)[0]
    o.activity(ms[1], "talk", "2024-06-10", counterpart=other)


@tlk001()
def tlk001_former_secretary_counts_any_spell(w):
    o = w.org("A")
    former = o.member(role="secretary", joined_on="2020-01-01", left_on="2024-06-01")
    o.member(role="secretary", joined_on="2024-06-01")
    m = o.member()
    o.activity(m, "talk", "2024-03-10", counterpart=former)


@tlk001("A1/2024", "A2/2024", "A3/2024")
def tlk001_no_secretary_everyone_falls_short(w):
    o = w.org("A")
    ms = o.members(3, secretary=False)
    o.activity(ms[0], "talk", "2024-03-10", counterpart=ms[1])


@tlk001()
def tlk001_joined_mid_year_not_judged(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10", counterpart=ms[0])
    o.member(joined_on="2024-03-01")


@tlk001()
def tlk001_year_not_complete_not_judged(w):
    # Both members talked with the secretary in 2024; nobody has yet in 2025, which is not complete.
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10", counterpart=ms[0])


@tlk001("A2/2024", "A3/2024", rulebook=ZC, cites=cite(ZC, "二"))
def tlk001_zhacun_needs_two(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10", counterpart=ms[0])


@tlk001("A3/2024", rulebook=ZC)
def tlk001_zhacun_quantity_adds_up(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10", counterpart=ms[0], quantity=2)


@tlk001(rulebook=ZC, overrides=["TLK001.min_per_year=1"])
def tlk001_zhacun_override(w):
    o, ms = talks(w)
    o.activity(ms[1], "talk", "2024-06-10", counterpart=ms[0])


@tlk001(rulebook="standard")
def tlk001_not_in_force_under_standard(w):
    talks(w)


@pytest.mark.parametrize("case", tlk001.params())
def test_tlk001(case):
    run_case(case)


# -- RES001 / RES002 ---------------------------------------------------------------------------------------
def research(w, kind, *quantities, year=2024):
    o = w.orgs.get("A") or w.org("A")
    if not o.member_list:
        ms = o.members(2)
        o.activity(ms[0], "research_report", "2024-04-01")
        o.activity(ms[0], "grassroots_days", "2024-04-01", quantity=60)
    member = o.member_list[1]
    for i, q in enumerate(quantities):
        o.activity(member, kind, f"{year}-{i + 1:02d}-10", quantity=q)
    return o


@res001("A2/2024", cites=cite(CZ, "第十六条"))
def res001_canonical_none(w):
    research(w, "research_report")


@res001()
def res001_one_report(w):
    research(w, "research_report", None)


@res001("A2/2024")
def res001_quantity_zero(w):
    research(w, "research_report", 0)


@res001("A2/2024")
def res001_other_kind_does_not_count(w):
    research(w, "study_article", 3)


@res001()
def res001_joined_mid_year(w):
    o = research(w, "research_report", None)
    o.member(joined_on="2024-07-01")


@res001(rulebook="standard")
def res001_not_in_force_under_standard(w):
    research(w, "research_report")


@pytest.mark.parametrize("case", res001.params())
def test_res001(case):
    run_case(case)


@res002("A2/2024", cites=cite(CZ, "第十六条"))
def res002_canonical_59_days(w):
    research(w, "grassroots_days", 59)


@res002()
def res002_60_days(w):
    research(w, "grassroots_days", 60)


@res002()
def res002_days_add_up(w):
    research(w, "grassroots_days", 30, 20, 10)


@res002("A2/2024")
def res002_rows_without_quantity_count_one_day_each(w):
    research(w, "grassroots_days", 58, None)


@res002()
def res002_rows_without_quantity_reach_the_minimum(w):
    research(w, "grassroots_days", 58, None, None)


@res002("A2/2024")
def res002_days_of_another_year(w):
    research(w, "grassroots_days", 60, year=2023)


@res002(overrides=["RES002.min_days=30"])
def res002_override(w):
    research(w, "grassroots_days", 30)


@res002()
def res002_left_mid_year(w):
    o = research(w, "grassroots_days", 60)
    o.member(left_on="2024-10-01")


@pytest.mark.parametrize("case", res002.params())
def test_res002(case):
    run_case(case)
