"""Rules of the data quality family (one module per rule)."""
