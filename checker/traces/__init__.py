"""The trace checker: read runtime traces into one event stream and replay them."""
