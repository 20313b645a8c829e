"""The simulator: reproducible worlds in the records format, a compliant base world, and a well-formed truth.

Small worlds only (a few seconds in all). The differential test against the rule engine (simulate → import → check
== truth.csv) lives with the engine's tests.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from analytics.rulebooks import installed_rulebook_ids, load_rulebook_raw
from analytics.schema import TABLE_ORDER, TABLES
from simulations import simulate
from simulations.organisations import ROUND_ROBIN
from simulations.truth import DQ_RULES, RULE_IDS

ID = r"[A-Z]+-\d+"
MEETING = rf"{ID}-M\d{{4}}-\d{{3}}"
ITEM = rf"{ID}-I\d{{4}}-\d{{3}}-\d+"
MEMBER = rf"{ID}-P\d{{3,}}"
RECT = rf"{ID}-R\d{{3,}}"
#: rules.md "Subject keys": the form of each rule's subject.
SUBJECT_FORMS: dict[str, str] = {
    **dict.fromkeys(
        ("MTG002", "MTG004", "MTG006", "MTG007", "MTG008", "DLM002", "DLM003", "DLM004", "DQ003", "DQ004"),
        rf"{MEETING}",
    ),
    **dict.fromkeys(("MTG003", "MTG005", "VOT001", "VOT003", "VOT005", "VOT006", "VOT007", "DQ002"), rf"{ITEM}"),
    **dict.fromkeys(("ATT001", "DQ001"), rf"{MEETING}/{MEMBER}"),
    **dict.fromkeys(("VOT002", "VOT004"), rf"{ITEM}/{MEMBER}"),
    **dict.fromkeys(("STU001", "STU003", "TLK001", "RES001", "RES002"), rf"{MEMBER}/\d{{4}}"),
    **dict.fromkeys(("MTG001", "STU002"), rf"{ID}/\d{{4}}-(0[1-9]|1[0-2])"),
    **dict.fromkeys(("DLM001", "RPT001"), rf"{ID}/\d{{4}}"),
    **dict.fromkeys(("REC001", "REC002", "REC003", "REC004", "REC005"), rf"{RECT}"),
    "MTG009": rf"({MEETING}|{ID}/\d{{4}}/#[1-9]\d*)",
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world with many violations: every rulebook present, enough years for every rule to be hit."""
    out = tmp_path_factory.mktemp("busy")
    simulate(out, orgs=26, years=4, seed=5, violation_rate=0.3)
    return out


def test_same_seed_same_bytes_parquet_and_csv(tmp_path: Path) -> None:
    for fmt in ("parquet", "csv"):
        a, b, c = tmp_path / f"a-{fmt}", tmp_path / f"b-{fmt}", tmp_path / f"c-{fmt}"
        simulate(a, orgs=8, years=2, seed=42, violation_rate=0.2, fmt=fmt)
        simulate(b, orgs=8, years=2, seed=42, violation_rate=0.2, fmt=fmt)
        simulate(c, orgs=8, years=2, seed=43, violation_rate=0.2, fmt=fmt)
        assert _hashes(a) == _hashes(b)
        differing = {name for name, digest in _hashes(a).items() if _hashes(c)[name] != digest}
        assert {f"attendance.{fmt}", f"members.{fmt}", "truth.csv"} <= differing


def test_worker_processes_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from simulations import simulator

    orgs = simulator.CHUNK_ORGS * simulator.PARALLEL_FROM_CHUNKS  # just large enough for worker processes
    simulate(tmp_path / "pooled", orgs=orgs, years=1, seed=8, violation_rate=0.1)
    monkeypatch.setattr(simulator, "_workers", lambda n_chunks: 0)
    simulate(tmp_path / "alone", orgs=orgs, years=1, seed=8, violation_rate=0.1)
    assert _hashes(tmp_path / "pooled") == _hashes(tmp_path / "alone")
    truth = pl.read_csv(tmp_path / "pooled" / "truth.csv")  # joined from per-chunk parts
    assert truth.height and truth.equals(truth.unique().sort("rule_id", "subject_key"))


