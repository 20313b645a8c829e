"""End-to-end journeys in a real browser against ``streamlit run app.py`` on a test store.

(a) an inspector narrows to one organisation and one rule, opens a finding, sees the meeting's attendance and the
citation, and confirms it; (b) a leader opens Trends and switches organisation; (c) the language switch turns the
page English; (d) Import: a bad file shows its row errors, a good file imports and the findings update.
Each step's screenshot is written to ``test-output/browser/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"


def settle(page: Any, extra_ms: int = 600) -> None:
    """Wait until the app has finished its script run and the page's charts and tables have drawn."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-testid="stSkeleton"]')
                 && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                        .every(e => e.querySelector('.main-svg'))""",
        timeout=60_000,
    )
    page.wait_for_timeout(extra_ms)


def shot(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def choose(page: Any, label: str, text: str, *, sidebar: bool = False) -> None:
    """Pick an option of a selectbox or multiselect by typing part of it (Streamlit's widgets filter as you type)."""
    scope = page.locator('[data-testid="stSidebar"]') if sidebar else page.locator('[data-testid="stMain"]')
    scope.get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(text)
    page.get_by_role("option").filter(has_text=text).first.click()
    page.keyboard.press("Escape")
    settle(page)


def main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_text(page: Any, text: str, timeout: int = 60_000) -> bool:
    """Wait until the main area shows ``text`` (a script run may still be drawing); False on timeout."""
    try:
        page.wait_for_function(
            "t => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(t)", arg=text, timeout=timeout
        )
    except Exception:  # playwright's TimeoutError
        return False
    settle(page, 300)
    return True


def test_a_inspector_confirms_a_finding(app_server: Any, page: Any, shots: Path) -> None:
    page.goto(f"{app_server.url}/findings?period=all")
    settle(page)
    shot(page, shots, "a1-findings")
    choose(page, "组织", "乌恰县人民政府党组", sidebar=True)
    choose(page, "规则", "MTG002")
    assert wait_text(page, "符合条件的问题 1 条")
    shot(page, shots, "a2-narrowed")
    # Open the finding: click its row in the table (the row-selection column at the grid's left edge).
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    settle(page)
    if not wait_text(page, "应到 4 人", 20_000):  # a click that missed the row: pick it from the list instead
        choose(page, "查看问题", "MTG002")
        wait_text(page, "应到 4 人")
    text = main_text(page)
    assert "应到 4 人，出席 2 人，请假 0 人，缺席 2 人" in text
    assert "《乌恰县人民政府党组工作规则（修订）》第六条(四)" in text
    shot(page, shots, "a3-evidence")
    form = page.locator('[data-testid="stForm"]').last
    form.get_by_text("已核实", exact=True).click()
    form.locator("input[type=text]").last.fill("李检查")
    form.get_by_role("button", name="保存标记").click()
    assert wait_text(page, "当前标记：已核实（李检查")
    shot(page, shots, "a4-confirmed")


def test_b_leader_switches_organisation_on_trends(app_server: Any, page: Any, shots: Path) -> None:
    page.goto(f"{app_server.url}/trends")
    settle(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 6
    assert "各组织月度出席率" in page.locator('[data-testid="stMain"]').inner_html()
    shot(page, shots, "b1-trends-all")
    choose(page, "组织", "江阴市人大常委会党组", sidebar=True)
    assert wait_text(page, "江阴市人大常委会党组 · 2025年")
    assert "org=ORG-B" in page.url
    shot(page, shots, "b2-trends-org-b")


def test_c_language_switch(app_server: Any, page: Any, shots: Path) -> None:
    page.goto(app_server.url)
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "总览"
    shot(page, shots, "c1-overview-zh")
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    assert wait_text(page, "Attendance rate")
    assert page.locator("h1").first.inner_text().strip() == "Overview"
    assert "Attendance rate" in main_text(page)
    assert "lang=en" in page.url
    shot(page, shots, "c2-overview-en")


def test_d_import_bad_then_good(app_server: Any, page: Any, shots: Path) -> None:
    page.goto(f"{app_server.url}/findings?period=2025-03&org=ORG-B")
    settle(page)
    assert "符合条件的问题 1 条" in main_text(page)  # MTG001: no party group meeting in March 2025
    shot(page, shots, "d0-findings-before")
    page.goto(f"{app_server.url}/import")
    settle(page)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files([str(DATA / "bad" / "meetings.csv")])
    settle(page)
    page.get_by_role("button", name="开始导入").click()
    assert wait_text(page, "导入被拒绝：共发现 3 个问题")
    assert page.get_by_role("button", name="下载问题清单（CSV）").count() == 1
    shot(page, shots, "d1-import-rejected")

    # Replace the upload with the good files: a make-up March meeting for ORG-B with its attendance and agenda.
    page.goto(f"{app_server.url}/import")  # a fresh page: the uploader starts empty
    settle(page)
    uploader.set_input_files(sorted(str(p) for p in (DATA / "good").glob("*.csv")))
    settle(page)
    page.get_by_role("button", name="开始导入").click()
    page.wait_for_function(
        "() => document.body.innerText.includes('导入成功') || document.body.innerText.includes('导入被拒绝')",
        timeout=180_000,
    )
    settle(page, 1000)
    text = main_text(page)
    assert "导入成功" in text and "已按基准日 2025年7月1日 重新检查" in text
    shot(page, shots, "d2-import-ok")

    # The findings follow: ORG-B's March 2025 now has its party group meeting, so MTG001 for it is gone.
    page.goto(f"{app_server.url}/findings?period=2025-03&org=ORG-B")
    assert wait_text(page, "没有符合筛选条件的问题")
    shot(page, shots, "d3-findings-updated")
