"""MTG004 advance-notice: a party group meeting's agenda was not sent to members in writing early enough.

Flags:
    A `party_group` meeting that is not `is_emergency` and has no agenda item in `exempt_categories`, whose
    `notice_sent_on` is empty, or for which fewer than `min_days` days d satisfy notice_sent_on <= d < held_on
    (only Monday–Friday count when `working_days`; there is no holiday calendar).
Why:
    议题应提前书面通知 (000 第二十一条（一） (提前1-2天); 001 第六条（三）; 003 党委领导班子会议事决策规则第七条（二）
    (提前1个工作日，研究干部问题除外); 004 第十三条（二）).
Example:
    `M-2025-031` held on Wednesday 2025-03-12 with the notice sent the same day: 0 days, fewer than 1.
Not flagged:
    Notice sent the day before (one day d = notice day); emergency meetings (`is_emergency`); meetings with an item
    in `exempt_categories`; other meeting kinds. With `working_days`, a notice sent on Friday for a Monday meeting
    gives 1 working day (the Friday).
Settings:
    `min_days` (1), `working_days` (false), `exempt_categories` (none).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    min_days: int = field(default=1, metadata={"help": "days from the notice up to (not including) the meeting day"})
    working_days: bool = field(default=False, metadata={"help": "count only Monday to Friday (no holiday calendar)"})
    exempt_categories: tuple[str, ...] = field(
        default=(),
        metadata={"help": "meetings with an item of these categories need no notice", "enum": "category"},
    )


# Weekdays in [a, b): with k(x) = days since Monday 1900-01-01, W(x) = 5·(k div 7) + min(k mod 7, 5) counts the
# weekdays before x, so the answer is W(b) − W(a) — no calendar table, no row per day.
SQL = """
WITH exempt AS (  -- meetings with an item in exempt_categories (e.g. 研究干部问题除外); none when the list is empty
    SELECT DISTINCT i.meeting_id
    FROM f_item i
    JOIN (SELECT s.org_id, unnest(s.exempt_categories) AS category FROM rule_settings s) e
        ON e.org_id = i.org_id AND e.category = i.category
),
judged AS (
    SELECT
        m.org_id,
        m.meeting_id,
        m.held_on,
        m.notice_sent_on,
        s.min_days,
        s.working_days,
        CASE
            WHEN s.working_days THEN
                (5 * ((m.held_on - DATE '1900-01-01') // 7) + least((m.held_on - DATE '1900-01-01') % 7, 5))
                - (5 * ((m.notice_sent_on - DATE '1900-01-01') // 7)
                   + least((m.notice_sent_on - DATE '1900-01-01') % 7, 5))
            ELSE m.held_on - m.notice_sent_on
        END AS notice_days
    FROM f_meeting m
    JOIN rule_settings s ON s.org_id = m.org_id
    LEFT JOIN exempt x ON x.meeting_id = m.meeting_id
    WHERE m.kind = 'party_group'
      AND NOT m.is_emergency  -- an emergency meeting is convened without notice
      AND x.meeting_id IS NULL  -- a meeting with an exempt item needs no notice
)
SELECT
    org_id,
    meeting_id AS subject_key,
    meeting_id,
    strftime(held_on, '%Y-%m-%d') AS period,
    held_on,
    notice_sent_on,
    greatest(notice_days, 0) AS notice_days,
    min_days,
    working_days,
    CASE
        WHEN notice_sent_on IS NULL THEN '未书面通知议题'
        ELSE '议题于 ' || strftime(notice_sent_on, '%Y-%m-%d') || ' 书面通知，提前 '
            || CAST(greatest(notice_days, 0) AS VARCHAR)
            || CASE WHEN working_days THEN ' 个工作日' ELSE ' 天' END || '，少于 ' || CAST(min_days AS VARCHAR)
            || CASE WHEN working_days THEN ' 个工作日' ELSE ' 天' END
    END AS fact_zh,
    CASE
        WHEN notice_sent_on IS NULL THEN 'no written notice of the agenda'
        ELSE 'notice sent ' || strftime(notice_sent_on, '%Y-%m-%d') || ', ' || CAST(greatest(notice_days, 0) AS VARCHAR)
            || CASE WHEN working_days THEN ' working day(s)' ELSE ' day(s)' END || ' ahead, fewer than '
            || CAST(min_days AS VARCHAR)
    END AS fact_en
FROM judged
WHERE notice_sent_on IS NULL  -- no notice at all
   OR notice_days < min_days  -- too late (a notice dated after the meeting counts as 0 days)
"""

RULE = Rule(
    id="MTG004",
    slug="advance-notice",
    name_zh="议题提前通知",
    name_en="Advance notice",
    severity="violation",
    subject=("meeting",),
    sources=(
        Source("000", "第二十一条（一）", "提前1-2天"),
        Source("001", "第六条（三）"),
        Source("003", "党委领导班子会议事决策规则第七条（二）", "提前1个工作日"),
        Source("004", "第十三条（二）"),
    ),
    settings=Settings,
    sql=SQL,
    message_zh="{held_on} 党组会议{fact_zh}",
    message_en="Party group meeting on {held_on}: {fact_en}",
    evidence=("notice_sent_on", "notice_days", "min_days", "working_days"),
    doc=__doc__,
)
