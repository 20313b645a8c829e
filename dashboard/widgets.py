"""Small rendering helpers the pages share: the page header, the check-run banner, a chart with its data download."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import state
from dashboard.i18n import fmt_date, fmt_int, fmt_period, t


def header(title_key: str, view: state.View | None = None) -> None:
    """Page title and, under it, what is being looked at: organisation · period · as_of."""
    st.title(t(title_key))
    if view is not None:
        st.caption(
            t(
                "common.scope",
                org=state.org_name(view.org_id),
                period=fmt_period(view.period),
                as_of=fmt_date(view.as_of),
            )
        )


def run_banner(view: state.View, *, offer_link: bool = True) -> None:
    """Which check run the numbers come from, or that there is none for this as_of yet."""
    run = view.run
    if run is None:
        st.info(t("common.no_run", as_of=fmt_date(view.as_of)))
        if offer_link:
            st.page_link(state.page("findings"), label=t("common.go_run_check"), icon=":material/fact_check:")
        return
    finished = run.get("finished_at")
    stamp = finished.strftime("%Y-%m-%d %H:%M") if isinstance(finished, datetime) else str(finished or "")
    st.caption(
        t(
            "common.run_info",
            as_of=fmt_date(run["as_of"]),
            finished=stamp,
            findings=fmt_int(run.get("findings")),
            rulebook=run.get("default_rulebook") or "standard",
        )
    )


def skipped_rules(run: dict | None) -> dict[str, str]:
    """The run's skipped rules (rule id -> reason), from the JSON the engine stores."""
    if not run or not run.get("skipped"):
        return {}
    try:
        data = json.loads(run["skipped"])
    except (TypeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def chart(fig: go.Figure, data: pl.DataFrame, name: str, *, key: str) -> None:
    """A chart and, under it, the download of the data it shows (CSV for Excel)."""
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    st.download_button(
        t("common.download_data"),
        data=state.download_csv(_plain(data)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"dl_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates and lists as text so the CSV reads the same everywhere."""
    return frame.with_columns(
        [pl.col(c).cast(pl.String) for c, dt in frame.schema.items() if dt in (pl.Date, pl.Datetime) or dt.is_nested()]
    )


def labelled(frame: pl.DataFrame, columns: Sequence[tuple[str, str]]) -> pl.DataFrame:
    """Select columns and rename them to their labels in the current language: [(column, message key)]."""
    present = [(c, k) for c, k in columns if c in frame.columns]
    return frame.select([pl.col(c).alias(t(k)) for c, k in present])


def as_date(value: object) -> date | None:
    return value if isinstance(value, date) else None
