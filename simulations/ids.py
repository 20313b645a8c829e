"""The written ids of a simulated world, built from each row's organisation and stable number.

Forms (``ORG-0007`` being the organisation): member ``ORG-0007-P012``, person key ``ORG-0007-H009``, meeting
``ORG-0007-M2025-031`` (31st meeting of 2025), agenda item ``ORG-0007-I2025-031-2`` (its 2nd item), rectification
``ORG-0007-R004``, report ``ORG-0007-RP011``, activity ``ORG-0007-A00123``. Every id starts with its organisation's,
so ids sort by organisation and never collide across chunks. Id tables keep the row order of the table they name
(the writer's dictionaries follow it). The strings are composed in NumPy (:mod:`simulations.text`), a column at a
time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa

from simulations.codes import year_of
from simulations.text import compose, lit, num, pick
from simulations.world import World


def _org_pos(rows: pl.DataFrame, orgs: pl.DataFrame) -> np.ndarray:
    """Position in ``orgs`` of each row's organisation."""
    org = orgs["org"].to_numpy()
    slot = np.zeros(int(org.max(initial=-1)) + 1, dtype=np.int64)  # a dense look-up: no binary search per row
    slot[org] = np.arange(len(org), dtype=np.int64)
    return slot[rows["org"].to_numpy()]


def _frame(key: str, keys: pl.Series, column: str, values: pa.StringArray, **more: pa.StringArray) -> pl.DataFrame:
    return pl.DataFrame([keys.alias(key), pl.Series(column, values), *(pl.Series(name, v) for name, v in more.items())])


@dataclass(frozen=True)
class Ids:
    orgs: pl.DataFrame  # org, org_id
    members: pl.DataFrame  # member, member_id, person_key
    meetings: pl.DataFrame  # meeting, meeting_id
    items: pl.DataFrame  # item, item_id
    rectifications: pl.DataFrame  # rect, rect_id


def member_ids(members: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    org_ids = orgs["org_id"].to_list()
    at = _org_pos(members, orgs)
    n = members.height
    member_id = compose(n, pick(org_ids, at), lit("-P"), num(members["no"].to_numpy(), 3))
    person_key = compose(n, pick(org_ids, at), lit("-H"), num(members["person_no"].to_numpy(), 3))
    return _frame("member", members["member"], "member_id", member_id, person_key=person_key)


def meeting_ids(meetings: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    year = year_of(meetings["held_on"].to_numpy())
    at = _org_pos(meetings, orgs)
    ids = compose(
        meetings.height,
        pick(orgs["org_id"].to_list(), at),
        lit("-M"),
        num(year),
        lit("-"),
        num(meetings["no"].to_numpy(), 3),
    )
    return _frame("meeting", meetings["meeting"], "meeting_id", ids)


def item_ids(items: pl.DataFrame, meetings: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    # Each item's meeting through a dense look-up by meeting, and only the three columns the id is made of gathered
    # (a binary search per item and a gather of every meeting column cost more than composing the ids).
    m_key = meetings["meeting"].to_numpy()
    slot = np.zeros(int(m_key.max(initial=-1)) + 1, dtype=np.int64)
    slot[m_key] = np.arange(len(m_key), dtype=np.int64)
    row = slot[items["meeting"].to_numpy()]
    m = pl.DataFrame({c: meetings[c].to_numpy()[row] for c in ("org", "held_on", "no")})
    ids = compose(
        items.height,
        pick(orgs["org_id"].to_list(), _org_pos(m, orgs)),
        lit("-I"),
        num(year_of(m["held_on"].to_numpy())),
        lit("-"),
        num(m["no"].to_numpy(), 3),
        lit("-"),
        num(items["no"].to_numpy()),
    )
    return _frame("item", items["item"], "item_id", ids)


def numbered_ids(frame: pl.DataFrame, key: str, orgs: pl.DataFrame, prefix: str, width: int) -> pl.DataFrame:
    """``<org_id>-<prefix><no>`` ids of rectifications, reports or activities."""
    ids = compose(
        frame.height,
        pick(orgs["org_id"].to_list(), _org_pos(frame, orgs)),
        lit(f"-{prefix}"),
        num(frame["no"].to_numpy(), width),
    )
    return _frame(key, frame[key], f"{key}_id", ids)


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
