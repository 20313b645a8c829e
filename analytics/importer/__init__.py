"""Importing records: CSV / Parquet folders, Excel workbooks and zips of them, checked whole before anything is written.

See ``docs/import.md`` for what is accepted and how problems are reported.
"""

from analytics.importer.errors import ImportRejected, Problem
from analytics.importer.load import ImportSummary, TableImport, import_path

__all__ = ["ImportRejected", "ImportSummary", "Problem", "TableImport", "import_path"]
