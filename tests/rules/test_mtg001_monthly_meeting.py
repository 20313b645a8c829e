"""MTG001 monthly-meeting: an organisation that existed the whole month held no party_group meeting in it.

Org-month subjects ``org/YYYY-MM``; only whole months of existence are judged, and only once complete before as_of.
"""

import pytest
from builders import Cases, World, cite, run_case

cases = Cases("MTG001", severity="violation")


def org_since(w: World, joined_on: str = "2025-03-01", **kw: object):
    org = w.org("A", **kw)
    org.members(3, joined_on=joined_on)
    return org


@cases("A/2025-04")
def canonical_april_without_meeting(w):
    org = org_since(w)
    org.meeting("2025-03-12")
    org.meeting("2025-05-12")


@cases()
def compliant_one_each_month(w):
    org = org_since(w)
    for d in ("2025-03-31", "2025-04-01", "2025-05-20"):
        org.meeting(d)


@cases("A/2025-03", "A/2025-04", "A/2025-05")
def no_meetings_at_all(w):
    org_since(w)


@cases(as_of="2025-05-31")
def month_ending_on_as_of_not_judged(w):
    # May's last day is as_of itself: the month is not complete before as_of.
    org = org_since(w)
    org.meeting("2025-03-12")
    org.meeting("2025-04-12")


@cases("A/2025-05", as_of="2025-06-01")
def month_judged_the_day_after_it_ends(w):
    org = org_since(w)
    org.meeting("2025-03-12")
    org.meeting("2025-04-12")


@cases()
def established_mid_month_first_month_not_judged(w):
    org = org_since(w, joined_on="2025-03-15")
    org.meeting("2025-04-12")
    org.meeting("2025-05-12")


@cases("A/2025-03")
def established_on_first_day_month_judged(w):
    org = org_since(w, joined_on="2025-03-01")
    org.meeting("2025-04-12")
    org.meeting("2025-05-12")


@cases()
def explicit_established_on_wins_over_earlier_members(w):
    # Members joined in January, but the organisation was established on 2 March: Jan, Feb, Mar not whole months.
    org = org_since(w, joined_on="2025-01-01", established_on="2025-03-02")
    org.meeting("2025-04-12")
    org.meeting("2025-05-12")


@cases("A/2025-03")
def established_by_earliest_other_record(w):
    # A report submitted 20 February is the earliest record: March is a whole month of existence.
    org = org_since(w, joined_on="2025-03-10")
    org.annual_report("2025-02-20", period_year=2024)
    org.meeting("2025-04-12")
    org.meeting("2025-05-12")


@cases("A/2025-04")
def dissolved_after_the_month_month_judged(w):
    org = org_since(w, dissolved_on="2025-05-01")
    org.meeting("2025-03-12")


@cases()
def dissolved_on_last_day_month_not_judged(w):
    org = org_since(w, dissolved_on="2025-04-30")
    org.meeting("2025-03-12")


@cases("A/2025-04")
def only_a_study_meeting_does_not_count(w):
    org = org_since(w)
    org.meeting("2025-03-12")
    org.study("2025-04-12")
    org.meeting("2025-05-12")


@cases("A/2025-04")
def secretary_office_meeting_does_not_count(w):
    org = org_since(w)
    org.meeting("2025-03-12")
    org.meeting("2025-04-12", "secretary_office")
    org.meeting("2025-05-12")


@cases()
def emergency_meeting_counts(w):
    org = org_since(w)
    org.meeting("2025-03-12")
    org.meeting("2025-04-12", is_emergency=True)
    org.meeting("2025-05-12")


@cases("A/2025-03", "A/2025-05", overrides=["MTG001.min_per_month=2"])
def min_per_month_two(w):
    org = org_since(w)
    org.meeting("2025-03-12")
    org.meeting("2025-04-02")
    org.meeting("2025-04-22")
    org.meeting("2025-05-12")


@cases("B/2025-04")
def each_organisation_judged_on_its_own(w):
    a = org_since(w)
    b = w.org("B")
    b.members(3, joined_on="2025-03-01")
    for d in ("2025-03-12", "2025-04-12", "2025-05-12"):
        a.meeting(d)
    b.meeting("2025-03-12")
    b.meeting("2025-05-12")


@cases(rulebook="zhacun-town-2018")
def not_in_force_under_zhacun(w):
    org_since(w)


@cases("A/2025-04", cites=cite("wuqia-county-2024", "第六条（二）"))
def org_under_wuqia_cites_its_article(w):
    org = org_since(w, rulebook="wuqia-county-2024")
    org.meeting("2025-03-12")
    org.meeting("2025-05-12")


@cases(disable=["MTG001"])
def disabled(w):
    org_since(w)


@pytest.mark.parametrize("case", cases.params())
def test_mtg001(case):
    run_case(case)
