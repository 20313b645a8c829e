"""Rules of the reports family (one module per rule)."""
