"""The written ids of a simulated world, built from each row's organisation and stable number.

Forms (``ORG-0007`` being the organisation): member ``ORG-0007-P012``, person key ``ORG-0007-H009``, meeting
``ORG-0007-M2025-031`` (31st meeting of 2025), agenda item ``ORG-0007-I2025-031-2`` (its 2nd item), rectification
``ORG-0007-R004``, report ``ORG-0007-RP011``, activity ``ORG-0007-A00123``. Every id starts with its organisation's,
so ids sort by organisation and never collide across chunks. Id tables keep the row order of the table they
name (joins with ``maintain_order``): the writer's dictionaries follow it, and Parquet bytes must not depend on how
threads happened to interleave. Every id table comes sorted by its integer key: the
writer's dictionaries follow that order, and a join's row order is not guaranteed.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from simulations.world import World


def year_expr(column: str) -> pl.Expr:
    """Calendar year of a day-number column."""
    return pl.col(column).cast(pl.Int32).cast(pl.Date).dt.year().cast(pl.String)


def _num(column: str, width: int) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.zfill(width)


@dataclass(frozen=True)
class Ids:
    orgs: pl.DataFrame  # org, org_id
    members: pl.DataFrame  # member, member_id, person_key
    meetings: pl.DataFrame  # meeting, meeting_id
    items: pl.DataFrame  # item, item_id
    rectifications: pl.DataFrame  # rect, rect_id


def member_ids(members: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    return (
        members.select("member", "org", "no", "person_no")
        .join(orgs.select("org", "org_id"), on="org", maintain_order="left")
        .select(
            "member",
            member_id=pl.concat_str(pl.col("org_id"), pl.lit("-P"), _num("no", 3)),
            person_key=pl.concat_str(pl.col("org_id"), pl.lit("-H"), _num("person_no", 3)),
        )
    )


def meeting_ids(meetings: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    return (
        meetings.select("meeting", "org", "no", "held_on")
        .join(orgs.select("org", "org_id"), on="org", maintain_order="left")
        .select(
            "meeting",
            meeting_id=pl.concat_str(pl.col("org_id"), pl.lit("-M"), year_expr("held_on"), pl.lit("-"), _num("no", 3)),
        )
    )


def item_ids(items: pl.DataFrame, meetings: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    m = meetings.select("meeting", "org", "held_on", mno="no").join(
        orgs.select("org", "org_id"), on="org", maintain_order="left"
    )
    return (
        items.select("item", "meeting", "no")
        .join(m, on="meeting", maintain_order="left")
        .select(
            "item",
            item_id=pl.concat_str(
                pl.col("org_id"),
                pl.lit("-I"),
                year_expr("held_on"),
                pl.lit("-"),
                _num("mno", 3),
                pl.lit("-"),
                pl.col("no").cast(pl.String),
            ),
        )
    )


def numbered_ids(frame: pl.DataFrame, key: str, orgs: pl.DataFrame, prefix: str, width: int) -> pl.DataFrame:
    """``<org_id>-<prefix><no>`` ids of rectifications, reports or activities."""
    return (
        frame.select(key, "org", "no")
        .join(orgs.select("org", "org_id"), on="org", maintain_order="left")
        .select(key, **{f"{key}_id": pl.concat_str(pl.col("org_id"), pl.lit(f"-{prefix}"), _num("no", width))})
    )


def with_ids(world: World) -> Ids:
    """The ids the findings' subject keys are made of (every meeting, item, member and rectification)."""
    orgs = world.orgs.select("org", "org_id")
    return Ids(
        orgs=orgs,
        members=member_ids(world.members, orgs),
        meetings=meeting_ids(world.meetings, orgs),
        items=item_ids(world.items, world.meetings, orgs),
        rectifications=numbered_ids(world.rectifications, "rect", orgs, "R", 3),
    )
