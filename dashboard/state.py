"""The store connection, the sidebar and the choices that persist across pages and in the URL.

One DuckDB connection per process (``st.cache_resource``); each browser session queries through its own cursor,
because a DuckDB connection must not be shared across threads. The sidebar's choices (language, as_of date,
organisation, period) live in session state under fixed keys and are mirrored into the URL's query parameters
(``?lang=en&as_of=2025-06-30&org=ORG-A&period=2025-Q1``), so a view can be bookmarked and shared.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from analytics import queries
from analytics.exports import csv_bytes
from analytics.queries import Period
from analytics.store import Store, default_db_path, open_store
from analytics.summaries import ensure_summaries
from dashboard.i18n import LANGUAGES, current_lang, fmt_period, t

# Session-state keys of the sidebar widgets, and the query parameter each is mirrored to.
QUERY_KEYS: dict[str, str] = {"lang": "lang", "as_of": "as_of", "org": "org", "period": "period"}
ALL_ORGS = "__all__"


class StoreUnavailable(RuntimeError):
    """The store file cannot be opened (another program holds it, or it is not a Quorum store)."""


@st.cache_resource(show_spinner=False)
def _base_store(path: str) -> Store:
    try:
        store = open_store(path)
    except Exception as exc:  # duckdb raises IOException for a locked or unreadable file
        raise StoreUnavailable(str(exc)) from exc
    ensure_summaries(store)
    return store


def db_path() -> str:
    return str(default_db_path().resolve())


def default_db_file() -> Path:
    return Path(db_path())


def base_store() -> Store:
    """The process-wide store (opened once, summaries brought up to date)."""
    return _base_store(db_path())


def session_store() -> Store:
    """This session's view of the store: the shared database through a cursor of its own."""
    base = base_store()
    held = st.session_state.get("_store")
    if held is None or held[0] is not base:
        st.session_state["_store"] = (base, Store(base.cursor(), base.path))
    return st.session_state["_store"][1]


def reset_store() -> None:
    """Close the process-wide store and forget it (before the demo data is written into the file)."""
    with contextlib.suppress(StoreUnavailable):
        base_store().close()
    _base_store.clear()
    st.session_state.pop("_store", None)


def data_changed() -> None:
    """After an import or a check: bring the summaries up to date and drop the cached org tree and runs."""
    ensure_summaries(session_store())
    _cached_tree.clear()
    st.session_state.pop("_bounds", None)


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_tree(path: str, _store: Store, generation: int) -> pl.DataFrame:
    return queries.org_tree(_store)


def org_tree() -> pl.DataFrame:
    store = session_store()
    return _cached_tree(db_path(), store, id(base_store()))


@dataclass(frozen=True)
class View:
    """What the sidebar says the user is looking at."""

    lang: str
    as_of: date
    org_id: str | None
    period: Period
    run: dict[str, Any] | None  # the latest saved check run for as_of

    @property
    def run_id(self) -> str | None:
        return self.run["run_id"] if self.run else None


def _bounds(store: Store) -> dict[str, Any]:
    cached = st.session_state.get("_bounds")
    if cached is None:
        first, last = queries.data_range(store)
        latest = queries.latest_run(store)
        cached = {"first": first, "last": last, "run_as_of": latest["as_of"] if latest else None}
        st.session_state["_bounds"] = cached
    return cached


def data_bounds(store: Store) -> tuple[date | None, date | None]:
    """The first and last meeting dates, held for the session like the sidebar's (dropped by :func:`data_changed`),
    so a page does not ask DuckDB again on every filter change."""
    bounds = _bounds(store)
    return bounds["first"], bounds["last"]


def lang_key(name: str) -> str:
    """The widget key of a choice whose option labels are in the user's language.

    A selectbox keeps showing the label its value had when it was created, so a language switch would leave the
    old language on screen. Each language gets its own widget (key ``name@lang``), seeded from the choice itself
    (``st.session_state[name]``), which the caller updates from the widget after drawing it.
    """
    key = f"{name}@{current_lang()}"
    if key not in st.session_state and name in st.session_state:
        st.session_state[key] = st.session_state[name]
    return key


def _load_query_params() -> None:
    """Once per session: seed the sidebar's keys from the URL (a bookmarked or shared view)."""
    if st.session_state.get("_qp_loaded"):
        return
    st.session_state["_qp_loaded"] = True
    params = st.query_params
    lang = params.get("lang")
    if lang in LANGUAGES:
        st.session_state["lang"] = lang
    if params.get("as_of"):
        with contextlib.suppress(ValueError):
            st.session_state["as_of"] = date.fromisoformat(params["as_of"])
    if params.get("org"):
        st.session_state["org"] = params["org"]
    period = Period.parse(params.get("period"))
    if period is not None:
        st.session_state["period_kind"] = period.kind
        st.session_state["period_value"] = period.key


def _save_query_params(view: View) -> None:
    wanted = {
        "lang": view.lang,
        "as_of": view.as_of.isoformat(),
        "org": view.org_id or "",
        "period": view.period.key,
    }
    for key, value in wanted.items():
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