def test_worker_pipe_carries_streams_and_messages_in_order() -> None:
    """A worker writes a chunk into its pipe as a pickled list of names, then one Arrow stream per table: each
    stream's end marker must stop the reading exactly, so the next stream (or message) reads whole."""
    import io
    import pickle

    import pyarrow as pa

    from simulations.worker import read_ipc, write_ipc

    first = pa.table({"a": pa.array([1, 2, 3]), "b": pa.array(["x", None, "z"]).dictionary_encode()})
    second = pa.table({"c": pa.array([0.5, None])})
    pipe = io.BytesIO()
    pickle.dump(["first", "second"], pipe)
    write_ipc(first, pipe)
    write_ipc(second, pipe)
    pickle.dump(None, pipe)
    pipe.seek(0)
    reader = io.BufferedReader(pipe)  # as the caller reads a worker's standard output
    assert pickle.load(reader) == ["first", "second"]
    assert read_ipc(reader).equals(first)
    assert read_ipc(reader).equals(second)
    assert pickle.load(reader) is None


def test_composed_strings_match_python_formatting() -> None:
    """Ids and titles are composed as bytes in NumPy: they must read exactly as f-strings would."""
    import numpy as np

    from simulations.text import compose, lit, num, pick

    values = np.array([0, 7, 42, 999, 1000, 123456, 7, 7, 7, 7, 7, 7, 7, 7])  # repeats take the formatted-once path
    pool = ["ORG-0001", "县财政局党组", ""]
    at = np.arange(len(values)) % len(pool)
    got = compose(len(values), pick(pool, at), lit("-P"), num(values, 3), lit("第"), num(values), lit("次")).to_pylist()
    assert got == [f"{pool[a]}-P{v:03d}第{v}次" for a, v in zip(at, values, strict=True)]
    assert compose(0, lit("x"), num(np.zeros(0, dtype=np.int64))).to_pylist() == []


def test_fixed_width_ids_take_the_unmasked_path_and_read_the_same() -> None:
    """Ids whose parts all have one width skip the character mask: the strings must not change."""
    import numpy as np

    from simulations.text import compose, lit, num, pick

    org_ids = ["ORG-0001", "ORG-0002", "ORG-0107"]
    at = np.array([0, 2, 1, 1, 0])
    no = np.array([1, 12, 123, 5, 999])
    assert pick(org_ids, at).full and num(no, 3).full and not num(np.array([1, 1000]), 3).full
    got = compose(len(at), pick(org_ids, at), lit("-A"), num(no, 3)).to_pylist()
    assert got == [f"{org_ids[a]}-A{n:03d}" for a, n in zip(at, no, strict=True)]
    wide = np.array([1, 1000, 7])  # one number wider than the padding: back to the masked path
    assert compose(3, lit("R"), num(wide, 3)).to_pylist() == ["R001", "R1000", "R007"]


def test_one_random_row_per_group_matches_a_stable_sort() -> None:
    """The generator picks one row per run of equal groups by per-run maxima; a stable sort by (group, draw) taking
    each group's last row must give the same rows, ties included."""
    import numpy as np

    from simulations.generator import _last_in_group

    groups = np.repeat(np.arange(200), np.random.default_rng(3).integers(1, 9, size=200))
    for seed in range(5):
        got = _last_in_group(groups, np.random.default_rng(seed))
        draw = np.random.default_rng(seed).random(len(groups))
        order = np.lexsort((draw, groups))
        last = np.append(groups[order][1:] != groups[order][:-1], True)
        assert np.array_equal(got[0], groups[order][last]) and np.array_equal(got[1], order[last])
    tied = np.array([0, 0, 0, 1])

    class Ties:  # equal draws: the last row of the run wins, as with the stable sort
        def random(self, n: int) -> np.ndarray:
            return np.full(n, 0.5)

    assert [list(a) for a in _last_in_group(tied, Ties())] == [[0, 1], [2, 3]]  # type: ignore[arg-type]


