"""Rules of the study family (one module per rule)."""
