"""The voting rules: VOT001 majority (yes of entitled(item), 1/2 exclusive), VOT002 absent votes, VOT003 decided
without votes or tally, VOT004 recused member voted, VOT005 chair speaks last, VOT006 close vote (warning),
VOT007 personnel secret ballot (zhacun, warning).

Yes and no (VOT001/VOT006): per-member votes of members present and not recused when any exist, else the tally.
"""

import pytest
from builders import Cases, cite, run_case

vot001 = Cases("VOT001", severity="violation")
vot002 = Cases("VOT002", severity="violation")
vot003 = Cases("VOT003", severity="violation")
vot004 = Cases("VOT004", severity="violation")
vot005 = Cases("VOT005", severity="violation")
vot006 = Cases("VOT006", severity="warning")
vot007 = Cases("VOT007", severity="warning", rulebook="zhacun-town-2018")
D = "2025-03-12"
ITEM = f"A-{D}#2"  # the first_topic item is #1


def meeting(w, n: int = 10, rulebook: str | None = None, **kw):
    o = w.org("A", rulebook=rulebook)
    o.members(n)
    return o.meeting(D, **kw)


# -- VOT001 ------------------------------------------------------------------------------------------------
@vot001(ITEM)
def vot001_canonical_four_yes_of_ten(w):
    m = meeting(w)
    m.item(decision="passed", yes=4, no=0)


@vot001(ITEM)
def vot001_exactly_half_exclusive_not_met(w):
    m = meeting(w)
    m.item(decision="passed", yes=5, no=0)


@vot001()
def vot001_just_over_half(w):
    m = meeting(w)
    m.item(decision="passed", yes=6, no=4)


@vot001(overrides=["VOT001.inclusive=true"])
def vot001_exactly_half_inclusive_met(w):
    m = meeting(w)
    m.item(decision="passed", yes=5, no=0)


@vot001(ITEM, overrides=["VOT001.share=2/3"])
def vot001_share_two_thirds_exclusive(w):
    m = meeting(w, 9)
    m.item(decision="passed", yes=6, no=0)


@vot001()
def vot001_recusal_lowers_entitled(w):
    # 10 rostered, 1 recused: entitled 9, 5 yes > 4.5.
    m = meeting(w)
    ms = m.members
    m.item(decision="passed", yes=5, no=0).recuse(ms[9])


@vot001()
def vot001_absent_members_count_in_entitled_not_in_yes(w):
    # Only 6 present, all yes: 6 of 10 entitled.
    m = meeting(w, present=6)
    m.item(decision="passed")


@vot001(ITEM)
def vot001_recusal_of_a_member_off_the_roster_lowers_nothing(w):
    # entitled(item) counts rostered members not recused: a former member's recusal row leaves it at 10.
    m = meeting(w)
    former = w.orgs["A"].member(joined_on="2020-01-01", left_on="2025-01-01")
    m.item(decision="passed", yes=5, no=0).recuse(former)


@vot001(ITEM)
def vot001_per_member_votes_win_over_tally(w):
    m = meeting(w)
    ms = m.members
    m.item(decision="passed", yes=8, no=0).cast(yes=ms[:4], no=ms[4:6])


@vot001()
def vot001_per_member_votes_met_despite_tally(w):
    m = meeting(w)
    ms = m.members
    m.item(decision="passed", yes=2, no=0).cast(yes=ms[:6])


@vot001(ITEM)
def vot001_absent_members_vote_not_counted_as_yes(w):
    # 5 present yes + 1 absent yes: 5 yes, exactly half, not more.
    m = meeting(w, present=5)
    ms = m.members
    m.item(decision="passed").cast(yes=ms[:6])


@vot001(ITEM)
def vot001_recused_members_vote_not_counted_as_yes(w):
    # entitled 9; 4 yes + the recused member's yes: 4·2 > 9 fails.
    m = meeting(w)
    ms = m.members
    m.item(decision="passed").cast(yes=[*ms[:4], ms[9]]).recuse(ms[9])


@vot001()
def vot001_all_recused_not_judged(w):
    m = meeting(w, 3)
    ms = m.members
    item = m.item(decision="passed", yes=0, no=0)
    for member in ms:
        item.recuse(member)


@vot001(ITEM)
def vot001_is_emergency_meeting_still_judged(w):
    m = meeting(w, is_emergency=True)
    m.item(decision="passed", yes=5, no=0)


