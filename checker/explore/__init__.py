"""The explicit engine: enumerate every interleaving, check safety and fair liveness."""
