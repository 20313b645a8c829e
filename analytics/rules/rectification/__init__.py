"""Rules of the rectification family (one module per rule)."""
