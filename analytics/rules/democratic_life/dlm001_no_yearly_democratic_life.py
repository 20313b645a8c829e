"""DLM001 yearly-democratic-life: a year passed without a democratic life meeting.

Flags:
    An org-year the organisation existed for the whole of (established on or before 1 January, not dissolved on
    or before 31 December), complete before as_of, without a `democratic_life` meeting.
Why:
    领导班子民主生活会一般每年召开1次 (001 第七条（一）; 002 第十二条; 003 党委民主生活会制度三; 004 第十四条（一）).
    一般 admits exceptions (a meeting postponed with approval), so this is a warning.
Example:
    ORG-A held no democratic life meeting in 2024: `ORG-A/2024`.
Not flagged:
    The year of as_of; years the organisation did not exist for in whole.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
SELECT
    y.org_id,
    y.org_id || '/' || CAST(y.year AS VARCHAR) AS subject_key,
    CAST(y.year AS VARCHAR) AS period
FROM f_org_year y  -- years existed in whole and complete before as_of
JOIN rule_settings s ON s.org_id = y.org_id
WHERE NOT EXISTS (
    SELECT 1 FROM f_meeting m
    WHERE m.org_id = y.org_id AND m.kind = 'democratic_life' AND m.held_on BETWEEN y.year_start AND y.year_end
)
"""

RULE = Rule(
    id="DLM001",
    slug="yearly-democratic-life",
    name_zh="每年召开民主生活会",
    name_en="Yearly democratic life meeting",
    severity="warning",
    subject=("org-year",),
    sources=(
        Source("001", "第七条（一）"),
        Source("002", "第十二条"),
        Source("003", "党委民主生活会制度三"),
        Source("004", "第十四条（一）"),
    ),
    sql=SQL,
    message_zh="{period} 年未召开民主生活会",
    message_en="No democratic life meeting held in {period}",
    evidence=("period",),
    doc=__doc__,
)
