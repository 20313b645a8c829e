-- The shared views and facts: the contract between the store and the rules.
--
-- Rules read only what is defined here (plus their `rule_settings` relation), never the raw tables: when the
-- records format changes, this file changes and the rules do not. The engine runs it once per check on its own
-- cursor, after setting the run's date (`SET VARIABLE as_of`, read as getvariable('as_of'): a connection-scoped
-- constant that DuckDB folds into scans like a literal; on another engine it is a bound parameter), so everything
-- below is temporary and private to that run.
--
-- v_* views are the records as they stood at the end of as_of (rules.md, "The records as of as_of").
-- f_* are facts materialised once per run as temp tables because several rules need them and recomputing them
-- per rule would scan the big tables again (attendance, votes). Temp tables rather than one statement of
-- MATERIALIZED CTEs: the optimiser knows a table's size and plans the rules' joins with it far better.
-- Statements are separated by a semicolon at the end of a line (the engine splits on that).

-- Records dated after as_of are ignored; a date after as_of inside a row reads as empty.
CREATE OR REPLACE TEMP VIEW v_meetings AS
SELECT m.*
FROM meetings m
WHERE m.held_on <= getvariable('as_of');

CREATE OR REPLACE TEMP VIEW v_rectifications AS
SELECT
    r.rect_id,
    r.org_id,
    r.source,
    r.source_meeting_id,
    r.found_on,
    r.owner_id,
    CASE WHEN r.measures_on <= getvariable('as_of') THEN r.measures_on END AS measures_on,
    CASE WHEN r.report_on <= getvariable('as_of') THEN r.report_on END AS report_on,
    r.due_on,
    CASE WHEN r.closed_on <= getvariable('as_of') THEN r.closed_on END AS closed_on
FROM rectifications r
WHERE r.found_on <= getvariable('as_of');

CREATE OR REPLACE TEMP VIEW v_reports AS
SELECT r.*
FROM reports r
WHERE r.submitted_on <= getvariable('as_of');

-- Quotas add up quantity, default 1.
CREATE OR REPLACE TEMP VIEW v_activities AS
SELECT a.activity_id, a.org_id, a.member_id, a.kind, a.counterpart_id, a.on_date, coalesce(a.quantity, 1) AS quantity
FROM activities a
WHERE a.on_date <= getvariable('as_of');

-- Secretaries: members of the organisation whose role is secretary, in any spell.
CREATE OR REPLACE TEMP VIEW v_secretaries AS
SELECT DISTINCT org_id, member_id
FROM members
WHERE role = 'secretary';

-- Organisations with their effective established_on: when not given, the earliest date in their records.
CREATE TEMP TABLE f_org AS
WITH first_dates AS (
    SELECT org_id, min(joined_on) AS first_on FROM members GROUP BY org_id
    UNION ALL
    SELECT org_id, min(held_on) FROM v_meetings GROUP BY org_id
    UNION ALL
    SELECT org_id, min(found_on) FROM v_rectifications GROUP BY org_id
    UNION ALL
    SELECT org_id, min(submitted_on) FROM v_reports GROUP BY org_id
    UNION ALL
    SELECT org_id, min(on_date) FROM v_activities GROUP BY org_id
)
SELECT
    o.org_id,
    o.name,
    coalesce(o.established_on, e.first_on) AS established_on,
    o.dissolved_on
FROM organizations o
LEFT JOIN (SELECT org_id, min(first_on) AS first_on FROM first_dates GROUP BY org_id) e ON e.org_id = o.org_id;

-- Calendar months and years that are complete before as_of (a period is judged when its last day < as_of).
CREATE TEMP TABLE f_month AS
SELECT CAST(ms AS DATE) AS month_start, CAST(last_day(ms) AS DATE) AS month_end
FROM (
    SELECT unnest(generate_series(
        date_trunc('month', coalesce((SELECT min(established_on) FROM f_org), getvariable('as_of'))),
        CAST(getvariable('as_of') AS TIMESTAMP),
        INTERVAL 1 MONTH
    )) AS ms
) cal
WHERE last_day(ms) < getvariable('as_of');

CREATE TEMP TABLE f_year AS
SELECT DISTINCT
    CAST(year(month_start) AS INTEGER) AS year,
    make_date(year(month_start), 1, 1) AS year_start,
    make_date(year(month_start), 12, 31) AS year_end
FROM f_month
WHERE make_date(year(month_start), 12, 31) < getvariable('as_of');

-- Org-months and org-years the organisation existed for the whole of: established on or before the first day and
-- not dissolved on or before the last day (MTG001, STU002, DLM001, RPT001).
CREATE TEMP TABLE f_org_month AS
SELECT o.org_id, c.month_start, c.month_end
FROM f_org o
JOIN f_month c ON o.established_on <= c.month_start
WHERE o.dissolved_on IS NULL OR o.dissolved_on > c.month_end;

CREATE TEMP TABLE f_org_year AS
SELECT o.org_id, c.year, c.year_start, c.year_end
FROM f_org o
JOIN f_year c ON o.established_on <= c.year_start
WHERE o.dissolved_on IS NULL OR o.dissolved_on > c.year_end;

-- Whole-year members: on the roster on 1 January and on 31 December, judged per membership row (member_id).
CREATE TEMP TABLE f_member_year AS
SELECT p.member_id, p.org_id, p.role, c.year, c.year_start, c.year_end
FROM members p
JOIN f_year c ON p.joined_on <= c.year_start
WHERE p.left_on IS NULL OR p.left_on > c.year_end;

-- The record facts (facts.sql, kept in the store and rebuilt when the records change) narrowed to the meetings
-- held by as_of: nothing else in them depends on the check.
CREATE OR REPLACE TEMP VIEW f_meeting AS
SELECT * FROM fact_meeting WHERE held_on <= getvariable('as_of');

CREATE OR REPLACE TEMP VIEW f_item AS
SELECT * FROM fact_item WHERE held_on <= getvariable('as_of');

-- Items with entitled(item) and yes/no as "Votes" in rules.md counts them: in f_item already.
CREATE OR REPLACE TEMP VIEW v_item AS
SELECT * FROM f_item;

CREATE OR REPLACE TEMP VIEW f_vote AS
SELECT * FROM fact_vote WHERE held_on <= getvariable('as_of');

-- Decisions outside a meeting with their next party group meeting and first report (MTG008).
CREATE OR REPLACE TEMP VIEW f_emergency AS
SELECT * FROM fact_emergency WHERE held_on <= getvariable('as_of');

CREATE OR REPLACE TEMP VIEW f_absence AS
SELECT * FROM fact_absence WHERE held_on <= getvariable('as_of');

CREATE OR REPLACE TEMP VIEW f_unrecorded AS
SELECT * FROM fact_unrecorded WHERE held_on <= getvariable('as_of');

-- Study hours per member and year: read for complete years only, whose meetings are all held by as_of.
CREATE OR REPLACE TEMP VIEW f_study_hours AS
SELECT * FROM fact_study_hours;
