"""Quorum analytics: the store, the import, the rule engine and the reports behind the CLI and the dashboard."""
