"""A store made by an older version opens and upgrades, its data intact (analytics.store.MIGRATIONS)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.store import SCHEMA_VERSION, open_store

# Version 1's findings table: every finding stored whole, the citation also at the end of message_zh.
_V1_FINDINGS = """CREATE TABLE findings (
    run_id VARCHAR, rule_id VARCHAR, severity VARCHAR, org_id VARCHAR, subject_key VARCHAR, org_name VARCHAR,
    member_id VARCHAR, meeting_id VARCHAR, item_id VARCHAR, rect_id VARCHAR, period VARCHAR, rule_name_zh VARCHAR,
    rule_name_en VARCHAR, message_zh VARCHAR, message_en VARCHAR, citation_zh VARCHAR, evidence VARCHAR
)"""
_CITATION = "《乌恰县人民政府党组工作规则（修订）》第六条（四）"
_V1_ROWS = [
    ("r1", "MTG002", "violation", "ORG-A", "ORG-A-M1", "某局党组", None, "ORG-A-M1", None, None, "2025-03-12",
     "党组会议到会人数", "Quorum", f"2025-03-12 党组会议应到 9 人，实到 4 人，未达半数（{_CITATION}）",
     "9 entitled, 4 present", _CITATION, '{"present": 4}'),
    ("r1", "MTG002", "violation", "ORG-B", "ORG-B-M1", "某镇党委", None, "ORG-B-M1", None, None, "2025-03-13",
     "党组会议到会人数", "Quorum", "2025-03-13 党组会议应到 7 人，实到 3 人（《其他规则》第二条）",
     "7 entitled, 3 present", "《其他规则》第二条", '{"present": 3}'),
    ("r1", "DQ001", "data_quality", "ORG-A", "ORG-A-M1/ORG-A-P2", "某局党组", "ORG-A-P2", "ORG-A-M1", None, None,
     "2025-03-12", "出席记录完整", "Attendance recorded", "未记录出席情况", "no attendance row", "", "{}"),
    ("r2", "MTG002", "warning", "ORG-A", "ORG-A-M1", "某局党组", None, "ORG-A-M1", None, None, "2025-03-12",
     "党组会议到会人数", "Quorum", f"应到 9 人（{_CITATION}）", "9 entitled", _CITATION, "{}"),
]  # fmt: skip


def _v1_store(path: Path) -> None:
    """A store as version 1 left it: made by today's code, then taken back to version 1's findings table."""
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("DROP VIEW findings")
    con.execute("DROP TABLE finding_rows")
    con.execute("DROP TABLE run_rule_texts")
    con.execute(_V1_FINDINGS)
    con.executemany(f"INSERT INTO findings VALUES ({', '.join('?' * 17)})", _V1_ROWS)
    con.execute("UPDATE quorum_meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_version_1_findings_read_back_unchanged_after_the_upgrade(tmp_path: Path):
    db = tmp_path / "v1.duckdb"
    _v1_store(db)
    with open_store(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        rows = store.con.execute("SELECT * FROM findings ORDER BY run_id, org_id, rule_id").fetchall()
        assert rows == sorted(_V1_ROWS, key=lambda r: (r[0], r[3], r[1]))
        # the citation is kept once per run, rule and citation; messages lose the copy the view appends
        texts = store.con.execute("SELECT run_id, rule_id, citation_zh FROM run_rule_texts ORDER BY ALL").fetchall()
        assert texts == [("r1", "DQ001", ""), ("r1", "MTG002", _CITATION), ("r1", "MTG002", "《其他规则》第二条"),
                         ("r2", "MTG002", _CITATION)]  # fmt: skip
        stored = store.con.execute("SELECT message_zh FROM finding_rows WHERE run_id = 'r2'").fetchall()
        assert stored == [("应到 9 人",)]
        tables = store.con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_name = 'findings'"
        ).fetchall()
        assert tables == [("findings", "VIEW")]
    with open_store(db) as again:  # opening an upgraded store changes nothing
        assert again.con.execute("SELECT count(*) FROM findings").fetchall() == [(4,)]
