"""STU002 monthly-study: an organisation that existed the whole month held no ``study`` meeting in it (warning:
一般每月1次)."""

import pytest
from builders import Cases, World, cite, run_case

cases = Cases("STU002", severity="warning")


def org_since(w: World, joined_on: str = "2025-03-01", **kw: object):
    org = w.org("A", **kw)
    org.members(3, joined_on=joined_on)
    return org


@cases("A/2025-04")
def canonical_april_without_study(w):
    org = org_since(w)
    org.study("2025-03-12")
    org.study("2025-05-12")


@cases()
def compliant(w):
    org = org_since(w)
    for d in ("2025-03-01", "2025-04-30", "2025-05-31"):
        org.study(d)


@cases("A/2025-04")
def party_group_meeting_does_not_count(w):
    org = org_since(w)
    org.study("2025-03-12")
    org.meeting("2025-04-12")
    org.study("2025-05-12")


@cases()
def established_mid_month_not_judged(w):
    org = org_since(w, joined_on="2025-03-02")
    org.study("2025-04-12")
    org.study("2025-05-12")


@cases()
def dissolved_on_last_day_not_judged(w):
    org = org_since(w, dissolved_on="2025-05-31")
    org.study("2025-03-12")
    org.study("2025-04-12")


@cases("A/2025-05")
def dissolved_the_day_after_judged(w):
    org = org_since(w, dissolved_on="2025-06-01")
    org.study("2025-03-12")
    org.study("2025-04-12")


@cases(as_of="2025-05-31")
def month_not_complete_not_judged(w):
    org = org_since(w)
    org.study("2025-03-12")
    org.study("2025-04-12")


@cases("A/2025-04", overrides=["STU002.min_per_month=2"])
def min_per_month_two(w):
    org = org_since(w)
    org.study("2025-03-02")
    org.study("2025-03-22")
    org.study("2025-04-12")
    org.study("2025-05-02")
    org.study("2025-05-22")


@cases("A/2025-04", rulebook="wuqia-county-2024", cites=cite("wuqia-county-2024", "第八条（一）"))
def wuqia(w):
    org = org_since(w)
    org.study("2025-03-12")
    org.study("2025-05-12")


@cases(rulebook="chengzhong-hrss-2021")
def not_in_force_under_chengzhong(w):
    org_since(w)


@pytest.mark.parametrize("case", cases.params())
def test_stu002(case):
    run_case(case)
