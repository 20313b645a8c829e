"""Inspectors' marks on findings: 已核实 (confirmed) or 已排除 (dismissed, with a reason).

A mark is keyed by what the finding is about (rule_id + subject_key), not by the check run, so it survives
re-running the check: the same meeting judged again by the same rule carries its mark into the new run. Checks never
touch ``finding_marks``; only these functions write it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import polars as pl

from analytics.store import Store

Mark = Literal["confirmed", "dismissed"]
MARK_VALUES: tuple[str, ...] = ("confirmed", "dismissed")


class MarkError(ValueError):
    """A mark that cannot be stored; ``str()`` is the Chinese message then the English one, a line each."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh}\n{en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class FindingMark:
    rule_id: str
    subject_key: str
    mark: Mark
    reason: str | None
    marked_by: str | None
    marked_at: datetime


def set_mark(
    store: Store,
    rule_id: str,
    subject_key: str,
    mark: Mark,
    *,
    reason: str | None = None,
    marked_by: str | None = None,
) -> FindingMark:
    """Mark a finding confirmed or dismissed (a dismissal needs a reason); replaces an earlier mark."""
    if mark not in MARK_VALUES:
        raise MarkError(f"未知的标记：{mark}（应为 confirmed 或 dismissed）", f"unknown mark {mark!r}")
    reason = (reason or "").strip() or None
    if mark == "dismissed" and not reason:
        raise MarkError("排除问题须填写理由", "a dismissal needs a reason")
    if not rule_id or not subject_key:
        raise MarkError("标记须指明规则和对象", "a mark needs a rule id and a subject key")
    stamp = datetime.now().replace(microsecond=0)
    store.con.execute(
        """INSERT INTO finding_marks VALUES ($rule, $key, $mark, $reason, $by, $at)
           ON CONFLICT (rule_id, subject_key) DO UPDATE
           SET mark = $mark, reason = $reason, marked_by = $by, marked_at = $at""",
        {"rule": rule_id, "key": subject_key, "mark": mark, "reason": reason, "by": marked_by, "at": stamp},
    ).fetchall()
    _summaries_follow(store)
    return FindingMark(rule_id, subject_key, mark, reason, marked_by, stamp)


def _summaries_follow(store: Store) -> None:
    """Keep the dashboard's counts of open findings in step (they subtract dismissed findings)."""
    from analytics.summaries import refresh_marks, summaries_ready

    if summaries_ready(store):
        refresh_marks(store)


def get_mark(store: Store, rule_id: str, subject_key: str) -> FindingMark | None:
    """The finding's mark, or None when unmarked."""
    cur = store.con.cursor()
    try:
        rows = cur.sql(
            """SELECT rule_id, subject_key, mark, reason, marked_by, marked_at FROM finding_marks
               WHERE rule_id = $rule AND subject_key = $key""",
            params={"rule": rule_id, "key": subject_key},
        ).fetchall()
    finally:
        cur.close()
    return FindingMark(*rows[0]) if rows else None


def clear_mark(store: Store, rule_id: str, subject_key: str) -> bool:
    """Remove the finding's mark; return whether there was one."""
    had = get_mark(store, rule_id, subject_key) is not None
    store.con.execute(
        "DELETE FROM finding_marks WHERE rule_id = $rule AND subject_key = $key",
        {"rule": rule_id, "key": subject_key},
    ).fetchall()
    _summaries_follow(store)
    return had


def marks(store: Store) -> pl.DataFrame:
    """Every mark, newest first."""
    cur = store.con.cursor()
    try:
        return cur.sql(
            "SELECT rule_id, subject_key, mark, reason, marked_by, marked_at FROM finding_marks "
            "ORDER BY marked_at DESC, rule_id, subject_key"
        ).pl()
    finally:
        cur.close()
