"""Shared fixtures: a minimal valid record set on disk, and a throw-away store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.store import Store, open_store

TINY_RECORDS = Path(__file__).parent / "data" / "tiny"


@pytest.fixture
def tiny_records(tmp_path: Path) -> Path:
    """A folder of CSV files (English headers) holding a small valid record set covering all ten tables:
    two organisations, six members (one leaves 2025-06-01, one joins that day), four meetings."""
    out = tmp_path / "records"
    shutil.copytree(TINY_RECORDS, out)
    return out


@pytest.fixture
def empty_store() -> Iterator[Store]:
    """A new in-memory store."""
    with open_store(memory=True) as store:
        yield store
