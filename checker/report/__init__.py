"""Everything that turns results into text, JSON or pictures; engines never print."""
