"""What a rule is: its identity, documentation, citations, settings and one SQL query over the shared views.

A rule module (one per rule, e.g. ``meetings/mtg002_quorum_not_met.py``) builds one :class:`Rule` from its own
docstring, a frozen settings dataclass and a SELECT. The SELECT joins ``rule_settings s`` (one row per
organisation where the rule is in force, with its settings as columns, see :mod:`analytics.settings`) and returns
one row per finding: ``org_id``, ``subject_key``, ``period``, the id columns of its subject and the columns its
message templates and evidence name. The engine adds severity, citation, names and messages around it, so a rule
never formats text in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Id columns each subject form carries (rules.md, "subject_key").
SUBJECT_IDS: dict[str, tuple[str, ...]] = {
    "meeting": ("meeting_id",),
    "item": ("meeting_id", "item_id"),
    "attendance": ("meeting_id", "member_id"),
    "vote": ("meeting_id", "item_id", "member_id"),
    "member-year": ("member_id",),
    "org-month": (),
    "org-year": (),
    "rectification": ("rect_id",),
    "minutes gap": (),
}
SUBJECT_FORMS: dict[str, str] = {
    "meeting": "M",
    "item": "I",
    "attendance": "M/member",
    "vote": "I/member",
    "member-year": "member/YYYY",
    "org-month": "org/YYYY-MM",
    "org-year": "org/YYYY",
    "rectification": "R",
    "minutes gap": "org/YYYY/#n",
}
ID_COLUMNS: tuple[str, ...] = ("member_id", "meeting_id", "item_id", "rect_id")
DOC_SECTIONS: tuple[str, ...] = ("Flags:", "Why:", "Example:", "Not flagged:", "Settings:")
RULE_ID = re.compile(r"^(MTG|ATT|STU|DLM|REC|VOT|RPT|TLK|RES|DQ)\d{3}$")


@dataclass(frozen=True)
class NoSettings:
    """A rule without settings of its own (only ``severity``, which every rule has)."""


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a regulation id (``analytics.regulations``), the article, and an optional note."""

    regulation: str
    article: str  # as cited, full-width brackets: 第六条（四）; 003's sub-rules named: 党委民主生活会制度六
    note: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    name_zh: str
    name_en: str
    severity: str  # violation | warning | data_quality
    subject: tuple[str, ...]  # subject forms (keys of SUBJECT_IDS); MTG009 has two
    sql: str
    message_zh: str  # template: {column} or {column:g} (a number without trailing zeros), filled in SQL
    message_en: str
    evidence: tuple[str, ...]  # columns of the SELECT recorded as the finding's evidence JSON
    doc: str
    sources: tuple[Source, ...] = ()
    settings: type = NoSettings
    needs: tuple[str, ...] = ()  # optional tables; a rule whose table was never imported is skipped

    @property
    def id_columns(self) -> tuple[str, ...]:
        """The id columns (of :data:`ID_COLUMNS`) its SELECT returns."""
        wanted = {c for s in self.subject for c in SUBJECT_IDS[s]}
        return tuple(c for c in ID_COLUMNS if c in wanted)

    @property
    def subject_forms(self) -> str:
        return ", ".join(f"{s} `{SUBJECT_FORMS[s]}`" for s in self.subject)

    def doc_section(self, title: str) -> str:
        """The text of one docstring section (e.g. ``"Flags:"``), dedented."""
        lines = self.doc.splitlines()
        try:
            start = next(i for i, line in enumerate(lines) if line.strip() == title)
        except StopIteration:
            return ""
        body: list[str] = []
        for line in lines[start + 1 :]:
            if line.strip() in DOC_SECTIONS:
                break
            body.append(line.strip())
        return "\n".join(body).strip()

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""
