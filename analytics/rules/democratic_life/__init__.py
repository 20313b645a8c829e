"""Rules of the democratic life family (one module per rule)."""
