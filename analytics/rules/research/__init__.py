"""Rules of the research family (one module per rule)."""