def _period_options(kind: str, first: date | None, last: date) -> list[str]:
    """Period keys of a kind, newest first, from the first record to as_of."""
    start_year = first.year if first else last.year
    years = list(range(last.year, start_year - 1, -1))
    if kind == "year":
        return [str(y) for y in years]
    if kind == "quarter":
        return [
            f"{y}-Q{q}"
            for y in years
            for q in range(4, 0, -1)
            if date(y, 3 * q - 2, 1) <= last and (first is None or date(y, 3 * q, 28) >= first)
        ]
    return [
        f"{y}-{m:02d}"
        for y in years
        for m in range(12, 0, -1)
        if date(y, m, 1) <= last and (first is None or (y, m) >= (first.year, first.month))
    ]


def sidebar_language() -> str:
    """The language switch, first in the sidebar so every other label is already in the chosen language."""
    _load_query_params()
    st.session_state.setdefault("lang", "zh")
    st.sidebar.segmented_control(
        "语言 / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key="lang",
        required=True,
        label_visibility="collapsed",
    )
    return current_lang()


def sidebar(store: Store) -> View:
    """The sidebar's as_of, organisation and period widgets; returns the view they describe."""
    bounds = _bounds(store)
    tree = org_tree()
    default_as_of = bounds["run_as_of"] or date.today()
    st.session_state.setdefault("as_of", default_as_of)
    side = st.sidebar
    side.date_input(
        t("sidebar.as_of"),
        key="as_of",
        help=t("sidebar.as_of_help"),
        format="YYYY/MM/DD",
        min_value=date(2000, 1, 1),
        max_value=date(2100, 12, 31),
    )
    as_of: date = st.session_state["as_of"] or default_as_of

    ids = [ALL_ORGS, *tree["org_id"].to_list()]
    labels = {ALL_ORGS: t("sidebar.all_orgs")}
    for org_id, name, depth in tree.select("org_id", "name", "depth").iter_rows():
        labels[org_id] = ("\u3000" * depth + ("└ " if depth else "") + name) if name else org_id
    org_key = lang_key("org")
    if st.session_state.get(org_key) not in labels:
        st.session_state[org_key] = ALL_ORGS
    side.selectbox(t("sidebar.org"), options=ids, format_func=labels.get, key=org_key, help=t("sidebar.org_help"))
    org = st.session_state["org"] = st.session_state[org_key]
    org_id = None if org == ALL_ORGS else org

    kinds = ["year", "quarter", "month", "all"]
    if st.session_state.get("period_kind") not in kinds:
        st.session_state["period_kind"] = "year"
    side.segmented_control(
        t("sidebar.period"),
        options=kinds,
        format_func={k: t(f"period.kind.{k}") for k in kinds}.__getitem__,
        key="period_kind",
        required=True,
    )
    kind = st.session_state["period_kind"]
    if kind == "all":
        period = Period.all()
    else:
        last = min(bounds["last"] or as_of, as_of)
        options = _period_options(kind, bounds["first"], last) or [Period.year(as_of.year).key]
        value_key = lang_key("period_value")
        if st.session_state.get(value_key) not in options:
            # Keep the choice's year when switching kind; else the latest period with records.
            current = Period.parse(st.session_state.get(value_key))
            same_year = [o for o in options if current and current.start and o.startswith(str(current.start.year))]
            st.session_state[value_key] = (same_year or options)[0]
        side.selectbox(
            t("sidebar.period_value"),
            options=options,
            # Labels are fixed now, in the current language (a format_func may be called after this run).
            format_func={k: fmt_period(Period.parse(k)) for k in options}.get,
            key=value_key,
            label_visibility="collapsed",
        )
        st.session_state["period_value"] = st.session_state[value_key]
        period = Period.parse(st.session_state["period_value"]) or Period.year(as_of.year)

    run = queries.latest_run(store, as_of)
    view = View(lang=current_lang(), as_of=as_of, org_id=org_id, period=period, run=run)
    _save_query_params(view)
    st.session_state["_view"] = view
    return view


def view() -> View:
    """The view the sidebar rendered in this run (pages call this)."""
    return st.session_state["_view"]


def view_or_none() -> View | None:
    """The sidebar's view, or None on the first-run screens (an empty store has no sidebar filters)."""
    return st.session_state.get("_view")


def clear_view() -> None:
    st.session_state.pop("_view", None)


def page(name: str) -> Any:
    """The registered ``st.Page`` of a page name (for ``st.switch_page`` and ``st.page_link``)."""
    return st.session_state["_pages"][name]


def download_csv(frame: pl.DataFrame) -> bytes:
    """CSV for Excel users (see :func:`analytics.exports.csv_bytes`)."""
    return csv_bytes(frame)


def org_name(org_id: str | None) -> str:
    if org_id is None:
        return t("sidebar.all_orgs")
    tree = org_tree()
    match = tree.filter(pl.col("org_id") == org_id)
    return match["name"][0] if match.height else org_id
