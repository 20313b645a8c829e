"""The simulator is the rule engine's oracle: simulate → import → check equals truth.csv exactly, at several seeds.

The truth is computed by the simulator from rules.md independently of the engine, so a disagreement is a bug in one
of them; the failure prints the differing (rule_id, subject_key) pairs to tell which.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analytics.engine import check
from analytics.importer import import_path
from analytics.rules import RULES
from analytics.store import open_store
from simulations import simulate


@pytest.mark.parametrize(("seed", "rate", "orgs", "years"), [(11, 0.05, 14, 3), (12, 0.2, 14, 3), (13, 0.4, 26, 4)])
def test_engine_reports_exactly_the_simulated_truth(
    tmp_path: Path, seed: int, rate: float, orgs: int, years: int
) -> None:
    world = simulate(tmp_path / "world", orgs=orgs, years=years, seed=seed, violation_rate=rate)
    as_of = json.loads(world.meta_path.read_text(encoding="utf-8"))["as_of"]
    truth = pl.read_csv(world.truth_path, infer_schema=False)
    with open_store(memory=True) as store:
        import_path(store, world.out_dir)
        findings = check(store, as_of=as_of, save=False)

    expected = set(truth.select("rule_id", "subject_key").iter_rows())
    reported = set(findings.select("rule_id", "subject_key").iter_rows())
    missing, extra = sorted(expected - reported), sorted(reported - expected)
    assert not missing and not extra, (
        f"seed {seed}: {len(missing)} in truth but not reported: {missing[:30]}\n"
        f"{len(extra)} reported but not in truth: {extra[:30]}"
    )
    assert len(expected) > 0
    if rate >= 0.4:
        # At a high rate every rule of the registry is violated, so the comparison is not vacuous for any of them.
        assert {rule.id for rule in RULES} <= {rule_id for rule_id, _ in expected}
