"""gocheck: a model and trace checker for Go's G/M/P goroutine scheduler.

The public surface is small on purpose: parse a spec, check it, verify it.
"""

__version__ = "0.1.0"
