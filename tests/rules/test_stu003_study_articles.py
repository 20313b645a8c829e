"""STU003 study-articles: a whole-year member wrote fewer than ``min_per_year`` (4) ``study_article`` activities
(quantities add up). Wuqia only."""

import pytest
from builders import Cases, cite, run_case

cases = Cases("STU003", severity="violation", rulebook="wuqia-county-2024")


def articles(o, member, *quantities, year: int = 2024, kind: str = "study_article"):
    for i, q in enumerate(quantities):
        o.activity(member, kind, f"{year}-{i + 1:02d}-15", quantity=q)


def org(w):
    o = w.org("A")
    ms = o.members(2)
    articles(o, ms[0], None, None, None, None)
    return o, ms


@cases("A2/2024", cites=cite("wuqia-county-2024", "第八条（三）"))
def canonical_three_articles(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None)


@cases()
def four_articles(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)


@cases()
def quantities_add_up(w):
    o, ms = org(w)
    articles(o, ms[1], 3, 1)


@cases("A2/2024")
def quantities_just_short(w):
    o, ms = org(w)
    articles(o, ms[1], 2, 1)


@cases("A2/2024")
def other_kinds_do_not_count(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None, kind="research_report")


@cases("A2/2024")
def articles_of_another_year_do_not_count(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None, year=2023)


@cases()
def joined_mid_year_not_a_whole_year_member(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)
    o.member(joined_on="2024-01-02")


@cases("A3/2024")
def joined_on_first_of_january_is_whole_year(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)
    o.member(joined_on="2024-01-01")


@cases()
def left_on_thirty_first_of_december_not_whole_year(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)
    o.member(left_on="2024-12-31")


@cases("A3/2024")
def left_on_first_of_january_after_is_whole_year(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)
    o.member(left_on="2025-01-01")


@cases()
def two_spells_of_one_person_neither_whole_year(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)
    o.member(left_on="2024-07-01", person_key="X")
    o.member(joined_on="2024-07-01", person_key="X")


@cases()
def year_not_complete_not_judged(w):
    o, ms = org(w)
    articles(o, ms[1], None, None, None, None)
    articles(o, ms[0], None, year=2025)


@cases(rulebook="standard")
def not_in_force_under_standard(w):
    org(w)


@pytest.mark.parametrize("case", cases.params())
def test_stu003(case):
    run_case(case)
