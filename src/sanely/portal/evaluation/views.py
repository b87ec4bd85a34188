"""Pages for evaluation."""
