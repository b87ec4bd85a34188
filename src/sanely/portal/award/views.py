"""Pages for award."""