@vot001()
def vot001_rejected_not_judged(w):
    m = meeting(w)
    m.item(decision="rejected", yes=2, no=8)


@vot001()
def vot001_no_votes_nor_tally_is_vot003(w):
    m = meeting(w)
    m.item(decision="passed", yes=None, no=None, abstain=None)


@vot001()
def vot001_emergency_decision_items_not_judged(w):
    o = w.org("A")
    o.members(10)
    o.emergency_decision(D).item(decision="passed", yes=1, no=0)


@vot001()
def vot001_meeting_after_as_of_ignored(w):
    o = w.org("A")
    o.members(10)
    o.meeting("2025-06-02").item(decision="passed", yes=1, no=0)


@vot001(ITEM, cites=cite("jiangyin-npc-2017", "第二十四条"))
def vot001_jiangyin(w):
    m = meeting(w, rulebook="jiangyin-npc-2017")
    m.item(decision="passed", yes=5, no=0)


@pytest.mark.parametrize("case", vot001.params())
def test_vot001(case):
    run_case(case)


# -- VOT002 ------------------------------------------------------------------------------------------------
@vot002(f"{ITEM}/A3")
def vot002_canonical_absent_member_voted(w):
    m = meeting(w)
    ms = m.members
    m.attend(ms[2], "absent")
    m.item(decision="passed").cast(yes=ms)


@vot002(f"{ITEM}/A3")
def vot002_member_on_leave_voted(w):
    m = meeting(w)
    ms = m.members
    m.attend(ms[2], "leave")
    m.item(decision="passed").cast(yes=ms)


@vot002(f"{ITEM}/A3")
def vot002_unrecorded_member_voted(w):
    m = meeting(w)
    ms = m.members
    m.unrecord(ms[2])
    m.item(decision="passed").cast(yes=ms)


@vot002(f"{ITEM}/A3")
def vot002_written_opinion_is_not_a_vote(w):
    m = meeting(w)
    ms = m.members
    m.attend(ms[2], "absent", written_opinion=True)
    m.item(decision="passed").cast(yes=ms)


@vot002()
def vot002_present_members_voted(w):
    m = meeting(w)
    ms = m.members
    m.attend(ms[2], "absent")
    m.item(decision="passed").cast(yes=[x for x in ms if x is not ms[2]])


@vot002()
def vot002_emergency_decision_items_not_judged(w):
    o = w.org("A")
    ms = o.members(3)
    o.emergency_decision(D).item(decision="passed").cast(yes=ms)


@vot002(f"{ITEM}/A3", cites=cite("wuqia-county-2024", "第六条（五）"))
def vot002_wuqia(w):
    m = meeting(w, rulebook="wuqia-county-2024")
    ms = m.members
    m.attend(ms[2], "absent")
    m.item(decision="passed").cast(yes=ms)


@pytest.mark.parametrize("case", vot002.params())
def test_vot002(case):
    run_case(case)


# -- VOT003 ------------------------------------------------------------------------------------------------
@vot003(ITEM)
def vot003_canonical_passed_without_votes(w):
    m = meeting(w)
    m.item(decision="passed", yes=None, no=None, abstain=None)


@vot003(ITEM)
def vot003_rejected_without_votes(w):
    m = meeting(w)
    m.item(decision="rejected", yes=None, no=None, abstain=None)


@vot003()
def vot003_deferred_or_none_not_decided(w):
    m = meeting(w)
    m.item(decision="deferred")
    m.item(decision="none")
    m.item()


@vot003()
def vot003_tally(w):
    m = meeting(w)
    m.item(decision="passed", yes=10, no=0)


@vot003()
def vot003_per_member_votes(w):
    m = meeting(w)
    ms = m.members
    m.item(decision="passed").cast(yes=ms)


@vot003()
def vot003_emergency_decision_items_not_judged(w):
    o = w.org("A")
    o.members(3)
    o.emergency_decision(D).item(decision="passed", yes=None, no=None, abstain=None)


@vot003(ITEM, cites=cite("xx-district-office-2023", "第二十一条（四）"))
def vot003_xx_district(w):
    m = meeting(w, rulebook="xx-district-office-2023")
    m.item(decision="passed", yes=None, no=None, abstain=None)


@pytest.mark.parametrize("case", vot003.params())
def test_vot003(case):
    run_case(case)


