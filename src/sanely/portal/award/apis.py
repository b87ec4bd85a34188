"""JSON API for award."""

from ninja import Router

router = Router(tags=["award"])
