"""Small edits to a record set's CSV files, for the tests that make bad input out of good."""

from __future__ import annotations

import csv
from pathlib import Path


def edit(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell of ``folder/file``; ``row`` is the Excel row number (header = 1)."""
    path = folder / file
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def append(folder: Path, file: str, *lines: str) -> None:
    """Append raw lines to ``folder/file``."""
    with (folder / file).open("a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)
