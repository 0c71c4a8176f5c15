"""The property library and user invariants, as one small formula language."""
