"""The record facts kept in the store: built by the import (or, when it deferred them, by the first check), then
reused, never stale.

A check must give the same findings whether its facts were built by the import, by itself, by an earlier check, or
privately for a read-only store; it must not rebuild facts that are current, and must rebuild them after any change
of the records they are built from.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analytics import facts
from analytics.engine import check
from analytics.importer import import_path
from analytics.store import Store, open_store
from simulations import simulate


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("facts") / "world"
    result = simulate(out, orgs=8, years=2, seed=21, violation_rate=0.3)
    return result.out_dir, json.loads(result.meta_path.read_text(encoding="utf-8"))["as_of"]


def imported(world: tuple[Path, str], db: Path) -> Store:
    store = open_store(db)
    import_path(store, world[0])
    return store


def keys(findings: pl.DataFrame) -> set[tuple[str, str]]:
    return set(findings.select("rule_id", "subject_key").iter_rows())


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    calls: list[bool] = []
    build = facts.build

    def counting(*args: object, **kwargs: object) -> dict[str, float]:
        calls.append(bool(kwargs.get("temporary")))
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(facts, "build", counting)
    return calls


def test_the_import_builds_the_facts_and_checks_reuse_them(
    world: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = count_builds(monkeypatch)
    with open_store(tmp_path / "q.duckdb") as store:
        summary = import_path(store, world[0])
        assert builds == [False] and facts.current(store) and summary.facts_seconds is not None
        assert "记录事实已更新" in summary.format("zh") and "record facts" in summary.format("en")
        first = keys(check(store, as_of=world[1], save=True))
        (meetings,) = store.con.execute("SELECT count(*) FROM fact_meeting").fetchall()[0]
        assert meetings == store.con.execute("SELECT count(*) FROM meetings").fetchall()[0][0]
        assert keys(check(store, as_of=world[1], save=False)) == first
        check(store, as_of=world[1], overrides=["MTG002.share=2/3"], save=False)
        assert builds == [False]  # current facts are read, not rebuilt, however many checks run
        import_path(store, world[0])  # the same files again: the records are unchanged, but were written
        assert builds == [False, False] and facts.current(store)
        assert keys(check(store, as_of=world[1], save=False)) == first and builds == [False, False]


def test_deferred_facts_are_built_by_the_first_check(
    world: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path / "built.duckdb") as store:
        import_path(store, world[0])
        expected = keys(check(store, as_of=world[1], save=False))
    builds = count_builds(monkeypatch)
    with open_store(tmp_path / "deferred.duckdb") as store:
        summary = import_path(store, world[0], facts=False)
        assert summary.facts_seconds is None and not facts.current(store) and builds == []
        assert keys(check(store, as_of=world[1], save=False)) == expected
        assert builds == [False] and facts.current(store)


def test_an_import_of_tables_the_facts_are_not_built_from_leaves_them_current(
    world: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("reports", "rectifications"):
        (source,) = world[0].glob(f"{name}.*")
        (reports / source.name).write_bytes(source.read_bytes())
    with imported(world, tmp_path / "q.duckdb") as store:
        builds = count_builds(monkeypatch)
        summary = import_path(store, reports)
        assert set(summary.tables) == {"reports", "rectifications"}
        assert summary.facts_seconds is None and builds == [] and facts.current(store)
        store.execute("UPDATE reports SET submitted_on = submitted_on")  # a fix-up of a table outside the facts
        assert facts.current(store)
        store.execute("UPDATE members SET left_on = left_on")  # one the facts are built from
        assert not facts.current(store)


def test_records_written_outside_the_import_make_the_facts_stale_and_the_check_rebuilds_them(
    world: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with imported(world, tmp_path / "q.duckdb") as store:
        before = keys(check(store, as_of=world[1], save=False))
        # every present row of one meeting becomes absent: same row counts, different facts
        (meeting,) = store.con.execute(
            "SELECT meeting_id FROM fact_meeting WHERE kind = 'party_group' AND present > 1 ORDER BY meeting_id LIMIT 1"
        ).fetchall()[0]
        store.execute("UPDATE attendance SET status = 'absent' WHERE meeting_id = $m", {"m": meeting})
        assert not facts.current(store)
        builds = count_builds(monkeypatch)
        after = keys(check(store, as_of=world[1], save=False))
        assert builds == [False] and facts.current(store)
        present = store.con.execute("SELECT present FROM fact_meeting WHERE meeting_id = $m", {"m": meeting})
        assert present.fetchall() == [(0,)]  # nobody present now
        absences = {k for k in after - before if k[0] == "ATT001"}
        assert absences and all(k[1].startswith(f"{meeting}/") for k in absences)  # the new absences are found


def test_a_read_only_store_with_stale_facts_is_checked_on_private_facts_and_left_unchanged(
    world: tuple[Path, str], tmp_path: Path
) -> None:
    db = tmp_path / "q.duckdb"
    with imported(world, db) as store:
        expected = keys(check(store, as_of=world[1], save=False))
        store.execute(
            "INSERT INTO quorum_meta VALUES ('facts_signature', 'stale') "
            "ON CONFLICT (key) DO UPDATE SET value = 'stale'"
        )
        store.con.execute("CHECKPOINT")
    size = db.stat().st_size
    with open_store(db, read_only=True) as store:
        assert not facts.current(store)
        assert keys(check(store, as_of=world[1], save=False)) == expected
        assert not facts.current(store)  # the private facts were not stored
    assert db.stat().st_size == size


def test_a_new_facts_version_makes_older_facts_stale(
    world: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with imported(world, tmp_path / "q.duckdb") as store:
        facts.ensure(store, store.con.cursor())
        assert facts.current(store)
        monkeypatch.setattr(facts, "FACTS_VERSION", facts.FACTS_VERSION + 1)
        assert not facts.current(store)
        facts.ensure(store, store.con.cursor())
        assert facts.current(store)


def test_a_refused_import_leaves_the_facts_current(world: tuple[Path, str], tmp_path: Path) -> None:
    with imported(world, tmp_path / "q.duckdb") as store:
        facts.ensure(store, store.con.cursor())
        signature = facts.signature(store)
        bad = tmp_path / "bad"
        bad.mkdir()
        (bad / "attendance.csv").write_text(
            "meeting_id,member_id,status,hours,written_opinion\nNO-SUCH-MEETING,NO-ONE,maybe,,\n", encoding="utf-8"
        )
        with pytest.raises(Exception, match="status"):
            import_path(store, bad)
        assert facts.current(store) and facts.signature(store) == signature


def test_the_facts_are_built_under_the_work_settings_and_they_are_put_back(
    world: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path / "q.duckdb") as store:

        def settings() -> tuple[str, bool]:
            return store.con.execute(
                "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
            ).fetchall()[0]

        before = settings()
        seen: list[tuple[str, bool]] = []
        build = facts.build

        def spying(*args: object, **kwargs: object) -> dict[str, float]:
            seen.append(settings())
            return build(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(facts, "build", spying)
        import_path(store, world[0])
        assert seen == [("1.5 GiB", False)]  # WORK_MEMORY_LIMIT_BYTES, insertion order not kept
        assert settings() == before

        def failing(*_args: object, **_kwargs: object) -> dict[str, float]:
            raise RuntimeError("disk full")

        monkeypatch.setattr(facts, "build", failing)
        store.records_changed(["attendance"])
        with pytest.raises(RuntimeError, match="disk full"):
            facts.ensure(store)
        assert settings() == before and not facts.current(store)
