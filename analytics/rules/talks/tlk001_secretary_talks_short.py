"""TLK001 secretary-talks: the secretary did not hold the yearly heart-to-heart talks with a member.

Flags:
    A whole-year member whose role is not `secretary` with fewer than `min_per_year` (adding up `quantity`) `talk`
    activities in the year with a secretary of the organisation (a member of it whose role is `secretary`, any
    spell), recorded by either side: the member with the secretary as counterpart, or the secretary with the member
    as counterpart.
Why:
    党组书记与班子成员每年至少谈心谈话一次 (002 第十三条; 003 领导干部谈心谈话制度二.1: 每年至少二次).
Example:
    P07 had no talk with the secretary P01 in 2024: `P07/2024`.
Not flagged:
    Secretaries themselves; members who joined or left during the year; the year of as_of. Where the organisation
    has no secretary, every whole-year member falls short.
Settings:
    `min_per_year` (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source


@dataclass(frozen=True)
class Settings:
    min_per_year: int = field(default=1, metadata={"help": "talks with a secretary each whole-year member has a year"})


SQL = """
WITH talks AS (
    -- recorded by the member, the secretary as counterpart
    SELECT a.member_id AS judged_id, a.counterpart_id AS other_id, a.on_date, a.quantity
    FROM v_activities a
    WHERE a.kind = 'talk'
    UNION ALL
    -- recorded by the secretary, the member as counterpart
    SELECT a.counterpart_id, a.member_id, a.on_date, a.quantity
    FROM v_activities a
    WHERE a.kind = 'talk' AND a.counterpart_id IS NOT NULL
),
with_secretary AS (
    SELECT t.judged_id AS member_id, CAST(year(t.on_date) AS INTEGER) AS year, sum(t.quantity) AS talks
    FROM talks t
    JOIN members p ON p.member_id = t.judged_id
    JOIN (  -- the secretaries of the organisations where the rule is in force only: fewer talks to add up
        SELECT sec.org_id, sec.member_id FROM v_secretaries sec JOIN rule_settings s ON s.org_id = sec.org_id
    ) sec ON sec.member_id = t.other_id AND sec.org_id = p.org_id
    GROUP BY t.judged_id, CAST(year(t.on_date) AS INTEGER)
)
SELECT
    y.org_id,
    y.member_id || '/' || CAST(y.year AS VARCHAR) AS subject_key,
    y.member_id,
    CAST(y.year AS VARCHAR) AS period,
    p.name AS member_name,
    coalesce(w.talks, 0) AS talks,
    s.min_per_year
FROM f_member_year y  -- whole-year members, complete years
JOIN rule_settings s ON s.org_id = y.org_id
JOIN members p ON p.member_id = y.member_id
LEFT JOIN with_secretary w ON w.member_id = y.member_id AND w.year = y.year
WHERE y.role <> 'secretary'  -- the secretary holds the talks
  AND coalesce(w.talks, 0) < s.min_per_year
"""

RULE = Rule(
    id="TLK001",
    slug="secretary-talks",
    name_zh="书记谈心谈话",
    name_en="Secretary talks",
    severity="violation",
    subject=("member-year",),
    needs=("activities",),
    settings=Settings,
    sources=(
        Source("002", "第十三条", "每年至少一次"),
        Source("003", "领导干部谈心谈话制度二.1", "每年至少二次"),
    ),
    sql=SQL,
    message_zh="{member_name}（{member_id}）{period} 年与书记谈心谈话 {talks:g} 次，少于 {min_per_year} 次",
    message_en="{member_name} ({member_id}) had {talks:g} talk(s) with a secretary in {period}, fewer than "
    "{min_per_year}",
    evidence=("talks", "min_per_year"),
    doc=__doc__,
)
