"""The Streamlit dashboard: sidebar state, message catalogue, charts and one module per page (``pages/``).

Pages are thin: they read the sidebar's choices from :mod:`dashboard.state`, call :mod:`analytics.queries` and
render. Nothing here writes SQL.
"""
