"""The modelled machine: compile a checked spec into a program and run its transition rules."""
