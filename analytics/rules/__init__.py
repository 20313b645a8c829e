"""The rule registry: every rule Quorum checks, as one explicit tuple sorted by id.

Nothing registers itself by being imported; a rule exists when it is listed in :data:`RULES`. Ids are permanent:
a retired rule stays listed as a tombstone that names its replacement, its id is never reused.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from analytics.rules.attendance.att001_absent_without_leave import RULE as ATT001
from analytics.rules.data_quality.dq001_attendance_unrecorded import RULE as DQ001
from analytics.rules.data_quality.dq002_tally_mismatch import RULE as DQ002
from analytics.rules.data_quality.dq003_study_duration_missing import RULE as DQ003
from analytics.rules.data_quality.dq004_meeting_without_agenda import RULE as DQ004
from analytics.rules.democratic_life.dlm001_no_yearly_democratic_life import RULE as DLM001
from analytics.rules.democratic_life.dlm002_democratic_life_attendance_short import RULE as DLM002
from analytics.rules.democratic_life.dlm003_democratic_life_report_late import RULE as DLM003
from analytics.rules.democratic_life.dlm004_democratic_life_plan_late import RULE as DLM004
from analytics.rules.meetings.mtg001_no_monthly_meeting import RULE as MTG001
from analytics.rules.meetings.mtg002_quorum_not_met import RULE as MTG002
from analytics.rules.meetings.mtg003_decision_quorum_not_met import RULE as MTG003
from analytics.rules.meetings.mtg004_notice_too_late import RULE as MTG004
from analytics.rules.meetings.mtg005_ad_hoc_item import RULE as MTG005
from analytics.rules.meetings.mtg006_minutes_not_filed import RULE as MTG006
from analytics.rules.meetings.mtg007_first_topic_missing import RULE as MTG007
from analytics.rules.meetings.mtg008_emergency_not_reported import RULE as MTG008
from analytics.rules.meetings.mtg009_minutes_sequence_broken import RULE as MTG009
from analytics.rules.rectification.rec001_rectification_overdue import RULE as REC001
from analytics.rules.rectification.rec002_rectification_closed_late import RULE as REC002
from analytics.rules.rectification.rec003_measures_late import RULE as REC003
from analytics.rules.rectification.rec004_no_owner_or_deadline import RULE as REC004
from analytics.rules.rectification.rec005_inspection_report_late import RULE as REC005
from analytics.rules.reports.rpt001_annual_report_missing import RULE as RPT001
from analytics.rules.research.res001_research_reports_short import RULE as RES001
from analytics.rules.research.res002_grassroots_days_short import RULE as RES002
from analytics.rules.rule import Rule, Source
from analytics.rules.study.stu001_study_time_short import RULE as STU001
from analytics.rules.study.stu002_no_monthly_study import RULE as STU002
from analytics.rules.study.stu003_study_articles_short import RULE as STU003
from analytics.rules.talks.tlk001_secretary_talks_short import RULE as TLK001
from analytics.rules.voting.vot001_majority_not_reached import RULE as VOT001
from analytics.rules.voting.vot002_absent_member_voted import RULE as VOT002
from analytics.rules.voting.vot003_decision_without_votes import RULE as VOT003
from analytics.rules.voting.vot004_recused_member_voted import RULE as VOT004
from analytics.rules.voting.vot005_chair_spoke_before_others import RULE as VOT005
from analytics.rules.voting.vot006_close_vote_not_deferred import RULE as VOT006
from analytics.rules.voting.vot007_personnel_not_secret_ballot import RULE as VOT007

VIEWS_SQL = Path(__file__).with_name("views.sql")
FACTS_SQL = Path(__file__).with_name("facts.sql")


@functools.cache
def sql_statements(path: Path) -> tuple[str, ...]:
    """The statements of one of the engine's SQL files (views.sql, facts.sql): split on a semicolon that ends a
    line, comment-only parts dropped."""
    parts = (s.strip() for s in re.split(r";\s*$", path.read_text(encoding="utf-8"), flags=re.M))
    return tuple(s for s in parts if any(line.strip() and not line.strip().startswith("--") for line in s.splitlines()))


def statement_label(statement: str) -> str:
    """What a statement makes or drops, for timings: ``f_meeting``, ``drop fact_meeting_no``."""
    name = re.search(r"^(CREATE|DROP)\b.*?(?:\bVIEW|\bTABLE|\{table\})\s+(\w+)", statement, re.M)
    if name is None:
        return statement[:30]
    return name[2] if name[1] == "CREATE" else f"drop {name[2]}"


RULES: tuple[Rule, ...] = (
    ATT001,
    DLM001,
    DLM002,
    DLM003,
    DLM004,
    DQ001,
    DQ002,
    DQ003,
    DQ004,
    MTG001,
    MTG002,
    MTG003,
    MTG004,
    MTG005,
    MTG006,
    MTG007,
    MTG008,
    MTG009,
    REC001,
    REC002,
    REC003,
    REC004,
    REC005,
    RES001,
    RES002,
    RPT001,
    STU001,
    STU002,
    STU003,
    TLK001,
    VOT001,
    VOT002,
    VOT003,
    VOT004,
    VOT005,
    VOT006,
    VOT007,
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
#: Data-quality checks: about the records, not a regulation; in force under every rulebook unless disabled.
DQ_RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES if rule.severity == "data_quality")

__all__ = [
    "DQ_RULE_IDS",
    "FACTS_SQL",
    "RULES",
    "RULES_BY_ID",
    "VIEWS_SQL",
    "Rule",
    "Source",
    "sql_statements",
    "statement_label",
]
