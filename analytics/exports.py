"""Findings exports an inspector can hand over: CSV, Excel, JSON, Parquet.

Exports must be safe to open: Excel and WPS run a text cell starting with ``= + - @`` as a formula, so every text
cell that starts with one is prefixed with an apostrophe (OWASP's CSV-injection advice). CSV is written as UTF-8 with
a BOM, or Excel on Chinese Windows shows mojibake.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix every text cell that a spreadsheet would read as a formula with an apostrophe."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(r"^[=+\-@\t\r]"))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as a safe CSV for Excel users: UTF-8 with a BOM, formulas neutralised."""
    return "\ufeff".encode() + neutralise_formulas(frame).write_csv().encode()


def write_findings(findings: pl.DataFrame, path: Path) -> Path:
    """Write findings by the file's suffix: ``.csv``, ``.xlsx``, ``.json`` or ``.parquet``."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        path.write_bytes(csv_bytes(findings))
    elif suffix == ".xlsx":
        neutralise_formulas(findings).write_excel(path, worksheet="findings", autofit=True)
    elif suffix == ".json":
        findings.write_json(path)
    elif suffix == ".parquet":
        findings.write_parquet(path)
    else:
        raise ValueError(f"unsupported export format: {path.suffix}")
    return path
