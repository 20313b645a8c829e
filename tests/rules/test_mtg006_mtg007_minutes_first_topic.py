"""MTG006 minutes-filed (a party_group meeting held by as_of without ``minutes_no``) and MTG007 first-topic (a
party_group meeting with agenda items but none at seq 1 with category ``first_topic``; wuqia only)."""

import pytest
from builders import Cases, cite, run_case

mtg006 = Cases("MTG006", severity="violation")
mtg007 = Cases("MTG007", severity="violation", rulebook="wuqia-county-2024")
D = "2025-03-12"
M = f"A-{D}"


def org(w, rulebook: str | None = None):
    o = w.org("A", rulebook=rulebook)
    o.members(5)
    return o


# -- MTG006 ------------------------------------------------------------------------------------------------
@mtg006(M)
def mtg006_canonical_no_minutes(w):
    org(w).meeting(D, minutes_no=None)


@mtg006()
def mtg006_minutes_filed(w):
    org(w).meeting(D, minutes_no=7)


@mtg006("A-2025-06-01")
def mtg006_held_on_as_of_no_grace(w):
    org(w).meeting("2025-06-01", minutes_no=None)


@mtg006()
def mtg006_meeting_after_as_of_ignored(w):
    org(w).meeting("2025-06-02", minutes_no=None)


@mtg006(M)
def mtg006_is_emergency_meeting_not_exempt(w):
    org(w).meeting(D, minutes_no=None, is_emergency=True)


@mtg006()
def mtg006_other_kinds_not_judged(w):
    o = org(w)
    o.study(D)
    o.meeting("2025-03-13", "secretary_office")
    o.democratic_life("2025-03-14")
    o.emergency_decision("2025-03-15")


@mtg006(M, cites=cite("jiangyin-npc-2017", "第二十七条"))
def mtg006_jiangyin(w):
    org(w, "jiangyin-npc-2017").meeting(D, minutes_no=None)


@mtg006(rulebook="zhacun-town-2018")
def mtg006_not_in_force_under_zhacun(w):
    org(w).meeting(D, minutes_no=None)


@pytest.mark.parametrize("case", mtg006.params())
def test_mtg006(case):
    run_case(case)


# -- MTG007 ------------------------------------------------------------------------------------------------
@mtg007(M, cites=cite("wuqia-county-2024", "第六条（一）"))
def mtg007_canonical_no_first_topic(w):
    org(w).meeting(D, first_topic=False).item("general")


@mtg007()
def mtg007_first_topic_at_seq_one(w):
    org(w).meeting(D).item("general")


@mtg007(M)
def mtg007_first_topic_at_seq_two(w):
    m = org(w).meeting(D, first_topic=False)
    m.item("general")
    m.item("first_topic")


@mtg007(M)
def mtg007_seq_one_of_another_category(w):
    org(w).meeting(D, first_topic=False).item("report", seq=1)


@mtg007()
def mtg007_no_agenda_items_not_judged(w):
    org(w).meeting(D, first_topic=False)


@mtg007()
def mtg007_study_meeting_not_judged(w):
    org(w).study(D).item("general")


@mtg007()
def mtg007_meeting_after_as_of_ignored(w):
    org(w).meeting("2025-06-02", first_topic=False).item("general")


@mtg007(rulebook="standard")
def mtg007_not_in_force_under_standard(w):
    org(w).meeting(D, first_topic=False).item("general")


@mtg007(M, rulebook="standard", enable=["MTG007"])
def mtg007_enabled_under_standard(w):
    org(w).meeting(D, first_topic=False).item("general")


@mtg007(M, rulebook="standard")
def mtg007_org_naming_wuqia_under_standard_default(w):
    org(w, "wuqia-county-2024").meeting(D, first_topic=False).item("general")


@pytest.mark.parametrize("case", mtg007.params())
def test_mtg007(case):
    run_case(case)
