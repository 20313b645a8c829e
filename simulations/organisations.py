"""The organisation tree of a simulated county (or, for large worlds, a city of counties) and its name pools.

A county is its government's Party group (the root), the Party groups of the people's congress, the CPPCC, the
court, the procuratorate and the government's departments and bureaus, and the Party committees of its towns. Each
organisation gets one of the installed rulebooks, round-robin after the root, so every rulebook governs someone
whenever there are at least six organisations; the rulebook also picks a fitting body (the town rulebook governs
towns, the people's-congress rulebook the 人大常委会, …). Person names come from a pool drawn once from Faker, so a
world of millions of rows never calls Faker per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from simulations.codes import day, year_of

#: Rulebooks in the order organisations after the root receive them; the root has none (the installation default).
ROUND_ROBIN: tuple[str, ...] = (
    "xx-district-office-2023",
    "wuqia-county-2024",
    "jiangyin-npc-2017",
    "zhacun-town-2018",
    "chengzhong-hrss-2021",
    "standard",
)
DEFAULT_RULEBOOK = "standard"
COUNTY_SIZE = 48  # organisations per county, its root included

#: Bodies a rulebook prefers, in order, before it takes an ordinary department (name template, level).
_PREFERRED: dict[str, tuple[tuple[str, str], ...]] = {
    "jiangyin-npc-2017": (("{c}县人大常委会党组", "county"), ("政协{c}县委员会党组", "county")),
    "xx-district-office-2023": (("{c}县人民政府办公室党组", "department"),),
    "chengzhong-hrss-2021": (("{c}县人力资源和社会保障局党组", "department"),),
    "wuqia-county-2024": (("{c}县人民法院党组", "county"), ("{c}县人民检察院党组", "county")),
}
_DEPARTMENTS: tuple[str, ...] = (
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业和草原局",
    "乡村振兴局",
    "信访局",
    "体育局",
    "行政审批局",
    "城市管理局",
    "民族宗教事务局",
    "粮食和物资储备局",
    "机关事务管理局",
    "数据局",
    "总工会",
    "妇女联合会",
    "科学技术协会",
    "文学艺术界联合会",
    "残疾人联合会",
    "工商业联合会",
    "供销合作社联合社",
    "红十字会",
    "融媒体中心",
    "档案馆",
    "住房公积金管理中心",
    "税务局",
    "气象局",
)


def place_pool() -> list[str]:
    """Two-character place names (Faker zh_CN cities and districts), de-duplicated in a fixed order."""
    from faker.providers.address.zh_CN import Provider as _ZhAddress

    names = [n for n in (*_ZhAddress.districts, *_ZhAddress.cities) if 2 <= len(n) <= 3]
    return list(dict.fromkeys(names))


def name_pool(seed: int, size: int = 4096) -> np.ndarray:
    """Person names for the whole world, drawn once per seed the way Faker's zh_CN ``name()`` makes them (a surname
    by its frequency, then a given name), but straight from its lists: a Faker instance took a second and a half."""
    from faker.providers.person.zh_CN import Provider as _ZhPerson

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2,)))
    surnames = np.array(list(_ZhPerson.last_names), dtype=object)
    weights = np.array(list(_ZhPerson.last_names.values()), dtype=np.float64)
    given = np.array(list(_ZhPerson.first_names), dtype=object)
    return (
        surnames[rng.choice(len(surnames), size=size, p=weights / weights.sum())]
        + given[rng.integers(0, len(given), size=size)]
    )


@dataclass(frozen=True)
class Period:
    """The simulated years and the day the world is judged on (the day after the last year by default)."""

    start_year: int
    years: int

    @property
    def end_year(self) -> int:
        return self.start_year + self.years - 1

    @property
    def first_day(self) -> int:
        return int(day(self.start_year))

    @property
    def as_of(self) -> int:
        return int(day(self.end_year + 1))


def plan_organisations(orgs: int, period: Period, rng: np.random.Generator) -> pl.DataFrame:
    """The organisation table with the simulator's own columns beside the contract's.

    Contract columns: org_id, name, parent_id, level, rulebook, established_on, dissolved_on (dates as day numbers,
    null when not written). Simulator columns: ``org`` (index), ``exists_from`` / ``exists_until`` (the true
    existence interval; until = as_of when never dissolved), ``body`` ("党委" or "党组", for meeting titles),
    ``size`` (initial roster size) and ``term_start`` (when the sitting members took office, the year before the
    period: the spec judges every year in which someone was a whole-year member, and the records begin with the
    period).
    """
    width = max(4, len(str(orgs - 1)))
    places = place_pool()
    place_order = rng.permutation(len(places))
    multi = orgs > COUNTY_SIZE

    ids, names, parents, levels, rulebooks, bodies = [], [], [], [], [], []
    county_name = ""
    county_root = ""
    used: set[str] = set()
    towns: list[str] = []
    departments: list[str] = []
    county_no = -1

    def new_county() -> None:
        nonlocal county_name, county_no, towns, departments, used
        county_no += 1
        county_name = places[place_order[county_no % len(places)]]
        pool = [places[i] for i in rng.permutation(len(places)) if places[i] != county_name]
        towns = [p + ("乡" if rng.random() < 0.2 else "镇") for p in pool]
        departments = [_DEPARTMENTS[i] for i in rng.permutation(len(_DEPARTMENTS))]
        used = set()

    for i in range(orgs):
        org_id = f"ORG-{i:0{width}d}"
        rulebook = None if i == 0 else ROUND_ROBIN[(i - 1) % len(ROUND_ROBIN)]
        in_county = (i - 1) % COUNTY_SIZE if multi else i
        if i == 0 and multi:
            city = places[place_order[-1]]
            name, level, parent, body = f"{city}市人民政府党组", "city", None, "党组"
        elif (multi and in_county == 0) or (not multi and i == 0):
            new_county()
            name, level, body = f"{county_name}县人民政府党组", "county", "党组"
            parent = ids[0] if multi else None
            county_root = org_id
        elif rulebook == "zhacun-town-2018":
            name, level, parent, body = f"中共{county_name}县{towns.pop(0)}委员会", "town", county_root, "党委"
        else:
            preferred = [p for p in _PREFERRED.get(rulebook or "", ()) if p[0] not in used]
            if preferred:
                template, level = preferred[0]
                used.add(template)
                name = template.format(c=county_name)
            else:
                name, level = f"{county_name}县{departments.pop(0)}党组", "department"
            parent, body = county_root, "党组"
        ids.append(org_id)
        names.append(name)
        parents.append(parent)
        levels.append(level)
        rulebooks.append(rulebook)
        bodies.append(body)

    index = np.arange(orgs)
    exists_from = np.full(orgs, period.first_day, dtype=np.int64)
    exists_until = np.full(orgs, period.as_of, dtype=np.int64)
    written_from = np.full(orgs, period.first_day, dtype=np.int64)
    has_written_from = np.ones(orgs, dtype=bool)
    # Fixed positions (not random draws) so that even a dozen organisations include one established during the
    # period and one dissolved: existence decides which months and years MTG001, STU002, DLM001 and RPT001 judge.
    roots = (index == 0) | (multi & ((index - 1) % COUNTY_SIZE == 0))
    late = (~roots) & (index % 9 == 7)
    dissolved = (~roots) & (index % 11 == 10)
    span = period.as_of - period.first_day
    n_late = int(late.sum())
    # Established between two months into the period and five months before its end, on any day of the month.
    late_from = period.first_day + 60 + rng.integers(0, max(1, span - 60 - 150), size=n_late)
    exists_from[late] = late_from
    written_from[late] = late_from
    # Half of them leave established_on empty: the default (earliest record) must then give the same answer.
    has_written_from[late] = (np.arange(n_late) % 2) == 0
    # Dissolved on the first day of a month, at least four months after the org began and before the period ends.
    n_dis = int(dissolved.sum())
    lo = exists_from[dissolved] + 120
    hi = np.maximum(lo + 1, period.as_of - 1)
    pick = lo + (rng.random(n_dis) * (hi - lo)).astype(np.int64)
    first_of_month = pick.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    month_after = (pick.astype("datetime64[D]").astype("datetime64[M]") + 1).astype("datetime64[D]").astype(np.int64)
    until = np.where(first_of_month > exists_from[dissolved] + 60, first_of_month, month_after)
    # Not before April: the annual report on the last whole year is due by 31 March and is filed before it goes.
    until_month = until.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    until = np.where(until_month < 3, day(year_of(until), 4, 1), until)
    ok = until < period.as_of
    exists_until[np.flatnonzero(dissolved)[ok]] = until[ok]
    dissolved_written = np.where(exists_until < period.as_of, exists_until, -1)

    size = np.where(roots, rng.integers(9, 12, size=orgs), rng.integers(5, 10, size=orgs))
    # The sitting term began in the year before the period (a 换届), after 1 January so no earlier year is judged.
    term_start = day(period.start_year - 1) + rng.integers(31, 330, size=orgs)
    term_start = np.where(exists_from > period.first_day, exists_from, term_start)

    return pl.DataFrame(
        {
            "org": index.astype(np.int64),
            "org_id": ids,
            "name": names,
            "parent_id": parents,
            "level": levels,
            "rulebook": rulebooks,
            "established_on": np.where(has_written_from, written_from, -1),
            "dissolved_on": dissolved_written,
            "exists_from": exists_from,
            "exists_until": exists_until,
            "body": bodies,
            "size": size.astype(np.int64),
            "term_start": term_start.astype(np.int64),
        },
        schema_overrides={"parent_id": pl.String, "rulebook": pl.String},
    ).with_columns(
        pl.when(pl.col(c) >= 0).then(pl.col(c)).otherwise(None).alias(c) for c in ("established_on", "dissolved_on")
    )


def rulebook_of(rulebook: str | None) -> str:
    """The rulebook that governs an organisation: its own, else the installation default."""
    return rulebook or DEFAULT_RULEBOOK
