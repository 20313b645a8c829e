"""Start the dashboard with its libraries loaded before the first visitor: ``python -m dashboard.serve``.

``streamlit run app.py`` starts a server that imports nothing of the app until the first session runs ``app.py``;
that first page then pays for importing pandas, pyarrow and numpy (Streamlit's ``st.dataframe`` imports them),
polars, duckdb and plotly's figure validators: about 1 s of CPU, more than the page itself. This entry point does
that work at boot, before the server accepts connections, then runs the same ``streamlit run app.py`` in the same
process, so the first request costs what any later first visit costs. Arguments are passed to ``streamlit run``:

    python -m dashboard.serve                          # = streamlit run app.py, libraries preloaded
    python -m dashboard.serve --server.port 8600
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def preload() -> None:
    """Import what the first page render would import, and build one throw-away figure (plotly loads its
    validators on first use). Loads code only: no data is read or cached here."""
    import duckdb  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects as go
    import polars  # noqa: F401
    import pyarrow  # noqa: F401

    import analytics.queries
    import analytics.summaries  # noqa: F401
    import dashboard.charts  # noqa: F401  (not dashboard.state: its st.cache_* must be created inside the runtime)

    fig = go.Figure(go.Scatter(x=[0], y=[0]))
    fig.add_trace(go.Bar(x=[0], y=[0]))
    fig.add_trace(go.Heatmap(z=[[0]]))
    fig.add_trace(go.Treemap(labels=["a"], parents=[""]))
    fig.update_layout(title={"text": ""}, legend={"font": {"size": 12}}, hoverlabel={"font": {"family": "sans"}})
    fig.update_xaxes(title_text="", type="category", tickangle=-45, ticksuffix="%")
    fig.update_yaxes(title_text="", autorange="reversed")
    fig.add_vline(x=0, line_dash="dot")
    fig.add_annotation(x=0, y=0, text="", showarrow=False)
    fig.to_json()


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    preload()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