# -- VOT004 ------------------------------------------------------------------------------------------------
@vot004(f"{ITEM}/A10")
def vot004_canonical_recused_member_voted(w):
    m = meeting(w)
    ms = m.members
    m.item(decision="passed").cast(yes=ms).recuse(ms[9])


@vot004()
def vot004_recused_member_did_not_vote(w):
    m = meeting(w)
    ms = m.members
    m.item(decision="passed").cast(yes=ms[:9]).recuse(ms[9])


@vot004()
def vot004_recused_from_another_item(w):
    m = meeting(w)
    ms = m.members
    m.item(decision="passed").cast(yes=ms)
    m.item(decision="passed").cast(yes=ms[:9]).recuse(ms[9])


@vot004()
def vot004_emergency_decision_items_not_judged(w):
    o = w.org("A")
    ms = o.members(3)
    o.emergency_decision(D).item(decision="passed").cast(yes=ms).recuse(ms[2])


@vot004(f"{ITEM}/A3", cites=cite("chengzhong-hrss-2021", "第十三条（三）"))
def vot004_chengzhong(w):
    m = meeting(w, rulebook="chengzhong-hrss-2021")
    ms = m.members
    m.item(decision="passed").cast(yes=ms).recuse(ms[2])


@pytest.mark.parametrize("case", vot004.params())
def test_vot004(case):
    run_case(case)


def test_vot002_vot004_absent_and_recused_member_gets_both():
    from builders import World, assert_rule_findings, rule_findings

    w = World()
    m = meeting(w)
    ms = m.members
    m.attend(ms[9], "absent")
    m.item(decision="passed").cast(yes=ms).recuse(ms[9])
    findings = w.check()
    assert_rule_findings(rule_findings(findings, "VOT002"), {f"{ITEM}/A10"}, severity="violation")
    assert_rule_findings(rule_findings(findings, "VOT004"), {f"{ITEM}/A10"}, severity="violation")


# -- VOT005 ------------------------------------------------------------------------------------------------
def ordered(w, chair_order, others, rulebook=None, chair=True):
    m = meeting(w, 4, rulebook=rulebook, **({} if chair else {"chair": None}))
    ms = m.members
    item = m.item(decision="passed")
    item.vote(ms[0], "yes", chair_order)  # A1, the secretary, chairs
    for member, order in zip(ms[1:], others, strict=False):
        item.vote(member, "yes", order)
    return item


@vot005(ITEM)
def vot005_canonical_chair_speaks_first(w):
    ordered(w, 1, [2, 3, 4])


@vot005()
def vot005_chair_speaks_last(w):
    ordered(w, 4, [1, 2, 3])


@vot005()
def vot005_tie_with_the_last_is_not_strictly_greater(w):
    ordered(w, 3, [1, 2, 3])


@vot005()
def vot005_chair_vote_without_order(w):
    ordered(w, None, [1, 2, 3])


@vot005()
def vot005_others_without_order(w):
    ordered(w, 2, [1, None, None])


@vot005()
def vot005_chair_did_not_vote(w):
    m = meeting(w, 4)
    ms = m.members
    item = m.item(decision="passed")
    for i, member in enumerate(ms[1:], start=1):
        item.vote(member, "yes", i)


@vot005()
def vot005_meeting_without_chair(w):
    ordered(w, 1, [2, 3, 4], chair=False)


@vot005(ITEM)
def vot005_any_vote_counts_even_an_absent_members(w):
    item = ordered(w, 3, [1, 2])
    item.meeting.attend(w.orgs["A"].member_list[3], "absent")
    item.vote(w.orgs["A"].member_list[3], "yes", 4)


@vot005()
def vot005_emergency_decision_items_not_judged(w):
    o = w.org("A")
    ms = o.members(3)
    item = o.emergency_decision(D, chair=ms[0]).item(decision="passed")
    item.vote(ms[0], "yes", 1).vote(ms[1], "yes", 2)


@vot005(ITEM)
def vot005_the_chair_is_the_meetings_chair_not_the_secretary(w):
    m = meeting(w, 4, chair=None)
    ms = m.members
    m.row["chair_id"] = ms[1].id  # A2 presides
    item = m.item(decision="passed")
    item.vote(ms[1], "yes", 1).vote(ms[0], "yes", 2)


@vot005()
def vot005_a_chair_other_than_the_secretary_speaks_last(w):
    m = meeting(w, 4, chair=None)
    ms = m.members
    m.row["chair_id"] = ms[1].id
    item = m.item(decision="passed")
    item.vote(ms[0], "yes", 1).vote(ms[1], "yes", 2)


