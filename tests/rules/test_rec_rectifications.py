"""The rectification ledger rules: REC001 overdue (open past ``due_on``), REC002 late (closed after ``due_on``,
warning), REC003 measures within ``months`` (1) of ``found_on`` (democratic_life source), REC004 owner and deadline
set, REC005 inspection report within ``days`` (7) (zhacun)."""

import pytest
from builders import Cases, cite, run_case

rec001 = Cases("REC001", severity="violation")
rec002 = Cases("REC002", severity="warning")
rec003 = Cases("REC003", severity="violation")
rec004 = Cases("REC004", severity="violation")
rec005 = Cases("REC005", severity="violation", rulebook="zhacun-town-2018")
R = "A-R1"


def org(w, rulebook: str | None = None):
    o = w.org("A", rulebook=rulebook)
    o.members(3)
    return o


# -- REC001 ------------------------------------------------------------------------------------------------
@rec001(R)
def rec001_canonical_open_past_due(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01")


@rec001()
def rec001_due_on_as_of_still_in_time(w):
    org(w).rectification("2025-02-01", due_on="2025-06-01")


@rec001(R)
def rec001_due_the_day_before_as_of(w):
    org(w).rectification("2025-02-01", due_on="2025-05-31")


@rec001()
def rec001_closed_late_is_rec002(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01", closed_on="2025-05-10")


@rec001(R)
def rec001_closed_after_as_of_reads_open(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01", closed_on="2025-06-10")


@rec001()
def rec001_no_due_date_is_rec004(w):
    org(w).rectification("2025-02-01", due_on=None)


@rec001()
def rec001_found_after_as_of_ignored(w):
    org(w).rectification("2025-06-02", due_on="2025-05-01")


@rec001(R, cites=cite("chengzhong-hrss-2021", "第十四条（四）"))
def rec001_chengzhong(w):
    org(w, "chengzhong-hrss-2021").rectification("2025-02-01", due_on="2025-05-01")


@pytest.mark.parametrize("case", rec001.params())
def test_rec001(case):
    run_case(case)


# -- REC002 ------------------------------------------------------------------------------------------------
@rec002(R)
def rec002_canonical_closed_a_day_late(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01", closed_on="2025-05-02")


@rec002()
def rec002_closed_on_the_due_day(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01", closed_on="2025-05-01")


@rec002()
def rec002_still_open_is_rec001(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01")


@rec002()
def rec002_closed_after_as_of_reads_open(w):
    org(w).rectification("2025-02-01", due_on="2025-05-01", closed_on="2025-06-10")


@rec002()
def rec002_no_due_date(w):
    org(w).rectification("2025-02-01", due_on=None, closed_on="2025-05-02")


@rec002(R, cites=cite("wuqia-county-2024", "第七条（四）"))
def rec002_wuqia(w):
    org(w, "wuqia-county-2024").rectification("2025-02-01", due_on="2025-05-01", closed_on="2025-05-02")


@pytest.mark.parametrize("case", rec002.params())
def test_rec002(case):
    run_case(case)


# -- REC003 ------------------------------------------------------------------------------------------------
def dl_rect(w, found_on, measures_on, source="democratic_life", rulebook=None):
    return org(w, rulebook).rectification(found_on, source, measures_on=measures_on)


@rec003(R)
def rec003_canonical_no_measures(w):
    dl_rect(w, "2025-03-10", None)


@rec003()
def rec003_measures_on_the_month_day(w):
    dl_rect(w, "2025-03-10", "2025-04-10")


@rec003(R)
def rec003_measures_a_day_late(w):
    dl_rect(w, "2025-03-10", "2025-04-11")


@rec003()
def rec003_end_of_january_clamped_to_february(w):
    dl_rect(w, "2025-01-31", "2025-02-28")


@rec003(R)
def rec003_end_of_january_first_of_march_late(w):
    dl_rect(w, "2025-01-31", "2025-03-01")


@rec003()
def rec003_leap_year_clamped_to_29_february(w):
    dl_rect(w, "2024-01-31", "2024-02-29")


@rec003(R)
def rec003_leap_year_first_of_march_late(w):
    dl_rect(w, "2024-01-31", "2024-03-01")


@rec003()
def rec003_end_of_march_clamped_to_30_april(w):
    dl_rect(w, "2025-03-31", "2025-04-30")


@rec003(R)
def rec003_end_of_march_first_of_may_late(w):
    dl_rect(w, "2025-03-31", "2025-05-01")


@rec003(as_of="2025-06-01")
def rec003_deadline_on_as_of_not_judged(w):
    dl_rect(w, "2025-05-01", None)


@rec003(R, as_of="2025-06-02")
def rec003_judged_the_day_after_the_deadline(w):
    dl_rect(w, "2025-05-01", None)


@rec003()
def rec003_inspection_source_not_judged(w):
    dl_rect(w, "2025-03-10", None, source="inspection")


@rec003(overrides=["REC003.months=2"])
def rec003_months_override(w):
    dl_rect(w, "2025-03-10", "2025-05-10")


@rec003(R, severity="violation", cites=cite("zhacun-town-2018", "六"))
def rec003_zhacun(w):
    dl_rect(w, "2025-03-10", None, rulebook="zhacun-town-2018")


@rec003(rulebook="chengzhong-hrss-2021")
def rec003_not_in_force_under_chengzhong(w):
    dl_rect(w, "2025-03-10", None)


@pytest.mark.parametrize("case", rec003.params())
def test_rec003(case):
    run_case(case)


# -- REC004 ------------------------------------------------------------------------------------------------
@rec004(R)
def rec004_canonical_no_owner(w):
    org(w).rectification("2025-03-10", owner=None)


@rec004(R)
def rec004_no_due_date(w):
    org(w).rectification("2025-03-10", due_on=None)


@rec004(R)
def rec004_neither_one_finding(w):
    org(w).rectification("2025-03-10", owner=None, due_on=None)


@rec004()
def rec004_owner_and_due_date(w):
    org(w).rectification("2025-03-10")


@rec004("A-R1")
def rec004_found_on_as_of_no_grace(w):
    org(w).rectification("2025-06-01", owner=None)


@rec004()
def rec004_found_after_as_of_ignored(w):
    org(w).rectification("2025-06-02", owner=None)


@rec004(R, cites=cite("chengzhong-hrss-2021", "第十四条（四）"))
def rec004_chengzhong(w):
    org(w, "chengzhong-hrss-2021").rectification("2025-03-10", owner=None)


@rec004(rulebook="wuqia-county-2024")
def rec004_not_in_force_under_wuqia(w):
    org(w).rectification("2025-03-10", owner=None)


@pytest.mark.parametrize("case", rec004.params())
def test_rec004(case):
    run_case(case)


# -- REC005 ------------------------------------------------------------------------------------------------
def inspection(w, found_on, report_on, source="inspection"):
    return org(w).rectification(found_on, source, report_on=report_on)


@rec005(R, cites=cite("zhacun-town-2018", "五"))
def rec005_canonical_no_report(w):
    inspection(w, "2025-03-10", None)


@rec005()
def rec005_report_on_day_seven(w):
    inspection(w, "2025-03-10", "2025-03-17")


@rec005(R)
def rec005_report_on_day_eight(w):
    inspection(w, "2025-03-10", "2025-03-18")


@rec005(as_of="2025-06-01")
def rec005_deadline_on_as_of_not_judged(w):
    inspection(w, "2025-05-25", None)


@rec005(R, as_of="2025-06-02")
def rec005_judged_the_day_after_the_deadline(w):
    inspection(w, "2025-05-25", None)


@rec005(R)
def rec005_report_after_as_of_reads_empty(w):
    inspection(w, "2025-05-20", "2025-06-05")


@rec005()
def rec005_other_sources_not_judged(w):
    inspection(w, "2025-03-10", None, source="democratic_life")
    w.orgs["A"].rectification("2025-03-10", "audit", report_on=None)


@rec005(overrides=["REC005.days=10"])
def rec005_days_override(w):
    inspection(w, "2025-03-10", "2025-03-20")


@rec005(rulebook="standard")
def rec005_not_in_force_under_standard(w):
    inspection(w, "2025-03-10", None)


@pytest.mark.parametrize("case", rec005.params())
def test_rec005(case):
    run_case(case)
