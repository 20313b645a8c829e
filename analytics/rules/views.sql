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

-- Attendance rows with the roster test as a value (see f_meeting below for why it is not a join
-- condition). Rules read
-- `rostered` only inside an aggregate FILTER or behind a MATERIALIZED CTE, never as a plain WHERE on this view:
-- a plain WHERE lets the optimiser rebuild the roster-pairs join.
CREATE OR REPLACE TEMP VIEW v_attendance AS
SELECT
    a.meeting_id,
    a.member_id,
    a.status,
    a.hours,
    a.written_opinion,
    m.org_id,
    m.kind,
    m.held_on,
    CAST(year(m.held_on) AS INTEGER) AS year,
    m.duration_hours,
    (p.org_id = m.org_id AND p.joined_on <= m.held_on AND (p.left_on IS NULL OR p.left_on > m.held_on)) AS rostered
FROM attendance a
JOIN v_meetings m ON m.meeting_id = a.meeting_id
JOIN members p ON p.member_id = a.member_id;

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

-- The meetings held by as_of, numbered: meeting_no is a dense integer key used only inside the facts below, so
-- that the 40M-row attendance aggregate groups and joins on an integer instead of the meeting_id text. A table of
-- its own (not a CTE) because the numbering has to be the same for every statement that reads it. Dropped once
-- f_meeting exists.
CREATE TEMP TABLE f_meeting_no AS
SELECT CAST(row_number() OVER () AS INTEGER) AS meeting_no, m.*
FROM v_meetings m;

-- Per meeting: entitled = roster size on held_on. A running sum over each organisation's membership events (+1 on
-- joined_on, -1 on left_on, both counted before a meeting on the same day): one sort instead of a
-- members x meetings range join.
CREATE TEMP TABLE f_meeting_roster AS
WITH timeline AS (
    SELECT org_id, joined_on AS on_date, 1 AS delta, CAST(NULL AS INTEGER) AS meeting_no
    FROM members
    WHERE left_on IS NULL OR left_on > joined_on  -- a spell that ends before it starts is never on the roster
    UNION ALL
    SELECT org_id, left_on, -1, NULL
    FROM members
    WHERE left_on > joined_on
    UNION ALL
    SELECT org_id, held_on, 0, meeting_no
    FROM f_meeting_no
)
SELECT meeting_no, entitled
FROM (
    SELECT
        meeting_no,
        sum(delta) OVER (
            PARTITION BY org_id ORDER BY on_date, meeting_no IS NOT NULL ROWS UNBOUNDED PRECEDING
        ) AS entitled
    FROM timeline
) running
WHERE meeting_no IS NOT NULL;

-- Per meeting: present and recorded count rostered members' attendance rows; the one pass over all of attendance.
-- Attendance's roster test is computed as a value and counted with FILTER rather than written as a join
-- condition: as a join condition the optimiser joins members to meetings on org_id first and builds every roster
-- pair of the whole history before it meets attendance (4x slower at 10M rows). Only the columns the test needs
-- are joined, so that the hash tables stay small.
CREATE TEMP TABLE f_meeting_attendance AS
SELECT
    m.meeting_no,
    count(*) FILTER (WHERE p.org_id = m.org_id AND p.joined_on <= m.held_on
        AND (p.left_on IS NULL OR p.left_on > m.held_on)) AS recorded,
    count(*) FILTER (WHERE a.status = 'present' AND p.org_id = m.org_id AND p.joined_on <= m.held_on
        AND (p.left_on IS NULL OR p.left_on > m.held_on)) AS present  -- present(m) counts rostered members only
FROM attendance a
JOIN (SELECT meeting_no, meeting_id, org_id, held_on FROM f_meeting_no) m ON m.meeting_id = a.meeting_id
JOIN (SELECT member_id, org_id, joined_on, left_on FROM members) p ON p.member_id = a.member_id
GROUP BY m.meeting_no;

-- Per meeting: the counts above and the agenda's shape (MTG007, DQ004).
CREATE TEMP TABLE f_meeting AS
WITH agenda AS (
    SELECT
        meeting_id,
        count(*) AS items,
        count(*) FILTER (WHERE seq = 1 AND category = 'first_topic') AS first_topics_first
    FROM agenda_items
    GROUP BY meeting_id
)
SELECT
    m.meeting_id,
    m.org_id,
    m.kind,
    m.held_on,
    CAST(year(m.held_on) AS INTEGER) AS year,
    m.chair_id,
    m.duration_hours,
    m.notice_sent_on,
    m.minutes_no,
    coalesce(m.is_emergency, false) AS is_emergency,
    CAST(coalesce(r.entitled, 0) AS BIGINT) AS entitled,
    coalesce(a.present, 0) AS present,
    coalesce(a.recorded, 0) AS recorded,
    coalesce(g.items, 0) AS items,
    coalesce(g.first_topics_first, 0) AS first_topics_first
FROM f_meeting_no m
LEFT JOIN f_meeting_roster r ON r.meeting_no = m.meeting_no
LEFT JOIN f_meeting_attendance a ON a.meeting_no = m.meeting_no
LEFT JOIN agenda g ON g.meeting_id = m.meeting_id;

-- The steps are not needed any more: their memory goes back before the item facts are built.
DROP TABLE f_meeting_no;

DROP TABLE f_meeting_roster;

DROP TABLE f_meeting_attendance;