@vot005(ITEM, cites=cite("zhacun-town-2018", "第七条（三）"))
def vot005_zhacun(w):
    ordered(w, 1, [2, 3, 4], rulebook="zhacun-town-2018")


@pytest.mark.parametrize("case", vot005.params())
def test_vot005(case):
    run_case(case)


# -- VOT006 ------------------------------------------------------------------------------------------------
@vot006(ITEM)
def vot006_canonical_five_to_four(w):
    m = meeting(w)
    m.item(decision="passed", yes=5, no=4)


@vot006()
def vot006_margin_two(w):
    m = meeting(w)
    m.item(decision="passed", yes=6, no=4)


@vot006(ITEM)
def vot006_one_to_nothing_is_at_most_the_margin(w):
    m = meeting(w, 2)
    m.item(decision="passed", yes=1)


@vot006(ITEM, overrides=["VOT006.margin=2"])
def vot006_margin_override(w):
    m = meeting(w)
    m.item(decision="passed", yes=6, no=4)


@vot006()
def vot006_is_emergency_exempt(w):
    m = meeting(w, is_emergency=True)
    m.item(decision="passed", yes=5, no=4)


@vot006()
def vot006_rejected_not_judged(w):
    m = meeting(w)
    m.item(decision="rejected", yes=4, no=5)


@vot006()
def vot006_no_votes_nor_tally(w):
    m = meeting(w)
    m.item(decision="passed", yes=None, no=None, abstain=None)


@vot006()
def vot006_absent_members_no_votes_not_counted(w):
    # Present: 5 yes, 3 no; the 2 absent members' no votes count for nothing: margin 2.
    m = meeting(w, present=8)
    ms = m.members
    m.item(decision="passed").cast(yes=ms[:5], no=ms[5:])


@vot006(ITEM)
def vot006_recused_members_yes_vote_not_counted(w):
    # Present and not recused: 4 yes, 3 no; the recused member's yes would make the margin 2.
    m = meeting(w)
    ms = m.members
    m.item(decision="passed").cast(yes=ms[:5], no=ms[5:8]).recuse(ms[4])


@vot006()
def vot006_emergency_decision_items_not_judged(w):
    o = w.org("A")
    o.members(10)
    o.emergency_decision(D).item(decision="passed", yes=5, no=4)


@vot006(ITEM, cites=cite("zhacun-town-2018", "第七条（四）"))
def vot006_zhacun(w):
    m = meeting(w, rulebook="zhacun-town-2018")
    m.item(decision="passed", yes=5, no=4)


@vot006(rulebook="wuqia-county-2024")
def vot006_not_in_force_under_wuqia(w):
    m = meeting(w)
    m.item(decision="passed", yes=5, no=4)


@pytest.mark.parametrize("case", vot006.params())
def test_vot006(case):
    run_case(case)


# -- VOT007 ------------------------------------------------------------------------------------------------
@vot007(ITEM, cites=cite("zhacun-town-2018", "第七条（四）"))
def vot007_canonical_show_of_hands(w):
    m = meeting(w)
    m.item("personnel", decision="passed", vote_method="show_of_hands")


@vot007(ITEM)
def vot007_no_vote_method(w):
    m = meeting(w)
    m.item("personnel", decision="passed", vote_method=None)


@vot007(ITEM)
def vot007_rejected_by_named_ballot(w):
    m = meeting(w)
    m.item("personnel", decision="rejected", vote_method="named_ballot")


@vot007()
def vot007_secret_ballot(w):
    m = meeting(w)
    m.item("personnel", decision="passed", vote_method="secret_ballot")


@vot007()
def vot007_not_decided(w):
    m = meeting(w)
    m.item("personnel", decision="deferred", vote_method=None)


@vot007()
def vot007_other_category(w):
    m = meeting(w)
    m.item("major_decision", decision="passed", vote_method="show_of_hands")


@vot007()
def vot007_emergency_decision_items_not_judged(w):
    o = w.org("A")
    o.members(10)
    o.emergency_decision(D).item("personnel", decision="passed", vote_method="oral")


@vot007(rulebook="standard")
def vot007_not_in_force_under_standard(w):
    m = meeting(w)
    m.item("personnel", decision="passed", vote_method="show_of_hands")


@pytest.mark.parametrize("case", vot007.params())
def test_vot007(case):
    run_case(case)
