"""Pages for negotiation."""
