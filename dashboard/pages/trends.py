"""趋势 Trends (leadership): attendance rate by month per organisation, findings by rule over time, an organisation ×
month heatmap of findings, members' attendance distribution with percentiles (and where one member stands), open and
overdue rectifications over time, and a roll-up over the organisation tree. Each chart has its data for download."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from analytics import queries
from dashboard import charts, state, widgets
from dashboard.i18n import fmt_int, fmt_month, fmt_pct, fmt_period, t


def _months(window: queries.Period) -> list:
    start, end = window.start, window.end
    out = []
    y, m = start.year, start.month  # type: ignore[union-attr]
    while (y, m) <= (end.year, end.month):  # type: ignore[union-attr]
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _member_picker(store, view: state.View, year: int) -> tuple[dict | None, str | None]:  # type: ignore[no-untyped-def]
    text = st.text_input(t("trends.distribution.search"), key="tr_member_q", placeholder=t("trends.distribution.hint"))
    if not text or not text.strip():
        return None, None
    found = queries.find_members(store, text, org_id=view.org_id, limit=50)
    if found.height == 0:
        st.caption(t("trends.distribution.no_member"))
        return None, None
    labels = {r["member_id"]: f"{r['name']} · {r['org_name']} ({r['member_id']})" for r in found.iter_rows(named=True)}
    member_id = st.selectbox(t("trends.distribution.member"), list(labels), format_func=labels.get, key="tr_member")
    if member_id is None:
        return None, None
    standing = queries.member_standing(store, member_id=member_id, org_id=view.org_id, year=year)
    name = found.filter(pl.col("member_id") == member_id)["name"][0]
    return standing, name


def render() -> None:
    view = state.view()
    store = state.session_store()
    widgets.header("trends.title", view)
    first, _last = state.data_bounds(store)
    window = queries.trend_window(view.period, view.as_of, first)
    st.caption(t("trends.window", window=fmt_period(window)))
    if view.run is None:
        widgets.run_banner(view)
    months = _months(window)
    year = (window.end or view.as_of).year
    years = list(range(year, (first.year if first else year) - 1, -1))
    # The distribution's year as its selectbox below will show it (kept in the session while it is an option).
    kept = st.session_state.get("tr_year")
    dist_year = kept if kept in years else years[0]
    # Every chart's data in one call: the reads run two at a time on cursors of their own (queries.trends_page).
    # Series split by the children of the chosen organisation (of the single root when "all" is chosen).
    data = queries.trends_page(
        store, org_id=view.org_id, period=view.period, as_of=view.as_of, run_id=view.run_id, first=first,
        year=dist_year,
    )  # fmt: skip

    widgets.chart(charts.attendance_by_month(data.attendance), data.attendance, "attendance_by_month", key="att")
    by_rule = data.findings_by_rule
    widgets.chart(charts.findings_by_rule(by_rule, view.lang), by_rule, "findings_by_rule", key="rule")
    heat = data.heatmap
    widgets.chart(charts.findings_heatmap(heat, months), heat, "findings_heatmap", key="heat")
    rects = data.rectifications
    widgets.chart(charts.rectifications(rects), rects, "rectifications_over_time", key="rect")

    st.subheader(t("trends.distribution.subtitle"))
    left, right = st.columns([3, 1])
    with right:
        chosen_year = st.selectbox(t("trends.distribution.year"), years, key="tr_year")
        standing, name = _member_picker(store, view, chosen_year)
    dist = (
        data.distribution
        if chosen_year == dist_year
        else queries.member_attendance_distribution(store, org_id=view.org_id, year=chosen_year)
    )
    with left:
        label = t("trends.distribution.marker", name=name, rate=fmt_pct(standing["rate"])) if standing else None
        bins = dist["bins"].with_columns((pl.col("lower_pct") + 5).alias("upper_pct"))
        widgets.chart(charts.member_distribution(dist, standing, label), bins, "member_attendance", key="dist")
    with right:
        st.metric(t("trends.distribution.members_count"), fmt_int(dist["members"]))
        st.metric(t("trends.distribution.median"), fmt_pct(dist["percentiles"].get(0.5)))
        st.caption(" · ".join(f"P{int(p * 100)} {fmt_pct(v)}" for p, v in dist["percentiles"].items() if v is not None))
        if standing:
            st.metric(
                t("trends.distribution.standing", name=name),
                fmt_pct(standing["rate"]),
                help=t("trends.distribution.standing_help", present=standing["present"], entitled=standing["entitled"]),
            )
            st.markdown(
                t("trends.distribution.rank", rank=fmt_pct(standing["rank"], 0), peers=fmt_int(standing["peers"]))
            )
        elif name:
            st.caption(t("trends.distribution.no_meetings", year=chosen_year))

    st.subheader(t("trends.rollup.subtitle"))
    tree = data.rollup
    widgets.chart(charts.rollup_treemap(tree), tree, "rollup", key="rollup")
    table = tree.with_columns(pl.format("{}%", (pl.col("rate") * 100).round(1)).fill_null("—").alias("rate"))
    st.dataframe(
        widgets.labelled(
            table,
            [("name", "col.org"), ("depth", "col.depth"), ("organisations", "col.organisations"),
             ("meetings", "col.meetings"), ("rate", "col.attendance_rate"), ("findings", "col.open_findings"),
             ("overdue", "col.overdue")],
        ),
        hide_index=True, width="stretch",
    )  # fmt: skip
    st.caption(t("trends.rollup.note", period=fmt_period(view.period), month=fmt_month(view.as_of)))


if __name__ == "__main__":
    render()
