"""ATT001 leave-requested: a rostered member's attendance row says ``absent`` (no leave asked) at a meeting of a kind
in ``kinds`` (party_group, study, democratic_life); leave and unrecorded are not flagged here."""

import pytest
from builders import Cases, cite, run_case

cases = Cases("ATT001", severity="violation")
D = "2025-03-12"


def org(w, rulebook: str | None = None):
    o = w.org("A", rulebook=rulebook)
    return o, o.members(5)


@cases(f"A-{D}/A3")
def canonical_absent_at_party_group(w):
    o, ms = org(w)
    o.meeting(D, absent=[ms[2]])


@cases()
def leave_asked(w):
    o, ms = org(w)
    o.meeting(D, leave=[ms[2]])


@cases()
def unrecorded_is_dq001_not_att001(w):
    o, ms = org(w)
    o.meeting(D, unrecorded=[ms[2]])


@cases(f"A-{D}/A3")
def written_opinion_does_not_excuse(w):
    o, ms = org(w)
    o.meeting(D).attend(ms[2], "absent", written_opinion=True)


@cases(f"A-{D}/A3")
def absent_at_study(w):
    o, ms = org(w)
    o.study(D, absent=[ms[2]])


@cases(f"A-{D}/A3")
def absent_at_democratic_life(w):
    o, ms = org(w)
    o.democratic_life(D, absent=[ms[2]])


@cases()
def absent_at_secretary_office_not_in_kinds(w):
    o, ms = org(w)
    o.meeting(D, "secretary_office", absent=[ms[2]])


@cases()
def absent_at_other_meeting_not_in_kinds(w):
    o, ms = org(w)
    o.meeting(D, "other", absent=[ms[2]])


@cases(f"A-{D}/A3", overrides=["ATT001.kinds=party_group"])
def kinds_override_keeps_party_group(w):
    o, ms = org(w)
    o.meeting(D, absent=[ms[2]])
    o.study("2025-03-13", absent=[ms[2]])


@cases()
def absent_row_of_a_member_off_the_roster(w):
    o, _ = org(w)
    former = o.member(left_on="2025-01-01")
    o.meeting(D).attend(former, "absent")


@cases(f"A-{D}/A2", f"A-{D}/A4", "A-2025-03-20/A2")
def every_absence_a_finding(w):
    o, ms = org(w)
    o.meeting(D, absent=[ms[1], ms[3]])
    o.meeting("2025-03-20", absent=[ms[1]])


@cases()
def meeting_after_as_of_ignored(w):
    o, ms = org(w)
    o.meeting("2025-06-02", absent=[ms[2]])


@cases(f"A-{D}/A3", cites=cite("xx-district-office-2023", "第二十条"))
def xx_district(w):
    o, ms = org(w, "xx-district-office-2023")
    o.meeting(D, absent=[ms[2]])


@pytest.mark.parametrize("case", cases.params())
def test_att001(case):
    run_case(case)
