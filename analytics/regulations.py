"""The five regulations the rule catalogue cites (``shared/regulations/README.md``).

A finding cites a regulation by its title and article, never by file name: :func:`cite` renders
「《乌恰县人民政府党组工作规则（修订）》第六条（四）」 from a regulation id and an article.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Regulation:
    """One published working rule: the id the catalogue uses, the title to cite, its year and the body it governs."""

    id: str
    title: str
    year: int
    body_zh: str
    body_en: str
    file: str  # name of the source text in shared/regulations/


REGULATIONS: dict[str, Regulation] = {
    r.id: r
    for r in (
        Regulation(
            "000",
            "XX区人民政府办公室党组工作规则",
            2023,
            "区人民政府办公室党组",
            "district government office Party group",
            "000_3e6945598e3ca876.txt",
        ),
        Regulation(
            "001",
            "乌恰县人民政府党组工作规则（修订）",
            2024,
            "县人民政府党组",
            "county government Party group",
            "001_6306d5eecd14520c.txt",
        ),
        Regulation(
            "002",
            "中共江阴市人大常委会党组工作规则",
            2017,
            "市人大常委会党组",
            "city people's congress standing committee Party group",
            "002_b4dcb8677ea97559.txt",
        ),
        Regulation(
            "003",
            "柞村镇镇级班子工作制度（莱州市）",
            2018,
            "镇党委",
            "town Party committee",
            "003_8522d872685b7ee7.txt",
        ),
        Regulation(
            "004",
            "中共西宁市城中区人力资源和社会保障局党组工作规则（试行）",
            2021,
            "区人力资源和社会保障局党组",
            "district bureau Party group",
            "004_b48813dfa7bc6dae.txt",
        ),
    )
}

#: The national baseline all five follow; named in the docs, not cited by findings.
BASELINE_TITLE = "中国共产党党组工作条例"


def cite(regulation_id: str, articles: list[str] | tuple[str, ...]) -> str:
    """「《title》article、article」: one regulation with the articles cited from it."""
    return f"《{REGULATIONS[regulation_id].title}》" + "、".join(articles)
