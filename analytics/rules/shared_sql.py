"""SELECTs shared by rules that differ only in the kind of record they count.

- monthly meetings (MTG001 party group meetings, STU002 study sessions);
- the attendance share of a meeting kind (MTG002 party group meetings, DLM002 democratic life meetings);
- yearly personal quotas (STU003 study articles, RES001 research reports, RES002 grassroots days).

The arguments are identifiers and codes fixed in the rule modules, never user input.
"""

from __future__ import annotations


def yearly_quota_sql(kind: str, *, total: str, minimum: str) -> str:
    """Whole-year members whose ``kind`` activities in a year add up to fewer than the setting ``minimum``.

    The SELECT returns the total as column ``total`` and the setting as column ``minimum``, for the rule's message
    and evidence. ``kind``, ``total`` and ``minimum`` are identifiers from the rule modules, never user input.
    """
    return f"""
WITH judged AS (  -- whole-year members (complete years) of the organisations where the rule is in force
    SELECT y.org_id, y.member_id, y.year, s.{minimum}
    FROM f_member_year y
    JOIN rule_settings s ON s.org_id = y.org_id
),
done AS (
    SELECT a.member_id, CAST(year(a.on_date) AS INTEGER) AS year, sum(a.quantity) AS {total}
    FROM v_activities a
    WHERE a.kind = '{kind}'
      AND a.member_id IN (SELECT member_id FROM judged)  -- the judged members' only: far fewer rows to add up
    GROUP BY a.member_id, CAST(year(a.on_date) AS INTEGER)
)
SELECT
    j.org_id,
    j.member_id || '/' || CAST(j.year AS VARCHAR) AS subject_key,
    j.member_id,
    CAST(j.year AS VARCHAR) AS period,
    p.name AS member_name,
    coalesce(d.{total}, 0) AS {total},
    j.{minimum}
FROM judged j
JOIN members p ON p.member_id = j.member_id
LEFT JOIN done d ON d.member_id = j.member_id AND d.year = j.year
WHERE coalesce(d.{total}, 0) < j.{minimum}
"""


def monthly_meetings_sql(kind: str) -> str:
    """Org-months the organisation existed in whole, complete before as_of, with fewer ``kind`` meetings than
    ``min_per_month``. Emergency meetings count like any other: ``is_emergency`` is not looked at."""
    return f"""
WITH held AS (
    SELECT m.org_id, CAST(date_trunc('month', m.held_on) AS DATE) AS month_start, count(*) AS held
    FROM f_meeting m
    JOIN rule_settings s ON s.org_id = m.org_id  -- the organisations where the rule is in force only
    WHERE m.kind = '{kind}'
    GROUP BY m.org_id, CAST(date_trunc('month', m.held_on) AS DATE)
)
SELECT
    om.org_id,
    om.org_id || '/' || strftime(om.month_start, '%Y-%m') AS subject_key,
    strftime(om.month_start, '%Y-%m') AS period,
    coalesce(h.held, 0) AS held,
    s.min_per_month
FROM f_org_month om  -- months existed in whole and complete before as_of
JOIN rule_settings s ON s.org_id = om.org_id
LEFT JOIN held h ON h.org_id = om.org_id AND h.month_start = om.month_start
WHERE coalesce(h.held, 0) < s.min_per_month
"""


def meeting_share_sql(kind: str) -> str:
    """``kind`` meetings whose present(m) is below ``share`` of entitled(m), in integer arithmetic."""
    return f"""
SELECT
    m.org_id,
    m.meeting_id AS subject_key,
    m.meeting_id,
    strftime(m.held_on, '%Y-%m-%d') AS period,
    m.held_on,
    m.entitled,
    m.present,
    s.share,
    s.inclusive,
    CASE WHEN s.inclusive THEN '未达' ELSE '未超过' END || s.share_zh AS shortfall_zh,
    CASE WHEN s.inclusive THEN 'below ' ELSE 'not more than ' END || s.share_en AS shortfall_en
FROM f_meeting m
JOIN rule_settings s ON s.org_id = m.org_id
WHERE m.kind = '{kind}'
  AND m.entitled > 0  -- an empty roster is not judged by the share rules
  AND CASE
      WHEN s.inclusive THEN m.present * s.share_q < s.share_p * m.entitled  -- 以上: exactly the share passes
      ELSE m.present * s.share_q <= s.share_p * m.entitled  -- 超过: exactly the share fails
  END
"""
