"""A small, hand-made store for the dashboard's tests, and checks that it is what the tests assume.

Four organisations in a tree (a city committee over two county bodies, one with a town below it), 18 months of
meetings with attendance, agenda items, votes, a recusal, rectifications, activities and one saved check run whose
findings cover every kind of evidence the Findings page drills into (meeting, attendance, member-year, org-month,
rectification). Everything is built with set-based INSERTs so the numbers are known exactly.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from analytics.queries import frame
from analytics.store import Store, open_store
from analytics.summaries import ensure_summaries

AS_OF = date(2025, 7, 1)
RUN_ID = "run-test-0001"

ORGS = [
    # org_id, name, parent_id, level
    ("CITY", "示范市委组织部党组", None, "city"),
    ("ORG-A", "乌恰县人民政府党组", "CITY", "county"),
    ("ORG-B", "江阴市人大常委会党组", "CITY", "county"),
    ("ORG-A1", "柞村镇党委", "ORG-A", "town"),
]

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞"]


def _records(con) -> None:  # type: ignore[no-untyped-def]
    con.executemany(
        """INSERT INTO organizations (org_id, name, parent_id, level, established_on)
           VALUES (?, ?, ?, ?, DATE '2023-01-01')""",
        ORGS,
    )
    # Five members per organisation: P1 is the secretary; ORG-A's P5 left on 2025-01-01.
    con.execute(
        """INSERT INTO members
           SELECT o.org_id || '-P' || i, o.org_id, $names[(o.n * 5 + i - 1) % 10 + 1],
                  CASE WHEN i = 1 THEN 'secretary' WHEN i = 2 THEN 'deputy_secretary' ELSE 'member' END,
                  DATE '2023-01-01',
                  CASE WHEN o.org_id = 'ORG-A' AND i = 5 THEN DATE '2025-01-01' END,
                  NULL
           FROM (SELECT org_id, row_number() OVER (ORDER BY org_id) AS n FROM organizations) o, range(1, 6) t(i)""",
        {"names": NAMES},
    )
    # Monthly party_group meetings Jan 2024 – Jun 2025 on the 10th, study meetings on the 20th (3 hours);
    # ORG-B skipped March 2025 (an MTG001 finding). One democratic life meeting per org in Dec 2024.
    con.execute(
        """INSERT INTO meetings
           SELECT o.org_id || '-M' || strftime(d, '%Y%m'), o.org_id, 'party_group', d + INTERVAL 9 DAY,
                  strftime(d, '%Y年%m月') || '党组会议', o.org_id || '-P1', 2.0, d + INTERVAL 7 DAY,
                  month(d)::INT, false
           FROM organizations o, range(DATE '2024-01-01', DATE '2025-07-01', INTERVAL 1 MONTH) t(d)
           WHERE NOT (o.org_id = 'ORG-B' AND d = DATE '2025-03-01')"""
    )
    con.execute(
        """INSERT INTO meetings
           SELECT o.org_id || '-S' || strftime(d, '%Y%m'), o.org_id, 'study', d + INTERVAL 19 DAY,
                  strftime(d, '%Y年%m月') || '集体学习', o.org_id || '-P1', 3.0, NULL, NULL, false
           FROM organizations o, range(DATE '2024-01-01', DATE '2025-07-01', INTERVAL 1 MONTH) t(d)"""
    )
    con.execute(
        """INSERT INTO meetings
           SELECT org_id || '-DL2024', org_id, 'democratic_life', DATE '2024-12-26', '2024年度民主生活会',
                  org_id || '-P1', 4.0, DATE '2024-12-10', 13, false
           FROM organizations"""
    )
    # Attendance for every rostered member: mostly present; P4 of ORG-A is on leave every third meeting and absent
    # from the May 2025 party_group meeting; in ORG-A's April 2025 meeting only two were present (quorum short).
    con.execute(
        """INSERT INTO attendance
           SELECT m.meeting_id, r.member_id,
                  CASE
                      WHEN m.meeting_id = 'ORG-A-M202504' AND r.member_id NOT IN ('ORG-A-P1', 'ORG-A-P2') THEN 'absent'
                      WHEN m.meeting_id = 'ORG-A-M202505' AND r.member_id = 'ORG-A-P4' THEN 'absent'
                      WHEN r.member_id = 'ORG-A-P4' AND month(m.held_on) % 3 = 0 THEN 'leave'
                      WHEN r.member_id = 'ORG-B-P3' AND m.kind = 'study' AND year(m.held_on) = 2024
                           AND month(m.held_on) <= 8 THEN 'absent'
                      ELSE 'present'
                  END,
                  NULL, NULL
           FROM meetings m JOIN members r
             ON r.org_id = m.org_id AND r.joined_on <= m.held_on AND (r.left_on IS NULL OR r.left_on > m.held_on)
           -- ORG-A1's June 2025 study session has one unrecorded member (a DQ001)
           WHERE NOT (m.meeting_id = 'ORG-A1-S202506' AND r.member_id = 'ORG-A1-P5')"""
    )
    # Two agenda items per party_group meeting: the first topic and a personnel item decided by show of hands.
    con.execute(
        """INSERT INTO agenda_items
           SELECT meeting_id || '-I1', meeting_id, 1, '学习贯彻最新重要讲话精神', 'first_topic', false, 'none',
                  NULL, NULL, NULL, NULL, NULL
           FROM meetings WHERE kind = 'party_group'"""
    )
    con.execute(
        """INSERT INTO agenda_items
           SELECT meeting_id || '-I2', meeting_id, 2, '干部任免事项', 'personnel', false, 'passed',
                  'show_of_hands', 4, 0, 0, NULL
           FROM meetings WHERE kind = 'party_group'"""
    )
    con.execute(
        """INSERT INTO votes
           SELECT 'ORG-A-M202504-I2', member_id, 'yes', row_number() OVER (ORDER BY member_id DESC)
           FROM members WHERE org_id = 'ORG-A' AND member_id <> 'ORG-A-P5'"""
    )
    con.execute("INSERT INTO recusals VALUES ('ORG-A-M202504-I2', 'ORG-A-P3', '涉及本人亲属')")
    con.execute(
        """INSERT INTO rectifications VALUES
           ('R-001', 'ORG-A', 'democratic_life', 'ORG-A-DL2024', DATE '2024-12-26', '会前征求意见不够广泛',
            'ORG-A-P2', DATE '2025-01-10', NULL, DATE '2025-03-31', NULL),
           ('R-002', 'ORG-A', 'inspection', NULL, DATE '2024-06-15', '“三重一大”事项记录不全',
            'ORG-A-P1', DATE '2024-06-30', DATE '2024-06-20', DATE '2024-09-30', DATE '2024-09-20'),
           ('R-003', 'ORG-B', 'audit', NULL, DATE '2024-10-08', '经费报销手续不完备',
            'ORG-B-P2', DATE '2024-10-20', NULL, DATE '2024-12-31', DATE '2025-02-15'),
           ('R-004', 'ORG-A1', 'democratic_life', 'ORG-A1-DL2024', DATE '2024-12-26', '调查研究不够深入',
            'ORG-A1-P1', DATE '2025-01-15', NULL, DATE '2025-10-31', NULL)"""
    )
    con.execute(
        """INSERT INTO activities
           SELECT 'ACT-' || member_id || '-' || i, org_id, member_id, 'study_article', NULL,
                  DATE '2024-01-15' + INTERVAL (i * 80) DAY, 1
           FROM members, range(1, 5) t(i) WHERE member_id <> 'ORG-B-P4' OR i <= 2"""
    )
    con.execute(
        """INSERT INTO reports VALUES
           ('RPT-A-2024', 'ORG-A', 'annual_work', NULL, 2024, DATE '2025-02-20'),
           ('RPT-B-2024', 'ORG-B', 'annual_work', NULL, 2024, DATE '2025-03-10')"""
    )


def _finding(
    rule_id: str,
    severity: str,
    org_id: str,
    subject_key: str,
    period: str,
    msg: tuple[str, str],
    name: tuple[str, str],
    citation: str,
    evidence: dict,
    **ids: str,
) -> dict:
    org_name = dict((o[0], o[1]) for o in ORGS)[org_id]
    return {
        "run_id": RUN_ID,
        "rule_id": rule_id,
        "severity": severity,
        "org_id": org_id,
        "subject_key": subject_key,
        "org_name": org_name,
        "member_id": ids.get("member_id"),
        "meeting_id": ids.get("meeting_id"),
        "item_id": ids.get("item_id"),
        "rect_id": ids.get("rect_id"),
        "period": period,
        "rule_name_zh": name[0],
        "rule_name_en": name[1],
        "message_zh": msg[0],
        "message_en": msg[1],
        "citation_zh": citation,
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


FINDINGS = [
    _finding(
        "MTG002",
        "violation",
        "ORG-A",
        "ORG-A-M202504",
        "2025-04-10",
        ("党组会议到会人数不足：应到 4 人，实到 2 人（须半数以上）", "Quorum not met: 2 of 4 present (half needed)"),
        ("会议到会人数", "quorum"),
        "《乌恰县人民政府党组工作规则（修订）》第六条(四)",
        {"entitled": 4, "present": 2, "share": "1/2", "inclusive": True},
        meeting_id="ORG-A-M202504",
    ),
    _finding(
        "MTG003",
        "violation",
        "ORG-A",
        "ORG-A-M202504-I2",
        "2025-04-10",
        ("干部人事议题到会不足三分之二：应到 4 人，实到 2 人", "Personnel item with 2 of 4 present (2/3 needed)"),
        ("决策事项到会人数", "decision-quorum"),
        "《乌恰县人民政府党组工作规则（修订）》第六条(四)",
        {"entitled": 4, "present": 2, "share": "2/3"},
        meeting_id="ORG-A-M202504",
        item_id="ORG-A-M202504-I2",
    ),
    _finding(
        "ATT001",
        "violation",
        "ORG-A",
        "ORG-A-M202505/ORG-A-P4",
        "2025-05-10",
        ("党组成员缺席未请假：ORG-A-P4", "Absent without leave: ORG-A-P4"),
        ("因故不能参加会议应请假", "leave-requested"),
        "《乌恰县人民政府党组工作规则（修订）》第六条(四)",
        {"status": "absent"},
        meeting_id="ORG-A-M202505",
        member_id="ORG-A-P4",
    ),
    _finding(
        "STU001",
        "violation",
        "ORG-B",
        "ORG-B-P3/2024",
        "2024",
        ("全年参加集体学习 12 小时，不足应学 36 小时的二分之一", "Attended 12 of 36 study hours (half needed)"),
        ("集体学习时间", "study-time-share"),
        "《乌恰县人民政府党组工作规则（修订）》第八条(三)",
        {"attended_hours": 12.0, "total_hours": 36.0, "share": "1/2"},
        member_id="ORG-B-P3",
    ),
    _finding(
        "MTG001",
        "violation",
        "ORG-B",
        "ORG-B/2025-03",
        "2025-03",
        ("2025年3月未召开党组会议", "No Party group meeting in 2025-03"),
        ("每月召开党组会议", "monthly-meeting"),
        "《中共江阴市人大常委会党组工作规则》第二十一条",
        {"meetings": 0, "min_per_month": 1},
    ),
    _finding(
        "REC001",
        "violation",
        "ORG-A",
        "R-001",
        "2025-03-31",
        ("整改逾期未办结：完成时限 2025-03-31", "Rectification overdue since 2025-03-31"),
        ("整改逾期", "rectification-overdue"),
        "《乌恰县人民政府党组工作规则（修订）》第七条(四)",
        {"due_on": "2025-03-31"},
        rect_id="R-001",
        member_id="ORG-A-P2",
    ),
    _finding(
        "REC002",
        "warning",
        "ORG-B",
        "R-003",
        "2025-02-15",
        ("整改超期办结：完成时限 2024-12-31，办结 2025-02-15", "Closed late: due 2024-12-31, closed 2025-02-15"),
        ("整改超期办结", "rectification-late"),
        "《乌恰县人民政府党组工作规则（修订）》第七条(四)",
        {"due_on": "2024-12-31", "closed_on": "2025-02-15"},
        rect_id="R-003",
    ),
    _finding(
        "DQ001",
        "data_quality",
        "ORG-A1",
        "ORG-A1-S202506/ORG-A1-P5",
        "2025-06-20",
        ("缺少出席记录：ORG-A1-P5", "No attendance row for ORG-A1-P5"),
        ("出席记录缺失", "attendance-recorded"),
        "",
        {},
        meeting_id="ORG-A1-S202506",
        member_id="ORG-A1-P5",
    ),
]


def _check_run(con) -> None:  # type: ignore[no-untyped-def]
    counts = {s: sum(f["severity"] == s for f in FINDINGS) for s in ("violation", "warning", "data_quality")}
    con.execute(
        """INSERT INTO check_runs VALUES ($run, $as_of, 'standard', '{}', '{}', TIMESTAMP '2025-07-01 09:00:00',
           TIMESTAMP '2025-07-01 09:00:05', $n, $v, $w, $d, '{}')""",
        {
            "run": RUN_ID,
            "as_of": AS_OF,
            "n": len(FINDINGS),
            "v": counts["violation"],
            "w": counts["warning"],
            "d": counts["data_quality"],
        },
    )
    # stored as the engine stores them: each rule's names and citation once (run_rule_texts), the rows pointing at
    # them; the findings view appends the citation to message_zh
    texts = {(f["rule_id"], f["citation_zh"]): f for f in FINDINGS}
    numbers = {key: n for n, key in enumerate(texts)}
    con.executemany(
        "INSERT INTO run_rule_texts VALUES (?, ?, ?, ?, ?, ?)",
        [[RUN_ID, r, numbers[r, c], f["rule_name_zh"], f["rule_name_en"], c] for (r, c), f in texts.items()],
    )
    columns = [c for c in FINDINGS[0] if c not in ("rule_name_zh", "rule_name_en", "citation_zh")]
    con.executemany(
        f"INSERT INTO finding_rows ({', '.join(columns)}, text_no) VALUES ({', '.join('?' for _ in columns)}, ?)",
        [[f[c] for c in columns] + [numbers[f["rule_id"], f["citation_zh"]]] for f in FINDINGS],
    )


def build_store(path: Path | None = None, *, with_findings: bool = True) -> Store:
    """The test store (in memory when ``path`` is None), summaries refreshed, left open."""
    store = open_store(path) if path is not None else open_store(memory=True)
    with store.transaction() as con:
        _records(con)
        store.mark_recorded(
            [
                "organizations",
                "members",
                "meetings",
                "attendance",
                "agenda_items",
                "votes",
                "recusals",
                "rectifications",
                "reports",
                "activities",
            ],
            "tests",
        )
        if with_findings:
            _check_run(con)
    ensure_summaries(store)
    return store


def write_store(path: Path, *, with_findings: bool = True) -> Path:
    """Build the test store in a file and close it (for the app under AppTest or a browser)."""
    build_store(path, with_findings=with_findings).close()
    return path


def test_store_is_coherent() -> None:
    store = build_store()
    counts = store.row_counts()
    assert counts["organizations"] == 4
    assert counts["members"] == 20
    # 18 months x 4 orgs party_group (minus ORG-B March 2025) + 18 x 4 study + 4 democratic life
    assert counts["meetings"] == 18 * 4 - 1 + 18 * 4 + 4
    # every attendance row is of a rostered member
    orphans = frame(
        store,
        """SELECT count(*) AS n FROM attendance a JOIN meetings m USING (meeting_id) JOIN members r USING (member_id)
           WHERE NOT (r.joined_on <= m.held_on AND (r.left_on IS NULL OR r.left_on > m.held_on))""",
    )
    assert orphans["n"][0] == 0
    assert frame(store, "SELECT count(*) AS n FROM summary_findings")["n"][0] == len(FINDINGS)
