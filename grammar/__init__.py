"""The spec language grammar (gos.lark), shipped as package data."""
