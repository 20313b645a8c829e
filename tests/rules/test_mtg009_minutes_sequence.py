"""MTG009 minutes-sequence: in a complete org-year the minutes numbers (>0) of the organisation's meetings of any
kind are not exactly 1..max: each missing n is ``org/YYYY/#n``; each meeting sharing its number is a finding.
Zhacun only, where its severity is warning."""

import pytest
from builders import Cases, cite, run_case

cases = Cases("MTG009", severity="warning", rulebook="zhacun-town-2018")


def numbered(w, *numbers: int | None, year: int = 2024, kind: str = "party_group"):
    """One meeting per number, on successive days from 1 March of ``year``."""
    o = w.orgs.get("A") or w.org("A")
    if not o.member_list:
        o.members(3, joined_on="2020-01-01")
    return [o.meeting(f"{year}-03-{i + 1:02d}", kind, minutes_no=n) for i, n in enumerate(numbers)]


@cases("A/2024/#3", cites=cite("zhacun-town-2018", "第九条"))
def canonical_gap(w):
    numbered(w, 1, 2, 4)


@cases()
def complete_sequence(w):
    numbered(w, 1, 2, 3, 4)


@cases("A-2024-03-02", "A-2024-03-03")
def duplicate_number(w):
    numbered(w, 1, 2, 2, 3)


@cases("A/2024/#2", "A/2024/#4", "A-2024-03-02", "A-2024-03-03")
def gaps_and_a_duplicate(w):
    numbered(w, 1, 3, 3, 5)


@cases("A-2024-03-01", "A-2024-03-02", "A-2024-03-03")
def three_meetings_sharing_a_number(w):
    numbered(w, 1, 1, 1, 2)


@cases("A/2024/#1")
def sequence_not_starting_at_one(w):
    numbered(w, 2, 3)


@cases("A/2024/#10", "A/2024/#11")
def two_digit_numbers_unpadded(w):
    numbered(w, *range(1, 10), 12)


@cases()
def meetings_without_minutes_ignored(w):
    numbered(w, 1, None, 2, None)


@cases()
def zero_is_not_a_minutes_number(w):
    numbered(w, 0, 1, 2)


@cases()
def any_kind_counts_in_the_sequence(w):
    numbered(w, 1)
    o = w.orgs["A"]
    o.study("2024-04-01", minutes_no=2)
    o.meeting("2024-04-02", "secretary_office", minutes_no=3)
    o.emergency_decision("2024-04-03", minutes_no=4)
    o.meeting("2024-04-04", minutes_no=5)


@cases()
def numbering_restarts_each_year(w):
    numbered(w, 1, 2, year=2023)
    numbered(w, 1, 2, year=2024)


@cases()
def year_not_complete_not_judged(w):
    numbered(w, 1, 3, year=2025)


@cases(as_of="2024-12-31")
def year_ending_on_as_of_not_judged(w):
    numbered(w, 1, 3)


@cases("A/2024/#2", as_of="2025-01-01")
def year_judged_the_day_after_it_ends(w):
    numbered(w, 1, 3)


@cases()
def organisations_number_apart(w):
    numbered(w, 1, 2)
    b = w.org("B")
    b.members(3, joined_on="2020-01-01")
    b.meeting("2024-03-01", minutes_no=1)


@cases(rulebook="standard")
def not_in_force_under_standard(w):
    numbered(w, 1, 3)


@cases("A/2024/#2", rulebook="standard", enable=["MTG009"], severity="violation")
def enabled_under_standard_with_its_default_severity(w):
    numbered(w, 1, 3)


@pytest.mark.parametrize("case", cases.params())
def test_mtg009(case):
    run_case(case)
