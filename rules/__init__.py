"""The rules of SPEC §4–§5: pure functions and SQL over the warehouse."""
