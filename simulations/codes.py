"""Integer codes for the records' enumerations, and vectorised calendar arithmetic on day numbers.

The simulator keeps every table as integer columns while it builds, breaks and judges a world (dates as days since
1970-01-01, enumerations as the index of their code in :data:`analytics.schema.ENUMS`), and turns them into the
contract's strings only when writing. Deriving the codes from the schema keeps the two in step.
"""

from __future__ import annotations

import numpy as np

from analytics.schema import ENUMS


def _codes(enum: str) -> dict[str, int]:
    return {code: i for i, code in enumerate(ENUMS[enum].codes)}


ROLE = _codes("role")
KIND = _codes("meeting_kind")
STATUS = _codes("status")
CATEGORY = _codes("category")
DECISION = _codes("decision")
VOTE_METHOD = _codes("vote_method")
CHOICE = _codes("choice")
SOURCE = _codes("source")
REPORT_KIND = _codes("report_kind")
ACTIVITY_KIND = _codes("activity_kind")

SECRETARY, DEPUTY, MEMBER = ROLE["secretary"], ROLE["deputy_secretary"], ROLE["member"]
PARTY_GROUP, STUDY, DEMOCRATIC_LIFE = KIND["party_group"], KIND["study"], KIND["democratic_life"]
SECRETARY_OFFICE, EMERGENCY_DECISION, OTHER_MEETING = (
    KIND["secretary_office"],
    KIND["emergency_decision"],
    KIND["other"],
)
PRESENT, LEAVE, ABSENT = STATUS["present"], STATUS["leave"], STATUS["absent"]
FIRST_TOPIC, PERSONNEL, DISCIPLINE = CATEGORY["first_topic"], CATEGORY["personnel"], CATEGORY["discipline"]
MAJOR_DECISION, REPORT_ITEM, EMERGENCY_REPORT = (
    CATEGORY["major_decision"],
    CATEGORY["report"],
    CATEGORY["emergency_report"],
)
GENERAL = CATEGORY["general"]
PASSED, REJECTED, DEFERRED, NO_DECISION = (
    DECISION["passed"],
    DECISION["rejected"],
    DECISION["deferred"],
    DECISION["none"],
)
ORAL, SHOW_OF_HANDS = VOTE_METHOD["oral"], VOTE_METHOD["show_of_hands"]
SECRET_BALLOT, NAMED_BALLOT = VOTE_METHOD["secret_ballot"], VOTE_METHOD["named_ballot"]
YES, NO, ABSTAIN = CHOICE["yes"], CHOICE["no"], CHOICE["abstain"]
SRC_DEMOCRATIC_LIFE, SRC_INSPECTION, SRC_AUDIT, SRC_OTHER = (
    SOURCE["democratic_life"],
    SOURCE["inspection"],
    SOURCE["audit"],
    SOURCE["other"],
)
ANNUAL_WORK, DL_REPORT, DL_PLAN = (
    REPORT_KIND["annual_work"],
    REPORT_KIND["democratic_life_report"],
    REPORT_KIND["democratic_life_plan"],
)
STUDY_ARTICLE, RESEARCH_REPORT, TALK, GRASSROOTS_DAYS = (
    ACTIVITY_KIND["study_article"],
    ACTIVITY_KIND["research_report"],
    ACTIVITY_KIND["talk"],
    ACTIVITY_KIND["grassroots_days"],
)

# --- calendar on day numbers (days since 1970-01-01, int64) -------------------------------------------------------


#: Years, months and month starts of day numbers up to 2243 are looked up in tables made once: NumPy's datetime64
#: conversions cost ~65 ns an element, and every table's dates pass through them several times a chunk.
_TABLE_DAYS = 100_000
_TABLE_MONTHS = _TABLE_DAYS // 28
_YEAR = np.arange(_TABLE_DAYS).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
_MONTH = np.arange(_TABLE_DAYS).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
_MONTH_START = np.arange(_TABLE_MONTHS).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _in_table(values: np.ndarray, size: int) -> bool:
    return not values.size or (int(values.min()) >= 0 and int(values.max()) < size)


def day(year: int | np.ndarray, month: int | np.ndarray = 1, dom: int | np.ndarray = 1) -> np.ndarray:
    """Day numbers of (year, month, day-of-month); vectorised over any argument."""
    y = np.asarray(year, dtype=np.int64)
    m = np.asarray(month, dtype=np.int64)
    d = np.asarray(dom, dtype=np.int64)
    months = (y - 1970) * 12 + (m - 1)
    return month_start(months) + d - 1


def year_of(days: np.ndarray) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64)
    if _in_table(d, _TABLE_DAYS):
        return _YEAR[d]
    return d.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since January 1970 (year * 12 + month - 1 relative to 1970)."""
    d = np.asarray(days, dtype=np.int64)
    if _in_table(d, _TABLE_DAYS):
        return _MONTH[d]
    return d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(month_idx: np.ndarray) -> np.ndarray:
    m = np.asarray(month_idx, dtype=np.int64)
    if _in_table(m, _TABLE_MONTHS):
        return _MONTH_START[m]
    return m.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype=np.int64) + 3) % 7


def working_days_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mon–Fri days d with start <= d < end (0 when end <= start); no holiday calendar, as rules.md says."""
    s = np.asarray(start, dtype=np.int64)
    e = np.maximum(np.asarray(end, dtype=np.int64), s)
    return np.busday_count(s.astype("datetime64[D]"), e.astype("datetime64[D]")).astype(np.int64)


def add_months_clamped(days: np.ndarray, n: int) -> np.ndarray:
    """The same day ``n`` months later, clamped to that month's end (31 January + 1 month = end of February)."""
    d = np.asarray(days, dtype=np.int64)
    m = month_index(d)
    dom = d - month_start(m)
    target = m + n
    length = month_start(target + 1) - month_start(target)
    return month_start(target) + np.minimum(dom, length - 1)


def weekday_in_range(rng: np.random.Generator, month_idx: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """A random weekday in days lo..hi of each month (lo >= 2, hi <= 27: the weekend shift stays in the month)."""
    d = month_start(month_idx) + rng.integers(lo - 1, hi, size=len(month_idx))
    wd = weekday(d)
    return d - (wd == 5) + (wd == 6)  # Saturday -> Friday, Sunday -> Monday
