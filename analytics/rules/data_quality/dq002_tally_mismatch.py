"""DQ002 tally-mismatch: an item's tally disagrees with its per-member votes.

Flags:
    An item with per-member votes where a non-empty `yes_count`, `no_count` or `abstain_count` differs from the
    number of recorded per-member votes of that choice (all recorded votes, absent and recused members' included).
    One finding per item, whatever number of counts differ.
Why:
    When both exist the per-member votes win (records.md, votes); the inspector should see that the minutes'
    tally says otherwise.
Example:
    `I-2025-031-2` records yes_count 6 but 5 members voted yes.
Not flagged:
    Items with only a tally or only per-member votes; empty tally counts. Items on `emergency_decision` rows are
    compared too.
Settings:
    none besides `severity`.
"""

from __future__ import annotations

from analytics.rules.rule import Rule

SQL = """
SELECT
    i.org_id,
    i.item_id AS subject_key,
    i.meeting_id,
    i.item_id,
    strftime(i.held_on, '%Y-%m-%d') AS period,
    i.held_on,
    i.yes_count,
    i.no_count,
    i.abstain_count,
    i.votes_yes_all AS votes_yes,
    i.votes_no_all AS votes_no,
    i.votes_abstain_all AS votes_abstain,
    coalesce(CAST(i.yes_count AS VARCHAR), '-') || '/' || coalesce(CAST(i.no_count AS VARCHAR), '-') || '/'
        || coalesce(CAST(i.abstain_count AS VARCHAR), '-') AS tally_text,
    CAST(i.votes_yes_all AS VARCHAR) || '/' || CAST(i.votes_no_all AS VARCHAR) || '/'
        || CAST(i.votes_abstain_all AS VARCHAR) AS votes_text
FROM v_item i
JOIN rule_settings s ON s.org_id = i.org_id
WHERE i.has_votes  -- only a disagreement between the two is a finding
  AND (
      i.yes_count <> i.votes_yes_all  -- an empty count is not compared (NULL)
      OR i.no_count <> i.votes_no_all
      OR i.abstain_count <> i.votes_abstain_all
  )
"""

RULE = Rule(
    id="DQ002",
    slug="tally-mismatch",
    name_zh="计票与逐人表决不一致",
    name_en="Tally mismatch",
    severity="data_quality",
    subject=("item",),
    needs=("votes",),
    sql=SQL,
    message_zh="{held_on} 议题 {item_id} 计票（赞成/反对/弃权）为 {tally_text}，逐人表决记录为 {votes_text}",
    message_en="Item {item_id} on {held_on}: tally (yes/no/abstain) {tally_text}, per-member votes {votes_text}",
    evidence=("yes_count", "no_count", "abstain_count", "votes_yes", "votes_no", "votes_abstain"),
    doc=__doc__,
)
