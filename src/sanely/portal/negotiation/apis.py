"""JSON API for negotiation."""

from ninja import Router

router = Router(tags=["negotiation"])
