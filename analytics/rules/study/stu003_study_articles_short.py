"""STU003 study-articles: a member wrote fewer study articles in a year than required.

Flags:
    A whole-year member (on the roster on 1 January and 31 December of a year complete before as_of) whose
    `study_article` activities in that year add up (`quantity`, default 1) to fewer than `min_per_year`.
Why:
    党组成员每年撰写学习体会文章不少于4篇 (001 第八条（三）).
Example:
    P07 wrote 3 articles in 2024: `P07/2024`.
Not flagged:
    Members who joined or left during the year; the year of as_of; exactly `min_per_year` articles.
Settings:
    `min_per_year` (4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.rules.rule import Rule, Source
from analytics.rules.shared_sql import yearly_quota_sql


@dataclass(frozen=True)
class Settings:
    min_per_year: int = field(default=4, metadata={"help": "study articles each whole-year member writes a year"})


SQL = yearly_quota_sql("study_article", total="written", minimum="min_per_year")

RULE = Rule(
    id="STU003",
    slug="study-articles",
    name_zh="学习体会文章",
    name_en="Study articles",
    severity="violation",
    subject=("member-year",),
    needs=("activities",),
    settings=Settings,
    sources=(Source("001", "第八条（三）"),),
    sql=SQL,
    message_zh="{member_name}（{member_id}）{period} 年撰写学习体会文章 {written:g} 篇，少于 {min_per_year} 篇",
    message_en="{member_name} ({member_id}) wrote {written:g} study article(s) in {period}, fewer than {min_per_year}",
    evidence=("written", "min_per_year"),
    doc=__doc__,
)