def test_rows_inserted_and_tables_sorted_by_packed_keys() -> None:
    """Injections add votes and recusals by one argsort of packed keys, and the writer skips sorting tables already
    in key order: both must equal a plain sort."""
    from simulations.violations import _insert
    from simulations.writer import _sorted

    votes = pl.DataFrame({"item": [1, 1, 3, 7], "member": [2, 5, 1, 0], "choice": [1, 2, 1, 1]})
    added = pl.DataFrame({"item": [3, 0, 1], "member": [0, 9, 3], "choice": [0, 0, 0]})
    assert _insert(votes, added, ["item", "member"]).equals(pl.concat([votes, added]).sort("item", "member"))
    assert _sorted(votes, "item", "member") is votes
    shuffled = votes.reverse()
    assert _sorted(shuffled, "item", "member").equals(votes)


def test_packed_lexsort_matches_numpy_lexsort() -> None:
    """The generator's sorts pack integer keys (and a float draw as the last tie-breaker) into one int64 and sort
    once: the order must be NumPy's ``lexsort``, ties by position included, and keys too wide fall back to it."""
    import numpy as np

    from simulations.world import lexsort, stable_order, stable_ranks

    rng = np.random.default_rng(11)
    n = 3000
    org, day, kind = rng.integers(5, 40, n), rng.integers(19000, 19400, n), rng.integers(0, 7, n).astype(np.int8)
    flag = rng.random(n) < 0.5
    draw = np.where(rng.random(n) < 0.3, 2.0, np.round(rng.random(n), 2))  # many equal draws
    negative = rng.integers(-50, 50, n)
    wide = rng.integers(0, 1 << 40, n)
    cases = [(kind, day, org), (day, org), (draw, kind, org), (draw, ~flag, org), (negative, org), (kind, wide, wide)]
    for keys in cases:
        assert np.array_equal(lexsort(keys), np.lexsort(keys))
    assert len(lexsort((np.zeros(0), np.zeros(0, dtype=np.int64)))) == 0
    # The two sorts under it: positions packed below the keys, and float ranks with runs of equal values.
    for values in (rng.integers(0, 50, n), np.sort(rng.integers(0, 50, n)), rng.integers(0, 1 << 60, n)):
        assert np.array_equal(stable_order(values), np.argsort(values, kind="stable"))
    for values in (draw, rng.random(n), np.full(n, 0.5)):
        expected = np.empty(n, dtype=np.int64)
        expected[np.argsort(values, kind="stable")] = np.arange(n)
        assert np.array_equal(stable_ranks(values), expected)


def test_injection_ranks_match_a_stable_sort_by_group_and_draw() -> None:
    """Injections rank rows within their group by a random draw (one integer sort of packed ranks) or take each
    group's row of rank 0 (per-run minima): both must agree with a stable sort by (group, draw), equal draws by
    position, and draw the same numbers from the generator."""
    import numpy as np

    from simulations.violations import _one_per_group, _rank
    from simulations.world import rank_in_groups

    groups = np.repeat(np.arange(300), np.random.default_rng(4).integers(1, 7, size=300))
    frame = pl.DataFrame({"meeting": groups, "member": np.arange(len(groups))})
    for seed in range(4):
        ranked = _rank(frame, np.random.default_rng(seed), "meeting")
        draw = np.random.default_rng(seed).random(len(groups))
        order = np.lexsort((draw, groups))
        expected = np.empty(len(groups), dtype=np.int64)
        expected[order] = rank_in_groups(groups[order])
        assert np.array_equal(ranked["rank"].to_numpy(), expected)
        one = _one_per_group(frame, np.random.default_rng(seed), "meeting")
        assert one.equals(ranked.filter(pl.col("rank") == 0).drop("rank"))

    class Ties:  # equal draws: the first row of the run ranks first
        def random(self, n: int) -> np.ndarray:
            return np.full(n, 0.5)

    tied = pl.DataFrame({"item": [4, 4, 4, 9], "member": [1, 2, 3, 1]})
    assert _rank(tied, Ties(), "item")["rank"].to_list() == [0, 1, 2, 0]  # type: ignore[arg-type]
    assert _one_per_group(tied, Ties(), "item")["member"].to_list() == [1, 1]  # type: ignore[arg-type]
    shuffled = tied.reverse()  # rows out of order are sorted first, as before
    assert _rank(shuffled, Ties(), "item")["member"].to_list() == [1, 2, 3, 1]  # type: ignore[arg-type]


