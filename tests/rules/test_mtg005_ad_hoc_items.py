"""MTG005 no-ad-hoc-items: an ``ad_hoc`` item at a meeting (any kind) that is not ``is_emergency``."""

import pytest
from builders import Cases, cite, run_case

cases = Cases("MTG005", severity="violation")
D = "2025-03-12"


def org(w, rulebook: str | None = None):
    o = w.org("A", rulebook=rulebook)
    o.members(5)
    return o


@cases(f"A-{D}#2")
def canonical_ad_hoc_item(w):
    org(w).meeting(D).item("general", ad_hoc=True)


@cases()
def planned_item(w):
    org(w).meeting(D).item("general", ad_hoc=False)


@cases(f"A-{D}#1")
def study_meeting_any_kind(w):
    org(w).study(D).item("report", ad_hoc=True)


@cases(f"A-{D}#1")
def secretary_office_meeting(w):
    org(w).meeting(D, "secretary_office").item("general", ad_hoc=True)


@cases()
def is_emergency_meeting_exempt(w):
    org(w).meeting(D, is_emergency=True).item("general", ad_hoc=True)


@cases()
def emergency_decision_items_not_judged(w):
    org(w).emergency_decision(D).item("general", ad_hoc=True)


@cases()
def meeting_after_as_of_ignored(w):
    org(w).meeting("2025-06-02").item("general", ad_hoc=True)


@cases(f"A-{D}#2", severity="warning", cites=cite("chengzhong-hrss-2021", "第十三条（二）"))
def chengzhong_warning(w):
    org(w, "chengzhong-hrss-2021").meeting(D).item("general", ad_hoc=True)


@cases(f"A-{D}#2", cites=cite("jiangyin-npc-2017", "第二十二条"))
def jiangyin_violation(w):
    org(w, "jiangyin-npc-2017").meeting(D).item("general", ad_hoc=True)


@pytest.mark.parametrize("case", cases.params())
def test_mtg005(case):
    run_case(case)
