"""The SELECT shared by the yearly personal quota rules (STU003, RES001, RES002).

Each of them flags a whole-year member whose activities of one kind in a complete year add up (``quantity``,
default 1) to fewer than a minimum; only the activity kind and the names of the total and the setting differ.
"""

from __future__ import annotations


def yearly_quota_sql(kind: str, *, total: str, minimum: str) -> str:
    """Whole-year members whose ``kind`` activities in a year add up to fewer than the setting ``minimum``.

    The SELECT returns the total as column ``total`` and the setting as column ``minimum``, for the rule's message
    and evidence. ``kind``, ``total`` and ``minimum`` are identifiers from the rule modules, never user input.
    """
    return f"""
WITH done AS (
    SELECT member_id, CAST(year(on_date) AS INTEGER) AS year, sum(quantity) AS {total}
    FROM v_activities
    WHERE kind = '{kind}'
    GROUP BY member_id, CAST(year(on_date) AS INTEGER)
)
SELECT
    y.org_id,
    y.member_id || '/' || CAST(y.year AS VARCHAR) AS subject_key,
    y.member_id,
    CAST(y.year AS VARCHAR) AS period,
    p.name AS member_name,
    coalesce(d.{total}, 0) AS {total},
    s.{minimum}
FROM f_member_year y  -- whole-year members, complete years
JOIN rule_settings s ON s.org_id = y.org_id
JOIN members p ON p.member_id = y.member_id
LEFT JOIN done d ON d.member_id = y.member_id AND d.year = y.year
WHERE coalesce(d.{total}, 0) < s.{minimum}
"""
