"""Quorum dashboard: ``streamlit run app.py``.

The router and frame only: page config, the sidebar (language, as_of, organisation, period) and ``st.navigation``
over the pages in ``dashboard/pages/``. An empty store gets the first-run page instead of the reports. Errors the
user can act on are shown in their language; anything else shows one line, never a traceback
(``.streamlit/config.toml`` sets ``showErrorDetails = "none"``).
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import state
from dashboard.i18n import t

st.set_page_config(page_title="Quorum · 党组会议合规分析", page_icon=":material/account_balance:", layout="wide")

log = logging.getLogger("quorum.dashboard")
lang = state.sidebar_language()

try:
    store = state.session_store()
except state.StoreUnavailable as exc:
    st.error(t("error.store_unavailable", path=state.db_path()))
    st.caption(str(exc).splitlines()[0])
    st.stop()

PAGES = {
    "welcome": st.Page(
        "dashboard/pages/welcome.py", title=t("nav.welcome"), icon=":material/waving_hand:", url_path="welcome"
    ),
    "overview": st.Page(
        "dashboard/pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview"
    ),
    "findings": st.Page(
        "dashboard/pages/findings.py", title=t("nav.findings"), icon=":material/fact_check:", url_path="findings"
    ),
    "trends": st.Page(
        "dashboard/pages/trends.py", title=t("nav.trends"), icon=":material/trending_up:", url_path="trends"
    ),
    "import": st.Page(
        "dashboard/pages/import_data.py", title=t("nav.import"), icon=":material/upload_file:", url_path="import"
    ),
    "rules": st.Page("dashboard/pages/rules.py", title=t("nav.rules"), icon=":material/menu_book:", url_path="rules"),
}
st.session_state["_pages"] = PAGES

if store.is_empty():
    state.clear_view()
    navigation = st.navigation([PAGES["welcome"], PAGES["import"], PAGES["rules"]])
else:
    state.sidebar(store)
    navigation = st.navigation([PAGES["overview"], PAGES["findings"], PAGES["trends"], PAGES["import"], PAGES["rules"]])
st.sidebar.caption(t("sidebar.store", path=state.db_path()))

flash = st.session_state.pop("_flash", None)
if flash:
    st.toast(flash, icon=":material/check_circle:")

try:
    navigation.run()
except state.StoreUnavailable:
    st.error(t("error.store_unavailable", path=state.db_path()))
except Exception:  # the last line of defence: one line in the user's language, the details in the server log
    log.exception("page failed")
    st.error(t("error.unexpected"))
