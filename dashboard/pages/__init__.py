"""One module per page; ``app.py`` registers them with ``st.navigation``."""
