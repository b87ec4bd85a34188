"""
Evaluation of tenders: conflict declarations, independent scores, moderation,
prices, abnormally low tenders and the ranking.
"""
