"""Rules of the attendance family (one module per rule)."""
