"""Pages for selection."""
