"""The inspection notebook runs top to bottom (nbclient, the venv's kernel) on the demo or a simulated store."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "inspection.ipynb"


def test_inspection_notebook_executes(tmp_path, monkeypatch):
    pytest.importorskip("ipykernel")
    demo = ROOT / "data" / "quorum.duckdb"
    # The demo store when there is one (read only); otherwise the notebook simulates a small world itself.
    monkeypatch.setenv("QUORUM_DB", str(demo if demo.exists() else tmp_path / "absent.duckdb"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute(env=dict(os.environ))
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # the two Plotly figures rendered
    assert sum("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs) == 2
