"""Browser fixtures: the real app (``python -m dashboard.serve``, which runs ``streamlit run app.py``) on a free port
and a temp store, driven by Playwright in Debian's Chromium. Screenshots go to ``test-output/browser/``.

Run with ``pytest tests/browser`` (marked ``browser``; skipped when Chromium or Playwright is missing).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # the shared test store builder (tests/test_app_support.py)

from test_app_support import write_store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = ROOT / "test-output" / "browser"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


class AppServer:
    """A running dashboard on its own store, started as README command 1 starts it (``python -m dashboard.serve``,
    which is ``streamlit run app.py`` with the libraries loaded first)."""

    def __init__(self, db: Path, log: Path) -> None:
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "QUORUM_DB": str(db), "PYTHONUNBUFFERED": "1"}
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "dashboard.serve",
                "--server.headless", "true", "--server.port", str(self.port),
                "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        _wait_healthy(self.url, self.proc)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own process group only
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()


def _skip_without_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on a fresh copy of the test store (one per test module, so journeys do not see each other's marks)."""
    _skip_without_browser()
    folder = tmp_path_factory.mktemp("app")
    db = write_store(folder / "quorum.duckdb")
    server = AppServer(db, folder / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()
        if os.environ.get("QUORUM_KEEP_LOGS"):
            shutil.copy(folder / "streamlit.log", SHOTS / f"streamlit-{folder.name}.log")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _skip_without_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    # Tall: Streamlit scrolls its main block itself, so a screenshot shows what fits in the viewport.
    context = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="zh-CN")  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        context.close()
