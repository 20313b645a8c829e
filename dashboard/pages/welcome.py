"""First run: the store is empty. Offer to build the demo data (a simulated set of Party groups) or to import the
office's own records."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.i18n import t


def _build_demo() -> None:
    from simulations import build_demo

    path = state.default_db_file()
    with st.spinner(t("welcome.building")):
        # The demo writes the store file itself: let go of it first, then reopen it with the demo in it.
        state.reset_store()
        build_demo(path)
        state.data_changed()
    st.session_state["_flash"] = t("welcome.built")
    st.rerun()


def render() -> None:
    st.title(t("welcome.title"))
    st.markdown(t("welcome.intro"))
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.subheader(t("welcome.demo_title"))
        st.markdown(t("welcome.demo_text"))
        if st.button(t("welcome.demo_button"), type="primary", icon=":material/auto_awesome:", key="build_demo"):
            _build_demo()
    with right, st.container(border=True):
        st.subheader(t("welcome.import_title"))
        st.markdown(t("welcome.import_text"))
        st.page_link(state.page("import"), label=t("welcome.import_button"), icon=":material/upload_file:")
    st.caption(t("welcome.store", path=state.db_path()))


if __name__ == "__main__":
    render()
