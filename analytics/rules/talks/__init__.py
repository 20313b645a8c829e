"""Rules of the talks family (one module per rule)."""
