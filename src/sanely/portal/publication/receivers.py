"""What queues the publisher besides lifecycle actions: other writes below that make a fact."""

from .services import publication_queue


def publication_queue_on_engagement_notice(
    sender: object, *, procurement_id: int, **_: object
) -> None:
    """A published UK2 is a planning release to publish."""
    publication_queue(procurement_id)
