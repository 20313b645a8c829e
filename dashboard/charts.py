"""Plotly figures for the Overview and Trends pages, built from the frames :mod:`analytics.queries` returns.

Each builder takes the data and the language and returns a figure with a title and axis labels from the message
catalogue; months are labelled 2025年3月 / Mar 2025 and rates as percentages. Nothing here queries the store.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.i18n import enum_label, fmt_month, fmt_pct, t

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
SEVERITY_COLOURS = {"violation": "#c0392b", "warning": "#e67e22", "data_quality": "#7f8c8d"}
STATUS_COLOURS = {"present": "#2e86c1", "leave": "#f5b041", "absent": "#c0392b", "unrecorded": "#bdc3c7"}
MAX_SERIES = 12


def _layout(fig: go.Figure, title: str, x: str | None = None, y: str | None = None, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 56, "b": 10},
        legend={"font": {"size": 12}},
        hoverlabel={"font": {"family": FONT}},
    )
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig


def _months(frame: pl.DataFrame) -> list[str]:
    return [fmt_month(m) for m in frame["month"].to_list()]


def _top_groups(frame: pl.DataFrame, weight: str) -> list[str]:
    """The groups with the most weight (the organisation itself first), at most MAX_SERIES."""
    totals = (
        frame.group_by("group_id", "name", "is_self")
        .agg(pl.col(weight).sum())
        .sort(["is_self", weight], descending=[True, True])
    )
    return totals["group_id"].head(MAX_SERIES).to_list()


def _series_name(name: str, is_self: bool) -> str:
    return t("trends.self_suffix", name=name) if is_self else name


def attendance_by_month(frame: pl.DataFrame) -> go.Figure:
    """Attendance rate by month, one line per organisation (the chosen one's own meetings and each child subtree)."""
    fig = go.Figure()
    for group_id in _top_groups(frame, "entitled") if frame.height else []:
        rows = frame.filter(pl.col("group_id") == group_id).sort("month")
        fig.add_trace(
            go.Scatter(
                x=_months(rows),
                y=rows["rate"].to_list(),
                mode="lines+markers",
                name=_series_name(rows["name"][0], rows["is_self"][0]),
                customdata=list(zip(rows["present"].to_list(), rows["entitled"].to_list(), strict=True)),
                hovertemplate="%{x}: %{y:.1%} (%{customdata[0]}/%{customdata[1]})<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(type="category", tickangle=-45)
    return _layout(fig, t("trends.attendance.title"), t("axis.month"), t("axis.attendance_rate"))


def findings_by_rule(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Open findings per month, stacked by rule."""
    fig = go.Figure()
    if frame.height:
        months = sorted(frame["month"].unique().to_list())
        labels = [fmt_month(m) for m in months]
        name_col = "rule_name_zh" if lang == "zh" else "rule_name_en"
        for rule_id in sorted(frame["rule_id"].unique().to_list()):
            rows = frame.filter(pl.col("rule_id") == rule_id)
            by_month = dict(zip(rows["month"].to_list(), rows["findings"].to_list(), strict=True))
            fig.add_trace(
                go.Bar(
                    x=labels,
                    y=[by_month.get(m, 0) for m in months],
                    name=f"{rule_id} {rows[name_col][0] or ''}".strip(),
                    hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return _layout(fig, t("trends.by_rule.title"), t("axis.month"), t("axis.findings"), height=420)


def findings_heatmap(frame: pl.DataFrame, months: list[Any]) -> go.Figure:
    """Organisation × month heatmap of open findings."""
    fig = go.Figure()
    if frame.height:
        groups = _top_groups(frame, "findings")
        z, names = [], []
        for group_id in groups:
            rows = frame.filter(pl.col("group_id") == group_id)
            by_month = dict(zip(rows["month"].to_list(), rows["findings"].to_list(), strict=True))
            z.append([by_month.get(m, 0) for m in months])
            names.append(_series_name(rows["name"][0], rows["is_self"][0]))
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=[fmt_month(m) for m in months],
                y=names,
                colorscale="OrRd",
                hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
                colorbar={"title": {"text": t("axis.findings")}},
            )
        )
        fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category", tickangle=-45)
    rows = len(fig.data[0].y) if fig.data else 1
    return _layout(
        fig, t("trends.heatmap.title"), t("axis.month"), t("axis.organisation"), height=200 + 34 * max(rows, 3)
    )


def member_distribution(dist: dict[str, Any], standing: dict[str, Any] | None, member_label: str | None) -> go.Figure:
    """Histogram of members' attendance rates with the percentiles marked, and where one member stands."""
    bins: pl.DataFrame = dist["bins"]
    counts = dict(zip(bins["lower_pct"].to_list(), bins["members"].to_list(), strict=True)) if bins.height else {}
    lowers = list(range(0, 100, 5))
    fig = go.Figure(
        go.Bar(
            x=[lo + 2.5 for lo in lowers],
            y=[counts.get(lo, 0) for lo in lowers],
            width=[4.6] * len(lowers),
            marker_color="#5dade2",
            name=t("trends.distribution.members"),
            customdata=[f"{lo}%–{lo + 5}%" for lo in lowers],
            hovertemplate="%{customdata}: %{y}<extra></extra>",
        )
    )
    # Percentile lines, labelled at staggered heights so close percentiles stay readable.
    for i, (p, value) in enumerate(dist["percentiles"].items()):
        if value is None:
            continue
        fig.add_vline(x=value * 100, line_dash="dot", line_color="#566573")
        fig.add_annotation(
            x=value * 100, y=1.0 - 0.09 * i, yref="paper", text=f"P{int(p * 100)}", showarrow=False,
            xanchor="right", font={"size": 11, "color": "#566573"}, bgcolor="rgba(255,255,255,0.7)",
        )  # fmt: skip
    if standing and standing.get("rate") is not None:
        fig.add_vline(
            x=standing["rate"] * 100,
            line_color="#c0392b",
            line_width=3,
            annotation_text=member_label or "",
            annotation_position="bottom right",
            annotation_font_color="#c0392b",
        )
    fig.update_xaxes(range=[0, 101], ticksuffix="%")
    return _layout(fig, t("trends.distribution.title"), t("axis.member_rate"), t("axis.members"))


def rectifications(frame: pl.DataFrame) -> go.Figure:
    """Open and overdue rectifications at each month's end, with those closed in the month."""
    fig = go.Figure()
    if frame.height:
        months = _months(frame)
        fig.add_trace(
            go.Bar(x=months, y=frame["closed"].to_list(), name=t("trends.rect.closed"), marker_color="#abebc6")
        )
        fig.add_trace(
            go.Scatter(
                x=months, y=frame["open"].to_list(), name=t("trends.rect.open"), mode="lines+markers",
                line={"color": "#2e86c1"},
            )
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=months, y=frame["overdue"].to_list(), name=t("trends.rect.overdue"), mode="lines+markers",
                line={"color": "#c0392b"},
            )
        )  # fmt: skip
    fig.update_xaxes(type="category", tickangle=-45)
    return _layout(fig, t("trends.rect.title"), t("axis.month"), t("axis.rectifications"))


def rollup_treemap(frame: pl.DataFrame) -> go.Figure:
    """The organisation tree sized by organisations, coloured by attendance rate."""
    fig = go.Figure()
    if frame.height:
        rates = [r if r is not None else float("nan") for r in frame["rate"].to_list()]
        custom = list(
            zip(
                [fmt_pct(r) for r in frame["rate"].to_list()],
                frame["meetings"].to_list(),
                frame["findings"].to_list(),
                frame["overdue"].to_list(),
                strict=True,
            )
        )
        fig.add_trace(
            go.Treemap(
                ids=frame["org_id"].to_list(),
                labels=frame["name"].to_list(),
                parents=[p or "" for p in frame["parent_id"].to_list()],
                values=frame["organisations"].to_list(),
                branchvalues="total",
                marker={"colors": rates, "colorscale": "RdYlGn", "cmin": 0.6, "cmax": 1.0,
                        "colorbar": {"title": {"text": t("axis.attendance_rate")}, "tickformat": ".0%"}},
                customdata=custom,
                hovertemplate=(
                    "<b>%{label}</b><br>"
                    + t("trends.rollup.hover")
                    + "<extra></extra>"
                ),
                texttemplate="%{label}<br>%{customdata[0]}",
            )
        )  # fmt: skip
    return _layout(fig, t("trends.rollup.title"), height=460)


def attendance_shares(present: int, on_leave: int, absent: int, unrecorded: int) -> go.Figure:
    """Donut of present / leave / absent / unrecorded shares of the entitled."""
    labels = [enum_label("status", "present"), enum_label("status", "leave"), enum_label("status", "absent"),
              t("status.unrecorded")]  # fmt: skip
    values = [present, on_leave, absent, unrecorded]
    fig = go.Figure(
        go.Pie(
            labels=labels,
            values=values,
            hole=0.55,
            sort=False,
            marker={"colors": [STATUS_COLOURS[k] for k in ("present", "leave", "absent", "unrecorded")]},
            textinfo="percent",
            texttemplate="%{percent:.1%}",
            textposition="inside",
            hovertemplate="%{label}: %{value} (%{percent})<extra></extra>",
        )
    )
    # Slices too thin for their label stay unlabelled (the hover and the legend still tell).
    fig.update_layout(uniformtext_minsize=11, uniformtext_mode="hide")
    return _layout(fig, t("overview.shares_title"), height=320)


def severity_bars(counts: dict[str, int], previous: dict[str, int] | None) -> go.Figure:
    """Open findings by severity, with the previous period beside them."""
    sevs = list(SEVERITY_COLOURS)
    labels = [t(f"severity.{s}") for s in sevs]
    fig = go.Figure()
    if previous is not None:
        fig.add_trace(
            go.Bar(x=labels, y=[previous.get(s, 0) for s in sevs], name=t("overview.previous"), marker_color="#d5d8dc")
        )
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[counts.get(s, 0) for s in sevs],
            name=t("overview.current"),
            marker_color=[SEVERITY_COLOURS[s] for s in sevs],
        )
    )
    fig.update_layout(barmode="group")
    return _layout(fig, t("overview.severity_title"), None, t("axis.findings"), height=320)
