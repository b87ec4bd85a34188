"""
What a lifecycle action announces to the floors above, inside the transaction that applied it:
open data (publication) queues its work for after the commit, so a rolled-back action publishes
nothing.
"""

from django.dispatch import Signal

# Sent with procurement (as saved), event (the rulebook event applied), actor and now.
procurement_acted = Signal()
