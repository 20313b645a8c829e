"""总览 Overview: for the chosen organisation subtree and period, organisations, meetings, attendance (present /
entitled, with the leave and absent shares), open findings by severity, overdue rectifications, and what changed
since the previous period."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import queries
from analytics.queries import OverviewMetrics
from dashboard import charts, state, widgets
from dashboard.i18n import enum_label, fmt_date, fmt_int, fmt_pct, fmt_period, relabel, t


def _pp(value: float | None) -> str | None:
    """A change of a share in percentage points: +2.5 个百分点 / +2.5 pp (none when it rounds to zero)."""
    if value is None or round(value * 100, 1) == 0:
        return None
    return t("overview.pp", value=f"{value * 100:+.1f}")


def _delta(now: int, before: int | None) -> str | None:
    # No change shows no arrow (Streamlit draws an up arrow for "+0").
    return None if before is None or now == before else f"{now - before:+,}"


def _share_delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _metrics(cur: OverviewMetrics, prev: OverviewMetrics | None) -> None:
    top = st.columns(4)
    top[0].metric(t("overview.organisations"), fmt_int(cur.organisations), border=True)
    top[1].metric(
        t("overview.meetings"),
        fmt_int(cur.meetings),
        _delta(cur.meetings, prev.meetings if prev else None),
        border=True,
        help=t("overview.meetings_help"),
    )
    top[2].metric(
        t("overview.attendance_rate"),
        fmt_pct(cur.attendance_rate),
        _pp(_share_delta(cur.attendance_rate, prev.attendance_rate if prev else None)),
        border=True,
        help=t("overview.attendance_help", present=fmt_int(cur.present), entitled=fmt_int(cur.entitled)),
    )
    top[3].metric(
        t("overview.open_findings"),
        fmt_int(cur.open_findings),
        _delta(cur.open_findings, prev.open_findings if prev else None),
        delta_color="inverse",
        border=True,
        help=t("overview.open_findings_help"),
    )
    bottom = st.columns(4)
    bottom[0].metric(
        t("overview.leave_share"),
        fmt_pct(cur.share(cur.on_leave)),
        _pp(_share_delta(cur.share(cur.on_leave), prev.share(prev.on_leave) if prev else None)),
        delta_color="off",
        border=True,
        help=t("overview.leave_help", n=fmt_int(cur.on_leave)),
    )
    bottom[1].metric(
        t("overview.absent_share"),
        fmt_pct(cur.share(cur.absent)),
        _pp(_share_delta(cur.share(cur.absent), prev.share(prev.absent) if prev else None)),
        delta_color="inverse",
        border=True,
        help=t("overview.absent_help", n=fmt_int(cur.absent)),
    )
    bottom[2].metric(
        t("overview.open_rectifications"),
        fmt_int(cur.open_rectifications),
        _delta(cur.open_rectifications, prev.open_rectifications if prev else None),
        delta_color="off",
        border=True,
        help=t("overview.open_rectifications_help"),
    )
    bottom[3].metric(
        t("overview.overdue"),
        fmt_int(cur.overdue_rectifications),
        _delta(cur.overdue_rectifications, prev.overdue_rectifications if prev else None),
        delta_color="inverse",
        border=True,
        help=t("overview.overdue_help", open=fmt_int(cur.open_rectifications)),
    )


def _changes(cur: OverviewMetrics, prev: OverviewMetrics) -> pl.DataFrame:
    """What changed since the previous period, one row per measure."""
    rows = [
        (
            t("overview.meetings"),
            fmt_int(cur.meetings),
            fmt_int(prev.meetings),
            _delta(cur.meetings, prev.meetings) or "0",
        ),
        (
            t("overview.attendance_rate"),
            fmt_pct(cur.attendance_rate),
            fmt_pct(prev.attendance_rate),
            _pp(_share_delta(cur.attendance_rate, prev.attendance_rate)) or "—",
        ),
        (
            t("overview.absent_share"),
            fmt_pct(cur.share(cur.absent)),
            fmt_pct(prev.share(prev.absent)),
            _pp(_share_delta(cur.share(cur.absent), prev.share(prev.absent))) or "—",
        ),
    ]
    for sev in queries.SEVERITIES:
        rows.append(
            (
                t(f"severity.{sev}"),
                fmt_int(cur.findings[sev]),
                fmt_int(prev.findings[sev]),
                _delta(cur.findings[sev], prev.findings[sev]) or "0",
            )
        )
    rows.append(
        (
            t("overview.overdue"),
            fmt_int(cur.overdue_rectifications),
            fmt_int(prev.overdue_rectifications),
            _delta(cur.overdue_rectifications, prev.overdue_rectifications) or "0",
        )
    )
    return pl.DataFrame(
        rows, schema=[t("overview.measure"), t("overview.current"), t("overview.previous"), t("overview.change")],
        orient="row",
    )  # fmt: skip


def render() -> None:
    view = state.view()
    store = state.session_store()
    widgets.header("overview.title", view)
    widgets.run_banner(view)

    cur, prev, top = queries.overview_page(
        store, org_id=view.org_id, period=view.period, as_of=view.as_of, run_id=view.run_id
    )
    span = queries.previous_span(view.period, view.as_of)
    _metrics(cur, prev)
    if span is not None:
        prev_period, until = span
        if until < (prev_period.end or until):
            st.caption(
                t("overview.compared_with_partial", previous=fmt_period(prev_period), start=fmt_date(prev_period.start),
                  end=fmt_date(until))
            )  # fmt: skip
        else:
            st.caption(t("overview.compared_with", previous=fmt_period(prev_period)))

    if cur.meetings == 0 and cur.open_findings == 0:
        st.info(t("overview.nothing_in_period"))

    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            charts.attendance_shares(cur.present, cur.on_leave, cur.absent, cur.unrecorded),
            key="ov_shares",
            config={"displaylogo": False},
        )
        kinds = t("common.list_sep").join(
            f"{enum_label('meeting_kind', k)} {fmt_int(n)}"
            for k, n in sorted(cur.meetings_by_kind.items(), key=lambda kv: -kv[1])
        )
        if kinds:
            st.caption(t("overview.by_kind", kinds=kinds))
    with right:
        st.plotly_chart(
            charts.severity_bars(cur.findings, prev.findings if prev else None),
            key="ov_severity",
            config={"displaylogo": False},
        )
        if cur.dismissed or cur.confirmed:
            st.caption(t("overview.marks", confirmed=fmt_int(cur.confirmed), dismissed=fmt_int(cur.dismissed)))

    st.subheader(t("overview.changes_title"))
    if prev is None:
        st.caption(t("overview.no_previous"))
    else:
        st.dataframe(_changes(cur, prev), hide_index=True, width="stretch")

    st.subheader(t("overview.top_rules_title"))
    if top.height == 0:
        st.caption(t("overview.no_findings"))
    else:
        name_col = "rule_name_zh" if view.lang == "zh" else "rule_name_en"
        table = top.select(
            pl.col("rule_id").alias(t("col.rule_id")),
            pl.col(name_col).alias(t("col.rule_name")),
            relabel("severity", {s: t(f"severity.{s}") for s in queries.SEVERITIES}).alias(t("col.severity")),
            pl.col("findings").alias(t("overview.current")),
            pl.col("previous").alias(t("overview.previous")),
            (pl.col("findings") - pl.col("previous")).alias(t("overview.change")),
        )
        st.dataframe(table, hide_index=True, width="stretch")
        st.page_link(state.page("findings"), label=t("overview.to_findings"), icon=":material/fact_check:")


if __name__ == "__main__":
    render()
