"""
What the engagement record announces to the floors above, inside the transaction that wrote
it: open data queues the UK2 notice for the worker once the commit is done.
"""

from django.dispatch import Signal

# Sent with procurement_id when a preliminary market engagement notice is published.
engagement_notice_published = Signal()
