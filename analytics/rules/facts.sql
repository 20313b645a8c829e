-- The record facts: what the rules need to know per meeting, item, vote and member-year, kept in the store.
--
-- Unlike views.sql, nothing here depends on the check's as_of, its rulebooks or its settings: a meeting's roster on
-- its day, who of it was present, an item's entitled members and its votes are fixed by the records alone (a record
-- dated after as_of only ever concerns meetings after as_of, which views.sql leaves out, and a member's left_on
-- after as_of is after every meeting the check judges). So these tables are built once per change of the records
-- (by the first check that finds them stale, analytics/facts.py) and every later check, however many what-if
-- settings it tries, reads them instead of the 40M attendance rows.
--
-- `{table}` is `TABLE` (persisted in the store) or `TEMP TABLE` (a read-only store whose facts are stale: the
-- check builds them for itself). Statements are separated by a semicolon at the end of a line.

-- The meetings are keyed by their rowid while the facts are built (meeting_no): unique within the build's
-- transaction, so that the attendance aggregate groups and joins on an integer instead of the meeting_id text. It
-- used to be a row_number() over a temp copy of the meetings, which cost a copy (2.3 CPU-s at 40M attendance rows)
-- and a spilled re-read of it, and pushed the temp tables that follow out to disk. (rowid is DuckDB's name for a
-- row's stable position; another engine builds these facts with its own, e.g. a row_number() materialised once.)

-- Per meeting: entitled = roster size on held_on. A running sum over each organisation's membership events (+1 on
-- joined_on, -1 on left_on, both counted before a meeting on the same day): one sort instead of a
-- members x meetings range join.
CREATE OR REPLACE TEMP TABLE fact_meeting_roster AS
WITH timeline AS (
    SELECT org_id, joined_on AS on_date, 1 AS delta, CAST(NULL AS BIGINT) AS meeting_no
    FROM members
    WHERE left_on IS NULL OR left_on > joined_on  -- a spell that ends before it starts is never on the roster
    UNION ALL
    SELECT org_id, left_on, -1, NULL
    FROM members
    WHERE left_on > joined_on
    UNION ALL
    SELECT org_id, held_on, 0, rowid
    FROM meetings
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

-- Per meeting: present and recorded count rostered members' attendance rows; the one full pass over attendance.
-- Attendance's roster test is computed as a value and counted with FILTER rather than written as a join
-- condition: as a join condition the optimiser joins members to meetings on org_id first and builds every roster
-- pair of the whole history before it meets attendance (4x slower at 10M rows). Only the columns the test needs
-- are joined, so that the hash tables stay small.
CREATE OR REPLACE TEMP TABLE fact_meeting_attendance AS
SELECT
    m.meeting_no,
    count(*) FILTER (WHERE p.org_id = m.org_id AND p.joined_on <= m.held_on
        AND (p.left_on IS NULL OR p.left_on > m.held_on)) AS recorded,
    count(*) FILTER (WHERE a.status = 'present' AND p.org_id = m.org_id AND p.joined_on <= m.held_on
        AND (p.left_on IS NULL OR p.left_on > m.held_on)) AS present  -- present(m) counts rostered members only
FROM attendance a
JOIN (SELECT rowid AS meeting_no, meeting_id, org_id, held_on FROM meetings) m ON m.meeting_id = a.meeting_id
JOIN (SELECT member_id, org_id, joined_on, left_on FROM members) p ON p.member_id = a.member_id
GROUP BY m.meeting_no;

-- Per meeting: the counts above and the agenda's shape (MTG007, DQ004).
CREATE OR REPLACE {table} fact_meeting AS
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
FROM (SELECT rowid AS meeting_no, * FROM meetings) m
LEFT JOIN fact_meeting_roster r ON r.meeting_no = m.meeting_no
LEFT JOIN fact_meeting_attendance a ON a.meeting_no = m.meeting_no
LEFT JOIN agenda g ON g.meeting_id = m.meeting_id;

DROP TABLE fact_meeting_roster;

DROP TABLE fact_meeting_attendance;

-- Decisions taken outside a meeting (MTG008) with the organisation's first party group meeting after the decision's
-- date and the first party group meeting on or after it that reports it (an `emergency_report` item referring to
-- it). Both are fixed by the records: the rule judges a decision once that next meeting is before as_of, and every
-- meeting up to it is then held by as_of. One window over the organisation's meetings instead of joining each
-- decision to all its organisation's later meetings at every check.
CREATE OR REPLACE {table} fact_emergency AS
WITH timeline AS (
    SELECT
        org_id,
        meeting_id,
        kind,
        held_on,
        -- the first party group meeting strictly after it: on the same day, party group meetings sort first
        min(CASE WHEN kind = 'party_group' THEN held_on END) OVER (
            PARTITION BY org_id
            ORDER BY held_on, CASE WHEN kind = 'party_group' THEN 0 ELSE 1 END
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
        ) AS next_party_group_on
    FROM fact_meeting
    WHERE kind IN ('party_group', 'emergency_decision')
),
reports AS (  -- reports of a decision at a party group meeting
    SELECT r.refers_to_meeting_id AS decision_id, p.org_id, p.held_on
    FROM agenda_items r
    JOIN fact_meeting p ON p.meeting_id = r.meeting_id
    WHERE r.category = 'emergency_report'
      AND p.kind = 'party_group'
)
SELECT
    d.meeting_id,
    d.org_id,
    d.held_on,
    d.next_party_group_on,
    min(r.held_on) AS first_reported_on  -- at a meeting of its own organisation, on or after its date
FROM timeline d
LEFT JOIN reports r ON r.decision_id = d.meeting_id AND r.org_id = d.org_id AND r.held_on >= d.held_on
WHERE d.kind = 'emergency_decision'
GROUP BY d.meeting_id, d.org_id, d.held_on, d.next_party_group_on;

-- Rostered members marked absent (ATT001). The absent rows are fetched behind a MATERIALIZED barrier: otherwise the
-- optimiser turns the roster test into a members-meetings join and builds every roster pair of the history before
-- it meets the few absent rows.
CREATE OR REPLACE {table} fact_absence AS
WITH absent AS MATERIALIZED (
    SELECT meeting_id, member_id, written_opinion FROM attendance WHERE status = 'absent'
)
SELECT a.meeting_id, a.member_id, m.org_id, m.kind, m.held_on, coalesce(a.written_opinion, false) AS written_opinion
FROM absent a
JOIN fact_meeting m ON m.meeting_id = a.meeting_id
JOIN members p ON p.member_id = a.member_id
WHERE p.org_id = m.org_id AND p.joined_on <= m.held_on AND (p.left_on IS NULL OR p.left_on > m.held_on);

-- Per member (membership row) and year: hours attended at the organisation's study meetings held while on its
-- roster (STU001): a row's hours when given (partial attendance, whatever the status), else the meeting's duration
-- when present, else 0. DECIMAL so that the share comparison stays exact.
CREATE OR REPLACE {table} fact_study_hours AS
WITH study AS MATERIALIZED (
    SELECT meeting_id, org_id, held_on, year, duration_hours FROM fact_meeting WHERE kind = 'study'
)
SELECT
    a.member_id,
    m.year,
    sum(CAST(coalesce(a.hours, CASE WHEN a.status = 'present' THEN m.duration_hours END, 0) AS DECIMAL(18, 3)))
        FILTER (WHERE p.org_id = m.org_id AND p.joined_on <= m.held_on AND (p.left_on IS NULL OR p.left_on > m.held_on))
        AS attended_hours  -- the roster test as a FILTER, not a join condition (see fact_meeting_attendance)
FROM attendance a
JOIN study m ON m.meeting_id = a.meeting_id
JOIN (SELECT member_id, org_id, joined_on, left_on FROM members) p ON p.member_id = a.member_id
GROUP BY a.member_id, m.year;

-- Rostered members without an attendance row at a meeting other than an emergency decision (DQ001). Only meetings
-- with fewer rostered rows than rostered members can miss one, so the roster is expanded for those alone: the pairs
-- of the whole history never materialise.
CREATE OR REPLACE {table} fact_unrecorded AS
WITH short AS (
    SELECT meeting_id, org_id, held_on, kind
    FROM fact_meeting
    WHERE kind <> 'emergency_decision'  -- decisions outside a meeting have no attendance
      AND recorded < entitled
),
rostered AS (
    SELECT m.meeting_id, m.org_id, m.held_on, m.kind, p.member_id
    FROM short m
    JOIN members p ON p.org_id = m.org_id AND p.joined_on <= m.held_on
    WHERE p.left_on IS NULL OR p.left_on > m.held_on
),
recorded_rows AS (  -- attendance of the short meetings only (a join on the fact table, whose size the optimiser
    -- knows: written as IN (SELECT ... FROM short) it hashed the whole of attendance instead)
    SELECT a.meeting_id, a.member_id
    FROM attendance a
    JOIN fact_meeting m ON m.meeting_id = a.meeting_id
    WHERE m.kind <> 'emergency_decision' AND m.recorded < m.entitled
)
SELECT r.meeting_id, r.member_id, r.org_id, r.held_on, r.kind
FROM rostered r
LEFT JOIN recorded_rows x ON x.meeting_id = r.meeting_id AND x.member_id = r.member_id
WHERE x.member_id IS NULL;

-- The items that have per-member votes, with what the vote facts need to know about their meeting: a few hundred
-- thousand of the ten million items, so that the votes join a small table rather than every item.
CREATE OR REPLACE TEMP TABLE fact_voted_item AS
SELECT i.item_id, i.meeting_id, m.org_id, m.kind, m.held_on, m.chair_id
FROM agenda_items i
JOIN fact_meeting m ON m.meeting_id = i.meeting_id
WHERE i.item_id IN (SELECT item_id FROM votes);

-- Meetings with per-member votes on an item: a table of its own so that the optimiser knows how few they are and
-- joins attendance to them, not the other way round.
CREATE OR REPLACE TEMP TABLE fact_voted_meeting AS
SELECT DISTINCT meeting_id
FROM fact_voted_item;

-- Per-member votes with what the vote facts need to know about the voter on that item: every vote, for the counts
-- of fact_item below. Attendance is read only for the meetings that have per-member votes.
CREATE OR REPLACE TEMP TABLE fact_vote_all AS
WITH voted AS (
    SELECT v.item_id, v.member_id, v.choice, v.cast_order, i.meeting_id, i.org_id, i.kind, i.held_on, i.chair_id
    FROM votes v
    JOIN fact_voted_item i ON i.item_id = v.item_id
),
voted_attendance AS (
    SELECT a.meeting_id, a.member_id, a.status
    FROM attendance a
    JOIN fact_voted_meeting vm ON vm.meeting_id = a.meeting_id
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

-- The votes the vote rules judge one by one: cast by a member not present (VOT002) or recused (VOT004). A few
-- percent of the votes; the rest are only counted, in fact_item, so the store keeps these alone (at 40M attendance
-- rows 0.4M of 6.1M votes: writing all of them cost ~3.5 s more and every check read them).
CREATE OR REPLACE {table} fact_vote AS
SELECT *
FROM fact_vote_all
WHERE NOT is_present OR is_recused;

DROP TABLE fact_voted_meeting;

DROP TABLE fact_voted_item;

-- Agenda items with what the item rules need to know about their meeting, entitled(item) = rostered members not
-- recused, yes/no as "Votes" in rules.md counts them (VOT001, VOT003, VOT006, DQ002, MTG003…) and the order the
-- votes were stated in (VOT005). One statement
-- from the records and the facts above: the ten million items are never held in a temporary table.
CREATE OR REPLACE {table} fact_item AS
WITH item_votes AS (
    SELECT
        item_id,
        count(*) AS votes_recorded,
        count(*) FILTER (WHERE choice = 'yes') AS votes_yes_all,
        count(*) FILTER (WHERE choice = 'no') AS votes_no_all,
        count(*) FILTER (WHERE choice = 'abstain') AS votes_abstain_all,
        -- absent and recused members' votes count neither as yes nor as no (VOT002/VOT004 report them)
        count(*) FILTER (WHERE choice = 'yes' AND is_present AND NOT is_recused) AS votes_yes,
        count(*) FILTER (WHERE choice = 'no' AND is_present AND NOT is_recused) AS votes_no,
        -- the order positions were stated in (VOT005): the last one, and the chair's (one vote per member and item)
        max(cast_order) AS max_order,
        count(cast_order) AS ordered_votes,
        max(cast_order) FILTER (WHERE is_chair) AS chair_order
    FROM fact_vote_all
    GROUP BY item_id
),
item_recused AS (  -- rostered members who withdrew from the item
    SELECT r.item_id, count(DISTINCT r.member_id) AS recused
    FROM recusals r
    JOIN agenda_items i ON i.item_id = r.item_id
    JOIN fact_meeting m ON m.meeting_id = i.meeting_id
    JOIN members p ON p.member_id = r.member_id
    WHERE p.org_id = m.org_id AND p.joined_on <= m.held_on AND (p.left_on IS NULL OR p.left_on > m.held_on)
    GROUP BY r.item_id
)
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
    coalesce(c.votes_recorded, 0) AS votes,  -- every vote of the item: votes name recorded items (import checks)
    m.entitled - coalesce(r.recused, 0) AS entitled,
    c.item_id IS NOT NULL AS has_votes,
    (i.yes_count IS NOT NULL OR i.no_count IS NOT NULL OR i.abstain_count IS NOT NULL) AS has_tally,
    coalesce(c.votes_yes_all, 0) AS votes_yes_all,
    coalesce(c.votes_no_all, 0) AS votes_no_all,
    coalesce(c.votes_abstain_all, 0) AS votes_abstain_all,
    -- per-member votes win over the tally when any exist
    CASE WHEN c.item_id IS NOT NULL THEN c.votes_yes ELSE coalesce(i.yes_count, 0) END AS yes,
    CASE WHEN c.item_id IS NOT NULL THEN c.votes_no ELSE coalesce(i.no_count, 0) END AS no,
    c.max_order,
    coalesce(c.ordered_votes, 0) AS ordered_votes,
    c.chair_order
FROM agenda_items i
JOIN fact_meeting m ON m.meeting_id = i.meeting_id
LEFT JOIN item_votes c ON c.item_id = i.item_id
LEFT JOIN item_recused r ON r.item_id = i.item_id;

DROP TABLE fact_vote_all;
