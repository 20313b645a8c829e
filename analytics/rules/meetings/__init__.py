"""Rules of the meetings family (one module per rule)."""
