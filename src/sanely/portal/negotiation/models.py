"""
Negotiation: meetings, clarifications, document revisions, consents, the
equal-treatment check and staged reduction.
"""
