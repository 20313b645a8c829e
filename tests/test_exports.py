"""Exports are safe to open in Excel/WPS and readable on Chinese Windows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analytics.exports import neutralise_formulas, write_findings

AWKWARD = pl.DataFrame(
    {
        "rule_id": ["MTG002", "VOT001"],
        "message_zh": ['=HYPERLINK("http://x")', "应到 9 人，实到 4 人"],
        "org_name": ["@SUM(A1)", "-1+2"],
        "count": [1, 2],
    }
)


def test_formulas_are_neutralised_in_every_text_column() -> None:
    safe = neutralise_formulas(AWKWARD)
    assert safe["message_zh"].to_list() == ['\'=HYPERLINK("http://x")', "应到 9 人，实到 4 人"]
    assert safe["org_name"].to_list() == ["'@SUM(A1)", "'-1+2"]
    assert safe["count"].to_list() == [1, 2]


def test_csv_has_a_bom_and_neutralised_cells(tmp_path: Path) -> None:
    path = write_findings(AWKWARD, tmp_path / "findings.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".parquet"])
def test_other_formats_round_trip(tmp_path: Path, suffix: str) -> None:
    path = write_findings(AWKWARD, tmp_path / f"findings{suffix}")
    back = {".xlsx": pl.read_excel, ".json": pl.read_json, ".parquet": pl.read_parquet}[suffix](path)
    assert back.height == 2
    assert back["rule_id"].to_list() == ["MTG002", "VOT001"]
