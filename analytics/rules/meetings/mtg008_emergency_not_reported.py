"""MTG008 emergency-reported: a decision taken outside a meeting was not reported back to the party group.

Flags:
    An `emergency_decision` row for which no `emergency_report` item whose `refers_to_meeting_id` is it sits on a
    `party_group` meeting held on or after its date and no later than the organisation's first `party_group`
    meeting after its date; judged once that first meeting is before as_of.
Why:
    临机处置的，事后应及时向党组报告 (000 第十九条; 004 第十三条（六）).
Example:
    `M-2025-E01` decided 2025-03-14; the next party group meeting (2025-04-02) has no report of it.
Not flagged:
    Reports at a meeting on the decision's own date or at the first meeting after it; decisions whose next party
    group meeting is on or after as_of, or not yet held (not yet due); reports on other kinds of meeting do not
    count.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule, Source

SQL = """
SELECT
    e.org_id,
    e.meeting_id AS subject_key,
    e.meeting_id,
    strftime(e.held_on, '%Y-%m-%d') AS period,
    e.held_on,
    e.next_party_group_on AS next_held_on
FROM f_emergency e  -- each decision's next party group meeting and first report (facts.sql)
JOIN rule_settings s ON s.org_id = e.org_id
WHERE e.next_party_group_on < getvariable('as_of')  -- judged once the first meeting after it is past
  AND (e.first_reported_on IS NULL OR e.first_reported_on > e.next_party_group_on)  -- not by that meeting
"""

RULE = Rule(
    id="MTG008",
    slug="emergency-reported",
    name_zh="临机处置事后报告",
    name_en="Emergency decision reported",
    severity="violation",
    subject=("meeting",),
    needs=("agenda_items",),
    sources=(Source("000", "第十九条"), Source("004", "第十三条（六）")),
    sql=SQL,
    message_zh="{held_on} 临机处置事项 {meeting_id} 未在其后首次党组会议（{next_held_on}）前报告",
    message_en="Emergency decision {meeting_id} of {held_on} was not reported by the next party group meeting "
    "({next_held_on})",
    evidence=("held_on", "next_held_on"),
    doc=__doc__,
)
