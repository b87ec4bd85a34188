"""
What the award announces to the floors above it, inside the transaction that did it: the
partnership after award begins when the partner contracts are concluded, and a failure there
undoes the conclusion too.
"""

from django.dispatch import Signal

# Sent with procurement, contracts (the list just concluded), actor and now.
contracts_concluded = Signal()
