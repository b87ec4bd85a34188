"""
Selection of candidates: marks against the selection criteria, the shortlist,
invitations and regret letters.
"""
