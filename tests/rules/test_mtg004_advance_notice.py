"""MTG004 advance-notice: a party_group meeting (not is_emergency, no item in ``exempt_categories``) without a
notice, or with fewer than ``min_days`` days d (working days under ``working_days``) with notice <= d < held_on.
"""

import pytest
from builders import Cases, cite, run_case

cases = Cases("MTG004", severity="violation")
MON = "2025-03-10"  # a Monday
M = f"A-{MON}"
ZHACUN = "zhacun-town-2018"


def org(w, rulebook: str | None = None):
    o = w.org("A", rulebook=rulebook)
    o.members(5)
    return o


@cases(M)
def canonical_no_notice(w):
    org(w).meeting(MON, notice_sent_on=None)


@cases()
def notice_the_day_before(w):
    org(w).meeting(MON, notice_sent_on="2025-03-09")


@cases(M)
def notice_on_the_day_itself(w):
    org(w).meeting(MON, notice_sent_on=MON)


@cases(M)
def notice_after_the_meeting(w):
    org(w).meeting(MON, notice_sent_on="2025-03-11")


@cases(M, overrides=["MTG004.min_days=2"])
def min_days_two_one_day_short(w):
    org(w).meeting(MON, notice_sent_on="2025-03-09")


@cases(overrides=["MTG004.min_days=2"])
def min_days_two_met(w):
    org(w).meeting(MON, notice_sent_on="2025-03-08")


@cases()
def is_emergency_exempt(w):
    org(w).meeting(MON, notice_sent_on=None, is_emergency=True)


@cases(M)
def personnel_item_not_exempt_by_default(w):
    org(w).meeting(MON, notice_sent_on=None).item("personnel")


@cases()
def study_meeting_not_judged(w):
    org(w).study(MON, notice_sent_on=None)


@cases()
def meeting_after_as_of_ignored(w):
    org(w).meeting("2025-06-02", notice_sent_on=None)


@cases(M, severity="warning", cites=cite(ZHACUN, "第七条"))
def zhacun_saturday_notice_for_monday_meeting(w):
    # Working days: Saturday and Sunday are no working day before Monday.
    org(w, ZHACUN).meeting(MON, notice_sent_on="2025-03-08")


@cases(severity="warning")
def zhacun_friday_notice_for_monday_meeting(w):
    org(w, ZHACUN).meeting(MON, notice_sent_on="2025-03-07")


@cases(M, severity="warning")
def zhacun_sunday_notice_for_monday_meeting(w):
    org(w, ZHACUN).meeting(MON, notice_sent_on="2025-03-09")


@cases()
def zhacun_personnel_item_exempt(w):
    org(w, ZHACUN).meeting(MON, notice_sent_on=None).item("personnel")


@cases(M, severity="warning")
def zhacun_other_item_not_exempt(w):
    org(w, ZHACUN).meeting(MON, notice_sent_on=None).item("major_decision")


@cases(severity="warning")
def zhacun_saturday_notice_for_tuesday_meeting(w):
    # Saturday, Sunday, Monday before a Tuesday: Monday is a working day.
    org(w, ZHACUN).meeting("2025-03-11", notice_sent_on="2025-03-08")


@cases(M, severity="warning", overrides=["MTG004.min_days=2"])
def zhacun_two_working_days_friday_notice_short(w):
    org(w, ZHACUN).meeting(MON, notice_sent_on="2025-03-07")


@cases(severity="warning", overrides=["MTG004.min_days=2"])
def zhacun_two_working_days_thursday_notice(w):
    org(w, ZHACUN).meeting(MON, notice_sent_on="2025-03-06")


@cases(M, overrides=["MTG004.working_days=true"])
def working_days_override_under_standard(w):
    org(w).meeting(MON, notice_sent_on="2025-03-08")


@cases(M, overrides=["MTG004.exempt_categories=personnel", "MTG004.working_days=true"])
def exemption_override_other_meeting_still_flagged(w):
    o = org(w)
    o.meeting("2025-03-12", notice_sent_on=None).item("personnel")
    o.meeting(MON, notice_sent_on="2025-03-08")


@cases(M, cites=cite("xx-district-office-2023", "第二十一条"))
def xx_district_no_notice(w):
    org(w, "xx-district-office-2023").meeting(MON, notice_sent_on=None)


@cases(rulebook="jiangyin-npc-2017")
def not_in_force_under_jiangyin(w):
    org(w).meeting(MON, notice_sent_on=None)


@pytest.mark.parametrize("case", cases.params())
def test_mtg004(case):
    run_case(case)