-- Agenda items of the meetings held by as_of, with what the item rules need to know about their meeting.
CREATE TEMP TABLE f_item AS
SELECT
    i.item_id,
    i.meeting_id,
    m.org_id,
    m.kind,
    m.held_on,
    m.is_emergency,
    m.chair_id,
    m.entitled AS meeting_entitled,
    m.present AS meeting_present,
    i.seq,
    i.category,
    coalesce(i.ad_hoc, false) AS ad_hoc,
    coalesce(i.decision, 'none') AS decision,
    i.vote_method,
    i.yes_count,
    i.no_count,
    i.abstain_count,
    coalesce(v.votes, 0) AS votes
FROM agenda_items i
-- items of meetings after as_of are not in f_meeting
JOIN f_meeting m ON m.meeting_id = i.meeting_id
LEFT JOIN (SELECT item_id, count(*) AS votes FROM votes GROUP BY item_id) v ON v.item_id = i.item_id;

-- Meetings with per-member votes on an item: the only meetings whose attendance the vote facts read. A table of
-- its own so that the optimiser knows how few they are and joins attendance to them, not the other way round.
CREATE TEMP TABLE f_voted_meeting AS
SELECT DISTINCT meeting_id
FROM f_item
WHERE votes > 0;

-- Per-member votes with what the vote rules need to know about the voter on that item. Attendance is read only
-- for the meetings that have votes, not joined whole.
CREATE TEMP TABLE f_vote AS
WITH voted AS (
    SELECT v.item_id, v.member_id, v.choice, v.cast_order, i.meeting_id, i.org_id, i.kind, i.held_on, i.chair_id
    FROM votes v
    JOIN f_item i ON i.item_id = v.item_id
    WHERE i.votes > 0
),
voted_attendance AS (
    SELECT a.meeting_id, a.member_id, a.status
    FROM attendance a
    JOIN f_voted_meeting vm ON vm.meeting_id = a.meeting_id
)
SELECT
    v.item_id,
    v.member_id,
    v.choice,
    v.cast_order,
    v.meeting_id,
    v.org_id,
    v.kind,
    v.held_on,
    (v.member_id = v.chair_id) IS TRUE AS is_chair,
    a.status,
    -- "not present" = no attendance row with status present for a rostered member (leave, absent, unrecorded)
    (
        a.status = 'present'
        AND p.org_id = v.org_id
        AND p.joined_on <= v.held_on
        AND (p.left_on IS NULL OR p.left_on > v.held_on)
    ) IS TRUE AS is_present,
    r.member_id IS NOT NULL AS is_recused
FROM voted v
LEFT JOIN voted_attendance a ON a.meeting_id = v.meeting_id AND a.member_id = v.member_id
LEFT JOIN members p ON p.member_id = v.member_id
LEFT JOIN (SELECT DISTINCT item_id, member_id FROM recusals) r ON r.item_id = v.item_id AND r.member_id = v.member_id;

DROP TABLE f_voted_meeting;

-- Per item with per-member votes: the counts (all recorded votes for DQ002; present, not recused for the rules).
CREATE TEMP TABLE f_item_votes AS
SELECT
    item_id,
    count(*) AS votes_recorded,
    count(*) FILTER (WHERE choice = 'yes') AS votes_yes_all,
    count(*) FILTER (WHERE choice = 'no') AS votes_no_all,
    count(*) FILTER (WHERE choice = 'abstain') AS votes_abstain_all,
    -- absent and recused members' votes count neither as yes nor as no (VOT002/VOT004 report them)
    count(*) FILTER (WHERE choice = 'yes' AND is_present AND NOT is_recused) AS votes_yes,
    count(*) FILTER (WHERE choice = 'no' AND is_present AND NOT is_recused) AS votes_no
FROM f_vote
GROUP BY item_id;

-- Per item with recusals: how many rostered members withdrew.
CREATE TEMP TABLE f_item_recused AS
SELECT r.item_id, count(DISTINCT r.member_id) AS recused
FROM recusals r
JOIN f_item i ON i.item_id = r.item_id
JOIN members p ON p.member_id = r.member_id
WHERE p.org_id = i.org_id AND p.joined_on <= i.held_on AND (p.left_on IS NULL OR p.left_on > i.held_on)
GROUP BY r.item_id;

-- Items with entitled(item) = rostered members not recused, and yes/no as counted by "Votes" in rules.md.
CREATE OR REPLACE TEMP VIEW v_item AS
SELECT
    i.*,
    i.meeting_entitled - coalesce(r.recused, 0) AS entitled,
    c.item_id IS NOT NULL AS has_votes,
    (i.yes_count IS NOT NULL OR i.no_count IS NOT NULL OR i.abstain_count IS NOT NULL) AS has_tally,
    coalesce(c.votes_yes_all, 0) AS votes_yes_all,
    coalesce(c.votes_no_all, 0) AS votes_no_all,
    coalesce(c.votes_abstain_all, 0) AS votes_abstain_all,
    -- per-member votes win over the tally when any exist
    CASE WHEN c.item_id IS NOT NULL THEN c.votes_yes ELSE coalesce(i.yes_count, 0) END AS yes,
    CASE WHEN c.item_id IS NOT NULL THEN c.votes_no ELSE coalesce(i.no_count, 0) END AS no
FROM f_item i
LEFT JOIN f_item_votes c ON c.item_id = i.item_id
LEFT JOIN f_item_recused r ON r.item_id = i.item_id;