def test_every_table_has_the_contract_columns(tmp_path: Path) -> None:
    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt
        result = simulate(out, orgs=7, years=1, seed=3, violation_rate=0.1, fmt=fmt)
        for name in TABLE_ORDER:
            path = out / f"{name}.{fmt}"
            frame = pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path, infer_schema=False)
            assert tuple(frame.columns) == TABLES[name].column_names, name
            assert frame.height == result.row_counts[name]
        assert set(result.paths) == set(TABLE_ORDER)


def test_csv_spelling(tmp_path: Path) -> None:
    simulate(tmp_path, orgs=7, years=1, seed=4, violation_rate=0.0, fmt="csv")
    text = (tmp_path / "meetings.csv").read_text(encoding="utf-8")
    assert text.startswith(",".join(TABLES["meetings"].column_names) + "\n")
    rows = pl.read_csv(tmp_path / "meetings.csv", infer_schema=False)
    assert rows["held_on"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert set(rows["is_emergency"].unique()) <= {"true", "false"}


def test_parquet_reads_as_plain_types(tmp_path: Path) -> None:
    simulate(tmp_path, orgs=7, years=1, seed=4, violation_rate=0.1)
    schema = pl.read_parquet_schema(tmp_path / "attendance.parquet")
    assert schema == {
        "meeting_id": pl.String,
        "member_id": pl.String,
        "status": pl.String,
        "hours": pl.Float64,
        "written_opinion": pl.Boolean,
    }


def test_base_world_is_compliant(tmp_path: Path) -> None:
    for seed in (1, 2, 3):
        result = simulate(tmp_path / str(seed), orgs=24, years=3, seed=seed, violation_rate=0.0)
        assert result.truth_rows == 0
        assert pl.read_csv(result.truth_path).columns == ["rule_id", "subject_key"]


def test_every_rule_is_injected(busy: Path) -> None:
    truth = pl.read_csv(busy / "truth.csv")
    assert set(truth["rule_id"]) == set(RULE_IDS)


def test_rule_ids_are_the_catalogue() -> None:
    in_books = {rule for book in installed_rulebook_ids() for rule in load_rulebook_raw(book)["rules"]}
    assert set(RULE_IDS) == in_books | set(DQ_RULES)
    assert set(SUBJECT_FORMS) == set(RULE_IDS)


def test_truth_is_sorted_unique_and_well_formed(busy: Path) -> None:
    truth = pl.read_csv(busy / "truth.csv")
    assert truth.equals(truth.unique().sort("rule_id", "subject_key"))
    for rule, frame in truth.group_by("rule_id"):
        pattern = re.compile(rf"^{SUBJECT_FORMS[str(rule[0])]}$")
        bad = [k for k in frame["subject_key"] if not pattern.match(k)]
        assert not bad, (rule, bad[:3])


def test_truth_subjects_exist_in_the_records(busy: Path) -> None:
    truth = pl.read_csv(busy / "truth.csv")
    meetings = set(pl.read_parquet(busy / "meetings.parquet")["meeting_id"])
    items = set(pl.read_parquet(busy / "agenda_items.parquet")["item_id"])
    members = set(pl.read_parquet(busy / "members.parquet")["member_id"])
    rects = set(pl.read_parquet(busy / "rectifications.parquet")["rect_id"])
    orgs = set(pl.read_parquet(busy / "organizations.parquet")["org_id"])
    for rule, key in truth.iter_rows():
        head, _, tail = key.partition("/")
        form = SUBJECT_FORMS[rule]
        if form.startswith(MEETING):
            assert head in meetings, key
        elif form.startswith(ITEM):
            assert head in items, key
        elif form.startswith(MEMBER):
            assert head in members, key
        elif form == RECT:
            assert head in rects, key
        else:
            assert head in orgs or head in meetings, key
        if rule in ("ATT001", "DQ001", "VOT002", "VOT004"):
            assert tail in members, key


def test_meta(busy: Path) -> None:
    meta = json.loads((busy / "meta.json").read_text(encoding="utf-8"))
    assert meta["as_of"] == "2027-01-01"
    assert meta["seed"] == 5
    assert meta["parameters"] == {
        "orgs": 26,
        "years": 4,
        "start_year": 2023,
        "format": "parquet",
        "violation_rate": 0.3,
    }
    assert set(meta["rulebooks"].values()) == set(installed_rulebook_ids())
    assert meta["truth"]["rows"] == pl.read_csv(busy / "truth.csv").height


def test_rulebooks_round_robin(tmp_path: Path) -> None:
    for orgs in (1, 3, 6, 7):
        simulate(tmp_path / str(orgs), orgs=orgs, years=1, seed=1, violation_rate=0.0)
        books = pl.read_parquet(tmp_path / str(orgs) / "organizations.parquet")["rulebook"].to_list()
        assert books[0] is None  # the root uses the installation default
        assert books[1:] == list(ROUND_ROBIN[: orgs - 1])
    assert set(ROUND_ROBIN) == set(installed_rulebook_ids())


def test_world_includes_late_and_dissolved_organisations(busy: Path) -> None:
    orgs = pl.read_parquet(busy / "organizations.parquet")
    assert orgs["dissolved_on"].is_not_null().sum() >= 1
    assert orgs["established_on"].is_null().sum() >= 1  # existence then defaults to the earliest record
    assert orgs.filter(pl.col("established_on") > pl.date(2023, 1, 1)).height >= 1
    members = pl.read_parquet(busy / "members.parquet")
    assert members["person_key"].n_unique() < members.height  # re-appointments: new spell, same person


def test_round_trip_import(tmp_path: Path) -> None:
    importer = pytest.importorskip("analytics.importer", reason="the importer is not in this tree")
    from analytics.store import open_store

    for fmt in ("parquet", "csv"):
        result = simulate(tmp_path / fmt, orgs=8, years=2, seed=9, violation_rate=0.3, fmt=fmt)
        with open_store(memory=True) as store:
            summary = importer.import_path(store, tmp_path / fmt)
            assert store.row_counts() == result.row_counts
            assert not summary.ignored_columns
            assert set(summary.recorded) >= set(TABLE_ORDER) - {"organizations", "members", "meetings", "attendance"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"orgs": 0},
        {"years": 0},
        {"violation_rate": -0.1},
        {"violation_rate": 1.5},
        {"fmt": "xlsx"},
        {"seed": -1},
    ],
)
def test_bad_parameters(tmp_path: Path, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"orgs": 3, "years": 1, "seed": 1, **kwargs}
    with pytest.raises(ValueError):
        simulate(tmp_path, **args)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


def test_simulator_does_not_import_streamlit() -> None:
    code = "import sys, simulations, simulations.demo; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_demo_never_replaces_real_records(tmp_path: Path) -> None:
    importer = pytest.importorskip("analytics.importer", reason="the importer is not in this tree")
    from analytics.store import open_store
    from simulations import build_demo

    simulate(tmp_path / "world", orgs=3, years=1, seed=2, violation_rate=0.0)
    db = tmp_path / "real.duckdb"
    with open_store(db) as store:
        importer.import_path(store, tmp_path / "world")
    before = db.read_bytes()
    with pytest.raises(ValueError, match="not the demo"):
        build_demo(db)
    assert db.read_bytes() == before
