"""The spec language: parse .gos text into an AST with spans, check it, format it."""
