"""RPT001 annual-report: the organisation existed the whole year Y and no ``annual_work`` report covering Y was
submitted by the due date (``due`` 03-31 of Y+1); judged once the due date is before as_of.

A report covers ``period_year``, else the year before ``submitted_on`` when submitted on or before that year's
due date, else the year of ``submitted_on``.
"""

import pytest
from builders import Cases, cite, run_case

cases = Cases("RPT001", severity="violation")


def org(w, joined_on="2024-01-01", **kw):
    o = w.org("A", **kw)
    o.members(3, joined_on=joined_on)
    return o


@cases("A/2024")
def canonical_no_report(w):
    org(w)


@cases()
def report_on_the_due_day(w):
    org(w).annual_report("2025-03-31", period_year=2024)


@cases("A/2024")
def report_the_day_after_the_due_day(w):
    org(w).annual_report("2025-04-01", period_year=2024)


@cases()
def no_period_year_early_next_year_covers_the_year_before(w):
    org(w).annual_report("2025-02-15")


@cases("A/2024")
def no_period_year_after_the_due_day_covers_its_own_year(w):
    org(w).annual_report("2025-04-01")


@cases()
def no_period_year_late_in_the_year_covers_that_year(w):
    org(w).annual_report("2024-12-20")


@cases("A/2024")
def period_year_wins_over_the_submission_date(w):
    org(w).annual_report("2025-02-15", period_year=2025)


@cases("A/2024")
def other_report_kinds_do_not_count(w):
    org(w).report("democratic_life_report", "2025-02-15", period_year=2024)


@cases("A/2024")
def another_organisations_report_does_not_count(w):
    org(w)
    b = w.org("B")
    b.members(3, joined_on="2024-01-01")
    b.annual_report("2025-02-15", period_year=2024)


@cases(as_of="2025-03-31")
def due_day_is_as_of_not_judged(w):
    org(w)


@cases("A/2024", as_of="2025-04-01")
def judged_the_day_after_the_due_day(w):
    org(w)


@cases()
def established_mid_year_not_judged(w):
    org(w, joined_on="2024-01-02")


@cases()
def dissolved_on_last_day_not_judged(w):
    org(w, dissolved_on="2024-12-31")


@cases("A/2023")
def each_whole_year_judged(w):
    o = org(w, joined_on="2023-01-01")
    o.annual_report("2025-01-10", period_year=2024)


@cases(as_of="2025-07-01", overrides=["RPT001.due=06-30"])
def due_override_later(w):
    org(w).annual_report("2025-06-30", period_year=2024)


@cases("A/2024", as_of="2025-07-01", overrides=["RPT001.due=06-30"])
def due_override_no_period_year_after_due(w):
    # Submitted 1 July, after the 30 June due date: it covers 2025.
    org(w).annual_report("2025-07-01")


@cases("A/2024", cites=cite("wuqia-county-2024", "第五条（三）"))
def wuqia(w):
    org(w, rulebook="wuqia-county-2024")


@cases(rulebook="chengzhong-hrss-2021")
def not_in_force_under_chengzhong(w):
    org(w)


@pytest.mark.parametrize("case", cases.params())
def test_rpt001(case):
    run_case(case)
