"""Quorum analytics: the store, the import, the rule engine and the reports behind the CLI and the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analytics.engine import check

__all__ = ["check"]


def __getattr__(name: str) -> Any:
    # The engine pulls in Polars and every rule module: import it on first use so `import analytics` stays cheap.
    if name == "check":
        from analytics.engine import check

        return check
    raise AttributeError(f"module 'analytics' has no attribute {name!r}")
