"""JSON API for selection."""

from ninja import Router

router = Router(tags=["selection"])
