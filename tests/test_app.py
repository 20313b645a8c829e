"""The dashboard under ``streamlit.testing.v1.AppTest``: every page renders in both languages without an exception,
the sidebar's filters change what is shown, choices come from and go to the URL, marks persist (also across a
re-run of the check), and an empty store opens on the first-run page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_support import write_store

from analytics import marks
from dashboard.i18n import catalogue

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = {
    "overview": "dashboard/pages/overview.py",
    "findings": "dashboard/pages/findings.py",
    "trends": "dashboard/pages/trends.py",
    "import": "dashboard/pages/import_data.py",
    "rules": "dashboard/pages/rules.py",
}
TIMEOUT = 120


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = write_store(tmp_path / "quorum.duckdb")
    monkeypatch.setenv("QUORUM_DB", str(path))
    yield path


def _app(lang: str = "zh", **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    if lang != "zh":
        at.query_params["lang"] = lang
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _metric(at: AppTest, key: str, lang: str = "zh") -> str:
    label = catalogue(lang)[key]
    return next(m.value for m in at.metric if m.label == label)


def _page(at: AppTest, name: str) -> AppTest:
    return at.switch_page(PAGES[name]).run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(db: Path, lang: str) -> None:
    at = _app(lang)
    _ok(at)
    titles = {"overview": "overview.title", "findings": "findings.title", "trends": "trends.title",
              "import": "import.title", "rules": "rules.title"}  # fmt: skip
    for name, key in titles.items():
        _page(at, name)
        _ok(at)
        assert at.title[0].value == catalogue(lang)[key], name
    # The sidebar speaks the language too.
    assert at.sidebar.date_input[0].label == catalogue(lang)["sidebar.as_of"]


def test_language_switch(db: Path) -> None:
    at = _app()
    assert at.title[0].value == "总览"
    at.sidebar.selectbox(key="org@zh").set_value("ORG-B").run()
    at.session_state["lang"] = "en"
    at.run()
    _ok(at)
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"
    # The choices carry over to the English widgets.
    assert at.sidebar.selectbox(key="org@en").value == "ORG-B"
    assert _metric(at, "overview.organisations", "en") == "1"


def test_overview_follows_organisation_and_period(db: Path) -> None:
    at = _app()
    assert _metric(at, "overview.organisations") == "4"
    assert _metric(at, "overview.open_findings") == "7"
    at.sidebar.selectbox(key="org@zh").set_value("ORG-B").run()
    _ok(at)
    assert _metric(at, "overview.organisations") == "1"
    assert _metric(at, "overview.open_findings") == "2"  # MTG001 March, REC002 February (STU001 is 2024's)
    at.session_state["period_kind"] = "month"
    at.run()
    at.sidebar.selectbox(key="period_value@zh").set_value("2025-03").run()
    _ok(at)
    assert _metric(at, "overview.meetings") == "1"  # the study session only: no party group meeting in March
    assert at.query_params["org"] == "ORG-B" and at.query_params["period"] == "2025-03"


def test_view_comes_from_the_url(db: Path) -> None:
    at = _app(org="ORG-A", period="2025-Q2", as_of="2025-07-01")
    _ok(at)
    assert at.session_state["org"] == "ORG-A"
    assert at.session_state["period_kind"] == "quarter"
    assert _metric(at, "overview.organisations") == "2"
    assert _metric(at, "overview.open_findings") == "4"  # MTG002, MTG003, ATT001, DQ001


def test_findings_filters_change_the_list(db: Path) -> None:
    at = _page(_app(), "findings")
    _ok(at)
    assert "**7**" in at.markdown[0].value or any("**7**" in m.value for m in at.markdown)
    at.multiselect(key="f_rules@zh").set_value(["MTG002"]).run()
    _ok(at)
    assert any("**1**" in m.value for m in at.markdown)
    at.multiselect(key="f_rules@zh").set_value([]).run()
    at.multiselect(key="f_sev@zh").set_value(["warning"]).run()
    assert any("**1**" in m.value for m in at.markdown)
    at.multiselect(key="f_sev@zh").set_value([]).run()
    at.sidebar.selectbox(key="org@zh").set_value("ORG-A1").run()
    _ok(at)
    assert any("**1**" in m.value for m in at.markdown)  # DQ001 only


def test_selecting_a_finding_shows_its_meeting_and_citation(db: Path) -> None:
    at = _page(_app(), "findings")
    at.selectbox(key="f_pick").set_value("MTG002|ORG-A-M202504").run()
    _ok(at)
    texts = " ".join(m.value for m in at.markdown)
    assert "《乌恰县人民政府党组工作规则（修订）》第六条(四)" in texts
    assert "应到 4 人，出席 2 人" in texts
    roster = next(df.value for df in at.dataframe if "姓名" in df.value.columns)
    assert set(roster["出席情况"]) == {"出席", "缺席"}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("STU001|ORG-B-P3/2024", "应参加学习时长"),
        ("REC001|R-001", "完成时限"),
        ("MTG001|ORG-B/2025-03", "江阴市人大常委会党组：2025年3月1日 至 2025年3月31日"),
    ],
)
def test_each_kind_of_evidence(db: Path, key: str, expected: str) -> None:
    at = _page(_app(period="all"), "findings")
    at.selectbox(key="f_pick").set_value(key).run()
    _ok(at)
    shown = " ".join([m.value for m in at.markdown] + [m.label for m in at.metric])
    assert expected in shown


def test_marking_a_finding_persists(db: Path) -> None:
    at = _page(_app(), "findings")
    key = "ATT001|ORG-A-M202505/ORG-A-P4"
    at.selectbox(key="f_pick").set_value(key).run()
    # Dismissing without a reason is refused, in the user's language.
    at.radio(key=f"mark_choice_{key}").set_value("dismissed")
    at.button[-1].click().run()  # the form's submit button is the last button on the page
    assert any("理由" in e.value for e in at.error)
    at.radio(key=f"mark_choice_{key}").set_value("confirmed")
    at.text_input(key=f"mark_by_{key}").set_value("李检查")
    at.button[-1].click().run()
    _ok(at)
    from dashboard.state import _base_store

    store = _base_store(str(db.resolve()))
    mark = marks.get_mark(store, "ATT001", "ORG-A-M202505/ORG-A-P4")
    assert mark is not None and (mark.mark, mark.marked_by) == ("confirmed", "李检查")
    # The list shows it and can be filtered by it.
    at.pills(key="f_marks").set_value(["confirmed"]).run()
    assert any("**1**" in m.value for m in at.markdown)


def test_mark_survives_rerunning_the_check(db: Path) -> None:
    at = _page(_app(), "findings")
    key = "ATT001|ORG-A-M202505/ORG-A-P4"
    at.selectbox(key="f_pick").set_value(key).run()
    at.radio(key=f"mark_choice_{key}").set_value("confirmed")
    at.button[-1].click().run()
    _ok(at)
    # Run the real check from the page (the rule engine, as of the same day).
    run_button = next(b for b in at.button if b.label.startswith("按基准日"))
    run_button.click().run()
    _ok(at)
    at.pills(key="f_marks").set_value(["confirmed"]).run()
    _ok(at)
    table = next(df.value for df in at.dataframe if "对象" in df.value.columns)
    assert table["对象"].tolist() == ["ORG-A-M202505/ORG-A-P4"]
    assert table["核查标记"].tolist()[0].endswith("已核实")


def test_trends_follow_the_organisation(db: Path) -> None:
    at = _page(_app(), "trends")
    _ok(at)
    assert _metric(at, "trends.distribution.members_count") == "19"  # ORG-A's P5 left before 2025
    at.sidebar.selectbox(key="org@zh").set_value("ORG-B").run()
    _ok(at)
    assert _metric(at, "trends.distribution.members_count") == "5"
    at.text_input(key="tr_member_q").set_value("李娜").run()
    _ok(at)
    assert any(m.label.startswith("李娜") for m in at.metric)


def test_rules_page_per_rulebook(db: Path) -> None:
    at = _page(_app(), "rules")
    _ok(at)
    everything = len(at.expander)
    at.selectbox(key="rules_book@zh").set_value("zhacun-town-2018").run()
    _ok(at)
    assert 0 < len(at.expander) < everything
    assert any("柞村镇镇级班子工作制度" in m.value for m in at.markdown)


def test_import_page_offers_the_template(db: Path) -> None:
    at = _page(_app("en"), "import")
    _ok(at)
    assert at.title[0].value == "Import"
    assert any(cb.label.startswith("Re-run the compliance check") for cb in at.checkbox)


def test_empty_store_opens_on_the_first_run_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_DB", str(tmp_path / "empty.duckdb"))
    at = _app()
    _ok(at)
    assert at.title[0].value == catalogue("zh")["welcome.title"]
    assert any(b.label == catalogue("zh")["welcome.demo_button"] for b in at.button)


def test_first_run_builds_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_DB", str(tmp_path / "first.duckdb"))
    at = _app()
    next(b for b in at.button if b.label == catalogue("zh")["welcome.demo_button"]).click().run()
    _ok(at)
    # The demo is checked as of the day after its three years; the app opens on that check.
    assert at.title[0].value == "总览"
    assert _metric(at, "overview.organisations") != "0"
    assert at.session_state["_view"].run is not None
