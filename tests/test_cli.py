"""The command line refuses bad arguments with one clear zh/en line and status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from analytics.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["import", "/no/such/folder"], "/no/such/folder"),
        (["simulate", "--out", "x", "--orgs", "0"], "--orgs"),
        (["simulate", "--out", "x", "--years", "0"], "--years"),
        (["simulate", "--out", "x", "--format", "xls"], "--format"),
        (["simulate", "--out", "x", "--violation-rate", "1.5"], "--violation-rate"),
        (["check", "--as-of", "2024-13-01"], "2024-13-01"),
        (["check", "--rulebook-file", "/no/such/rulebook.toml"], "/no/such/rulebook.toml"),
        (["check", "--out", "findings.txt"], "findings.txt"),
        (["template"], "--out"),
        (["template", "--out", "template.csv"], "template.csv"),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v),
)
def test_bad_arguments_give_a_clear_error(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "错误" in result.output and "Error" in result.output
    assert expected in result.output


def test_info_on_a_missing_store(tmp_path) -> None:
    result = runner.invoke(app, ["info", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "quorum demo" in result.output


def test_analytics_and_simulations_never_import_streamlit() -> None:
    code = (
        "import sys, analytics, analytics.cli, analytics.store, analytics.importer, analytics.engine, simulations;"
        "assert 'streamlit' not in sys.modules, 'streamlit imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("defer", [False, True], ids=["facts built", "--defer-facts"])
def test_import_builds_the_record_facts_unless_deferred(tmp_path, defer: bool) -> None:
    from analytics import facts
    from analytics.store import open_store
    from analytics.summaries import summaries_ready
    from simulations import simulate

    world = simulate(tmp_path / "world", orgs=3, years=1, seed=5).out_dir
    db = tmp_path / "q.duckdb"
    result = runner.invoke(app, ["import", str(world), "--db", str(db), *(["--defer-facts"] * defer)])
    assert result.exit_code == 0, result.output
    assert ("记录事实已更新" in result.output) is not defer
    with open_store(db) as store:
        assert facts.current(store) is not defer
        assert summaries_ready(store) is not defer  # counted from the facts, so deferred with them
