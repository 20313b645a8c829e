"""Rules of the voting family (one module per rule)."""
